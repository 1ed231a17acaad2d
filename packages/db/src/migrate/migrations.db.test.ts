import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import {
  applyMigrations,
  createMigration,
  migrationNames,
  pendingSchemaChange,
  POSTGRES_MIGRATIONS_DIR,
  POSTGRES_SCHEMA_PATH,
  postgresSchemaOf,
  readMigrationList,
  SCHEMA_PATH,
  schemaProblems,
  sqliteIsUpToDate,
} from "./migrations.ts";
import { prismaCopy } from "../../test/prisma-copy.ts";
import { createDb } from "../client.ts";
import { MIGRATIONS_DIR } from "./migrations.ts";

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

  it("a database in use (a running server) is left alone when up to date, and a pending migration says why it must wait", async () => {
    const file = path.join(dir, "in-use.db");
    const partial = path.join(dir, "partial-history");
    const names = migrationNames(MIGRATIONS_DIR);
    for (const name of names.slice(0, -1)) cpSync(path.join(MIGRATIONS_DIR, name), path.join(partial, name), { recursive: true });
    cpSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"), path.join(partial, "migration_lock.toml"));
    await applyMigrations(file, partial);
    expect(sqliteIsUpToDate(file, partial)).toBe(true);
    expect(sqliteIsUpToDate(file)).toBe(false);

    const server = createDb(`file:${file}`);
    try {
      await server.$queryRawUnsafe("SELECT 1");
      expect(await applyMigrations(file, partial)).toEqual([]);
      await expect(applyMigrations(file)).rejects.toThrow(/in use by another process/);
    } finally {
      await server.$disconnect();
    }
    // Once the server is gone, the last migration applies.
    expect(await applyMigrations(file)).toEqual(names.slice(-1));
  });

  it("a migration edited after it was applied is not taken as up to date", async () => {
    const file = path.join(dir, "edited.db");
    const copy = path.join(dir, "edited-history");
    cpSync(MIGRATIONS_DIR, copy, { recursive: true });
    await applyMigrations(file, copy);
    expect(sqliteIsUpToDate(file, copy)).toBe(true);
    const first = path.join(copy, migrationNames(copy)[0]!, "migration.sql");
    writeFileSync(first, readFileSync(first, "utf8") + "\n-- edited\n");
    expect(sqliteIsUpToDate(file, copy)).toBe(false);
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

/** A copy of prisma/ (schema, twin, both histories) to change without touching the repo's. */

describe("the PostgreSQL twin and its history", () => {
  it("the committed twin is the schema with provider postgresql, and both histories agree by name", async () => {
    const twin = readFileSync(POSTGRES_SCHEMA_PATH, "utf8");
    expect(twin).toBe(postgresSchemaOf(readFileSync(SCHEMA_PATH, "utf8")));
    expect(twin).toContain('provider = "postgresql"');
    expect(await schemaProblems(path.join(dir, "problems.db"), null)).toEqual([]);
    expect(readMigrationList(POSTGRES_MIGRATIONS_DIR).lockfile.content).toContain('provider = "postgresql"');
  });

  it("db:migration writes one migration per provider from one schema change, and the new twin", async () => {
    const copy = prismaCopy();
    try {
      const schema = readFileSync(copy.paths.schema, "utf8");
      writeFileSync(copy.paths.schema, schema.replace("  ip        String?\n", "  ip        String?\n  userAgent String?\n"));
      expect(await schemaProblems(copy.scratch, null, copy.paths)).toEqual([
        expect.stringContaining('ALTER TABLE "Session" ADD COLUMN "userAgent" TEXT'),
        expect.stringContaining("is not the twin of"),
      ]);
      const created = await createMigration("session_user_agent", copy.scratch, new Date("2026-12-01T08:00:00Z"), copy.paths);
      expect(path.basename(created!.sqlite)).toBe("20261201080000_session_user_agent");
      expect(path.basename(created!.postgresql)).toBe("20261201080000_session_user_agent");
      expect(readFileSync(path.join(created!.sqlite, "migration.sql"), "utf8")).toContain('ALTER TABLE "Session" ADD COLUMN "userAgent" TEXT');
      expect(readFileSync(path.join(created!.postgresql, "migration.sql"), "utf8")).toContain('ALTER TABLE "Session" ADD COLUMN     "userAgent" TEXT');
      expect(readFileSync(copy.paths.postgresSchema, "utf8")).toContain("userAgent String?");
      expect(await schemaProblems(copy.scratch, null, copy.paths)).toEqual([]);
      expect(await createMigration("again", copy.scratch, new Date(), copy.paths)).toBeNull();
    } finally {
      copy.done();
    }
  });

  it("db:check fails when a SQLite migration has no PostgreSQL twin", async () => {
    const copy = prismaCopy();
    try {
      const last = migrationNames(copy.paths.postgresMigrations).at(-1)!;
      rmSync(path.join(copy.paths.postgresMigrations, last), { recursive: true });
      expect(await schemaProblems(copy.scratch, null, copy.paths)).toEqual([expect.stringMatching(new RegExp(`without a PostgreSQL twin in .*prisma/postgresql/migrations: ${last}$`))]);
    } finally {
      copy.done();
    }
  });
});
