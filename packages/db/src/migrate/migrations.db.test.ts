import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { applyMigrations, pendingSchemaChange, readMigrationList } from "./migrations.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "duban-migrations-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("offline migrations (wasm schema engine, real SQLite)", () => {
  it("db:check — the committed migrations produce exactly prisma/schema.prisma", async () => {
    expect(await pendingSchemaChange(path.join(dir, "scratch.db"))).toBe("");
  });

  it("applies every migration once and records them like the Prisma CLI", async () => {
    const file = path.join(dir, "apply.db");
    const names = readMigrationList().migrationDirectories.map((m) => m.path);
    expect(names.length).toBeGreaterThan(0);
    expect(await applyMigrations(file)).toEqual(names);
    expect(await applyMigrations(file)).toEqual([]);
    const sqlite = new Database(file, { readonly: true });
    const rows = sqlite.prepare("select migration_name, finished_at from _prisma_migrations order by migration_name").all() as Array<{ migration_name: string; finished_at: string | null }>;
    sqlite.close();
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("reports a schema change that has no migration yet", async () => {
    // A history missing its last migration must be reported as different from the schema.
    const list = readMigrationList();
    const partial = mkdtempSync(path.join(os.tmpdir(), "duban-partial-"));
    try {
      const sql = await pendingSchemaChange(path.join(partial, "scratch.db"), path.join(partial, "none"));
      expect(sql).toContain('CREATE TABLE "Plan"');
      expect(readdirSync(partial)).not.toContain("none");
      expect(list.lockfile.content).toContain('provider = "sqlite"');
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  });
});
