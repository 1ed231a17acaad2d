/**
 * SQLite backups: SQLite's online backup API (through better-sqlite3), never a file copy, which
 * could catch a live database between two writes. Every backup is checked after writing
 * (integrity_check, row counts per table) and described by a manifest next to it.
 */
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { backupFileName, writeManifest, type BackupManifest, type BackupReason } from "./manifest.ts";

export interface SqliteCheck {
  ok: boolean;
  /** "ok", or what integrity_check / opening the file said. */
  problem: string | null;
  tables: Record<string, number>;
}

/** Row counts of every table in one read transaction, so they describe one moment. */
export function countRows(sqlite: Database.Database): Record<string, number> {
  const names = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  if (names.length === 0) return {};
  // One statement: set-based, and consistent without an explicit transaction.
  const sql = names.map((name) => `SELECT '${name.replaceAll("'", "''")}' AS name, count(*) AS n FROM "${name.replaceAll('"', '""')}"`).join(" UNION ALL ");
  const rows = sqlite.prepare(sql).all() as Array<{ name: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

/** Opens a SQLite file read-only and checks it is an intact Duban database. Never writes. */
export function checkSqliteFile(file: string): SqliteCheck {
  if (!existsSync(file)) return { ok: false, problem: `${file} does not exist`, tables: {} };
  let sqlite: Database.Database | null = null;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    const results = (sqlite.pragma("integrity_check") as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    if (results.length !== 1 || results[0] !== "ok") return { ok: false, problem: `integrity_check: ${results.slice(0, 5).join("; ")}`, tables: {} };
    const tables = countRows(sqlite);
    if (!("_prisma_migrations" in tables)) return { ok: false, problem: "not a Duban database (no _prisma_migrations table)", tables };
    return { ok: true, problem: null, tables };
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error), tables: {} };
  } finally {
    sqlite?.close();
  }
}

/**
 * Copies a SQLite database (live or not) into `dir` through the online backup API, checks the
 * copy and writes its manifest. The copy is made in one step, inside one read transaction:
 * writers (WAL) keep going, and the copy is the database as of that transaction's start.
 * Copying in small steps instead would restart on every write from another connection.
 */
export async function backupSqlite(sourceFile: string, dir: string, options: { reason: BackupReason; now: Date }): Promise<BackupManifest> {
  if (!existsSync(sourceFile)) throw new Error(`no database at ${sourceFile}: nothing to back up`);
  const file = path.join(dir, backupFileName(dir, options.now, options.reason, "db"));
  const partial = `${file}.partial`;
  const source = new Database(sourceFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    await source.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  try {
    // A standalone copy: rollback journal, so it reads (and checks) without -wal/-shm files.
    const copy = new Database(partial);
    try {
      copy.pragma("journal_mode = DELETE");
    } finally {
      copy.close();
    }
    const check = checkSqliteFile(partial);
    if (!check.ok) throw new Error(`the backup of ${sourceFile} failed its check (${check.problem}); it was not kept`);
    renameSync(partial, file);
    const manifest: BackupManifest = {
      file: path.basename(file),
      provider: "sqlite",
      reason: options.reason,
      createdAt: options.now.toISOString(),
      sizeBytes: statSync(file).size,
      integrity: "ok",
      tables: check.tables,
    };
    writeManifest(dir, manifest);
    return manifest;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
