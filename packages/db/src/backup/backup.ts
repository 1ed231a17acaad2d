/**
 * Backups and restores of the database a DATABASE_URL names, whichever the provider.
 * `target` is what `migrationTarget` gives: a SQLite file path or a postgresql:// URL.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { isPostgresUrl, REPO_ROOT } from "../migrate/migrations.ts";
import { readManifest, type BackupManifest, type BackupReason } from "./manifest.ts";
import { backupPostgres, countPostgresRows, dumpedTables, otherPostgresSessions, restorePostgresDump } from "./postgres-backup.ts";
import { liveServers } from "./server-lock.ts";
import { backupSqlite, checkSqliteFile } from "./sqlite-backup.ts";

/** BACKUP_DIR when unset: `backups/` next to the SQLite file; data/backups for PostgreSQL. */
export function defaultBackupDir(target: string): string {
  return isPostgresUrl(target) ? path.join(REPO_ROOT, "data/backups") : path.join(path.dirname(target), "backups");
}

export function backupDatabase(target: string, dir: string, options: { reason: BackupReason; now: Date }): Promise<BackupManifest> {
  return isPostgresUrl(target) ? backupPostgres(target, dir, options) : backupSqlite(target, dir, options);
}

/** Refused before anything changed: the message says why. */
export class RestoreRefused extends Error {}

export interface RestoreOutcome {
  /** What was done, in order, one sentence each. */
  steps: string[];
  /** Where the database as it was before the restore is kept. */
  keptAside: string | null;
}

function stampOf(at: Date): string {
  return at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

function sameCounts(expected: Record<string, number>, actual: Record<string, number>): string | null {
  const differ = Object.keys({ ...expected, ...actual }).filter((t) => expected[t] !== actual[t]);
  return differ.length ? differ.map((t) => `${t}: manifest ${expected[t] ?? "-"}, file ${actual[t] ?? "-"}`).join("; ") : null;
}

/** Checks a SQLite backup file (and its manifest when it has one); throws RestoreRefused when it fails. */
function verifySqliteBackup(backupFile: string): Record<string, number> {
  const check = checkSqliteFile(backupFile);
  if (!check.ok) throw new RestoreRefused(`${backupFile} failed its check (${check.problem}); nothing was changed. 备份文件校验失败，未做任何更改。`);
  const manifest = readManifest(backupFile);
  const differ = manifest ? sameCounts(manifest.tables, check.tables) : null;
  if (differ) throw new RestoreRefused(`${backupFile} does not hold the rows its manifest lists (${differ}); nothing was changed.`);
  return check.tables;
}

/** True when another connection holds SQLite's write lock on the file right now. */
function sqliteWriteLocked(file: string): boolean {
  const sqlite = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    sqlite.exec("BEGIN IMMEDIATE");
    sqlite.exec("ROLLBACK");
    return false;
  } catch {
    return true;
  } finally {
    sqlite.close();
  }
}

/**
 * Puts a backup in place of the database. Refuses (RestoreRefused, nothing changed) when the
 * backup fails its check or a server is using the database. SQLite: the current file is
 * moved aside (`<db>.before-restore-<time>`), never deleted. PostgreSQL: the current contents are
 * dumped first (a "before-restore" backup), then pg_restore replaces them in one transaction.
 */
export async function restoreDatabase(target: string, backupFile: string, options: { now: Date; backupDir: string }): Promise<RestoreOutcome> {
  if (!existsSync(backupFile)) throw new RestoreRefused(`no backup at ${backupFile}`);
  return isPostgresUrl(target) ? restorePostgres(target, backupFile, options) : restoreSqlite(target, backupFile, options.now);
}

function restoreSqlite(target: string, backupFile: string, now: Date): RestoreOutcome {
  const steps: string[] = [];
  const tables = verifySqliteBackup(backupFile);
  const rows = Object.entries(tables).filter(([t]) => t !== "_prisma_migrations").reduce((n, [, c]) => n + c, 0);
  steps.push(`checked ${backupFile}: integrity ok, ${Object.keys(tables).length} tables, ${rows} rows`);
  const servers = liveServers(target, now);
  if (servers.length) {
    const who = servers.map((s) => `pid ${s.pid} on ${s.host} since ${s.startedAt}`).join(", ");
    throw new RestoreRefused(`${target} is in use by a running Duban server (${who}); stop it first, then restore. Nothing was changed. 数据库正被运行中的服务器使用，请先停止服务器。`);
  }
  if (existsSync(target) && sqliteWriteLocked(target)) {
    throw new RestoreRefused(`${target} is being written by another process right now; stop it first, then restore. Nothing was changed.`);
  }

  const incoming = `${target}.restoring`;
  copyFileSync(backupFile, incoming);
  const copy = new Database(incoming);
  try {
    copy.pragma("journal_mode = WAL");
  } finally {
    copy.close();
  }
  let keptAside: string | null = null;
  if (existsSync(target)) {
    // Everything in the write-ahead log goes into the file before it is moved, so the file kept aside is whole.
    const current = new Database(target, { fileMustExist: true });
    try {
      current.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      current.close();
    }
    keptAside = `${target}.before-restore-${stampOf(now)}`;
    renameSync(target, keptAside);
    for (const suffix of ["-wal", "-shm"]) if (existsSync(target + suffix)) renameSync(target + suffix, keptAside + suffix);
    steps.push(`moved the current database ${target} aside to ${keptAside} (unchanged; delete it once you are sure)`);
  }
  renameSync(incoming, target);
  rmSync(`${target}.in-use`, { recursive: true, force: true });
  steps.push(`put the backup in place as ${target}`);
  return { steps, keptAside };
}

async function restorePostgres(url: string, backupFile: string, options: { now: Date; backupDir: string }): Promise<RestoreOutcome> {
  const steps: string[] = [];
  const manifest = readManifest(backupFile);
  let inDump: string[];
  try {
    inDump = dumpedTables(backupFile);
  } catch (error) {
    throw new RestoreRefused(`${backupFile} is not a readable pg_dump archive (${error instanceof Error ? error.message : String(error)}); nothing was changed.`);
  }
  if (manifest) {
    const missing = Object.keys(manifest.tables).filter((t) => !inDump.includes(t));
    if (missing.length) throw new RestoreRefused(`${backupFile} lacks the data of ${missing.join(", ")}; nothing was changed.`);
  }
  steps.push(`checked ${backupFile}: a pg_dump archive with the data of ${inDump.length} tables`);
  const sessions = await otherPostgresSessions(url);
  if (sessions.length) {
    throw new RestoreRefused(`the database is in use (${sessions.length} other connection(s), e.g. pid ${sessions[0]!.pid} ${sessions[0]!.application || ""}); stop the Duban server first, then restore. Nothing was changed.`);
  }
  const before = await backupPostgres(url, options.backupDir, { reason: "before-restore", now: options.now });
  const keptAside = path.join(options.backupDir, before.file);
  steps.push(`dumped the current database to ${keptAside}`);
  restorePostgresDump(url, backupFile);
  steps.push("replaced the database's contents with the backup's (pg_restore --clean, one transaction)");
  if (manifest) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const differ = sameCounts(manifest.tables, await countPostgresRows(client));
      if (differ) throw new Error(`restored, but the row counts differ from the manifest (${differ}); the database before is in ${keptAside}`);
    } finally {
      await client.end();
    }
    steps.push("row counts match the backup's manifest");
  }
  return { steps, keptAside };
}
