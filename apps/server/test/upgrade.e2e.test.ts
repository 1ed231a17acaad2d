// Starting this version on a database of the previous release: the seed plan, the admin, rounds
// and all, in the previous schema (every migration but the last). The server backs it up,
// migrates, keeps every row, and serves the board.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { listBackups } from "@duban/db/backup/manifest";
import { applyMigrations, MIGRATIONS_DIR, migrationNames } from "@duban/db/migrate/migrations";
import { parseEnv } from "../src/env.ts";
import { startDuban, type RunningServer } from "../src/start.ts";
import { consoleSession } from "./console-session.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "duban-upgrade-e2e-"));
let server: RunningServer | null = null;
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = (file: string, scheduler: "0" | "1") =>
  parseEnv({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: `file:${file}`, ADMIN_USERNAME: "admin", ADMIN_PASSWORD: "admin password", SCHEDULER: scheduler, BACKUP_AT: "off", BACKUP_DIR: path.join(dir, "backups") });

type Rows = Record<string, Array<Record<string, unknown>>>;

/** Every row of every table (but the migration log), in the columns the file has. */
function allRows(file: string): Rows {
  const sqlite = new Database(file, { readonly: true });
  try {
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, sqlite.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all() as Array<Record<string, unknown>>]));
  } finally {
    sqlite.close();
  }
}

describe("upgrade from the previous release's database", () => {
  it("backs up, migrates, keeps every row, and serves the board", async () => {
    // A database of this release with real data: the seed plan imported, the admin created, the
    // scheduler's first pass done (rounds opened: /ready says so).
    const current = path.join(dir, "current.db");
    server = await startDuban(env(current, "1"), pino({ level: "silent" }));
    for (let i = 0; i < 300 && (await fetch(`${server.url}/ready`)).status !== 200; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    await server.stop();
    server = null;

    // The same data in the previous schema.
    const names = migrationNames(MIGRATIONS_DIR);
    const previousHistory = path.join(dir, "previous-migrations");
    mkdirSync(previousHistory);
    for (const name of names.slice(0, -1)) cpSync(path.join(MIGRATIONS_DIR, name), path.join(previousHistory, name), { recursive: true });
    const old = path.join(dir, "old.db");
    await applyMigrations(old, previousHistory);
    const sqlite = new Database(old);
    sqlite.pragma("foreign_keys = OFF");
    sqlite.prepare("ATTACH DATABASE ? AS cur").run(current);
    for (const table of Object.keys(allRows(old))) {
      const columns = (sqlite.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as Array<{ name: string }>).map((c) => `"${c.name}"`).join(", ");
      sqlite.exec(`INSERT INTO main."${table}" (${columns}) SELECT ${columns} FROM cur."${table}"`);
    }
    sqlite.exec("DETACH DATABASE cur");
    sqlite.close();
    const before = allRows(old);
    expect(before.Task!.length).toBeGreaterThan(10);
    expect(before.Round!.length).toBeGreaterThan(0);
    expect(before.User!.length).toBe(1);

    server = await startDuban(env(old, "0"), pino({ level: "silent" }));
    const backups = listBackups(path.join(dir, "backups"));
    expect(backups.map((b) => b.manifest?.reason)).toEqual(["pre-migrate"]);
    expect(backups[0]!.manifest!.tables.Task).toBe(before.Task!.length);

    const after = allRows(old);
    for (const [table, rows] of Object.entries(before)) {
      const columns = Object.keys(rows[0] ?? {});
      expect(after[table]!.map((row) => Object.fromEntries(columns.map((c) => [c, row[c]]))), table).toEqual(rows);
    }
    const office = consoleSession(() => server!.url);
    await office.trpc("auth.login", { username: "admin", password: "admin password" }, "POST");
    const board = await office.trpc<{ rows: unknown[] }>("board.get", {});
    expect(board.rows.length).toBeGreaterThan(0);
  }, 120_000);
});
