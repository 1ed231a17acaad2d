/**
 * Applying migrations to a database that holds data: back it up first, then (SQLite) migrate a
 * copy and put the copy in place only once every migration succeeded. A failed migration never
 * touches the original file, so "going back" is running the previous version on it.
 * PostgreSQL: a pg_dump first (when pg_dump is installed), then the migrations in place.
 */
import { copyFileSync, createReadStream, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { applyMigrations, isPostgresUrl, migrationNames, MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR, sqliteIsUpToDate } from "../migrate/migrations.ts";
import { backupDatabase } from "./backup.ts";
import type { BackupManifest } from "./manifest.ts";
import { MissingToolError } from "./postgres-backup.ts";
import { liveServers } from "./server-lock.ts";

export interface MigrateOptions {
  backupDir: string;
  now: Date;
  /** Migrations folder (tests); the repository's by default. */
  dir?: string;
  warn?: (message: string) => void;
}

export interface MigrateOutcome {
  applied: string[];
  backup: BackupManifest | null;
}

export class MigrationFailed extends Error {}

function hasTables(file: string): boolean {
  if (!existsSync(file) || statSync(file).size === 0) return false;
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").get() !== undefined;
  } finally {
    sqlite.close();
  }
}

/** Moves the write-ahead log into the file, so the file alone is the database. */
function checkpoint(file: string): void {
  const sqlite = new Database(file, { fileMustExist: true, timeout: 5000 });
  try {
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    sqlite.close();
  }
}

async function fingerprint(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const wal = `${file}-wal`;
  return `${hash.digest("hex")}:${existsSync(wal) ? statSync(wal).size : 0}`;
}

function howToGoBack(target: string, backup: BackupManifest | null, backupDir: string): string {
  return [
    `The database ${target} was not changed: the migrations ran on a copy, which was discarded.`,
    `To go back, run the previous Duban version on it as it is${backup ? `; a copy taken just before is ${backupDir}/${backup.file} (npm run -s duban -- restore <file>)` : ""}.`,
    "数据库未被修改（迁移在副本上执行）。可继续用上一版本运行；迁移前的备份见上。",
  ].join(" ");
}

export async function migrateWithBackup(target: string, options: MigrateOptions): Promise<MigrateOutcome> {
  if (isPostgresUrl(target)) return migratePostgres(target, options);
  const dir = options.dir ?? MIGRATIONS_DIR;
  // A new or empty file has nothing to lose: migrate it in place.
  if (!hasTables(target)) return { applied: await applyMigrations(target, dir), backup: null };
  if (sqliteIsUpToDate(target, dir)) return { applied: [], backup: null };

  const servers = liveServers(target, options.now, process.pid);
  if (servers.length) {
    throw new MigrationFailed(`${target} has migrations to apply but is in use by a running server (pid ${servers.map((s) => s.pid).join(", ")}); stop it, then start the new version. Nothing was changed.`);
  }
  checkpoint(target);
  const before = await fingerprint(target);
  const backup = await backupDatabase(target, options.backupDir, { reason: "pre-migrate", now: options.now });
  const work = `${target}.migrating`;
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(work + suffix, { force: true });
  copyFileSync(path.join(options.backupDir, backup.file), work);
  let applied: string[];
  try {
    applied = await applyMigrations(work, dir);
  } catch (error) {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(work + suffix, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationFailed(`A database migration failed: ${reason}\n${howToGoBack(target, backup, options.backupDir)}`, { cause: error });
  }
  // The migrated copy must be whole in its one file: only that file is moved.
  checkpoint(work);
  if (existsSync(`${work}-wal`) && statSync(`${work}-wal`).size > 0) throw new MigrationFailed(`${work} kept a write-ahead log after migrating; nothing was swapped. ${howToGoBack(target, backup, options.backupDir)}`);
  // Nobody may have written to the original meanwhile, or the swap would lose it.
  if ((await fingerprint(target)) !== before) {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(work + suffix, { force: true });
    throw new MigrationFailed(`${target} changed while it was being migrated (another process is writing to it); stop it and start again. Nothing was changed.`);
  }
  renameSync(work, target);
  for (const suffix of ["-wal", "-shm"]) rmSync(target + suffix, { force: true });
  return { applied, backup };
}

async function migratePostgres(url: string, options: MigrateOptions): Promise<MigrateOutcome> {
  // Only a database with data and pending migrations is dumped (not one at every start).
  const pending = await postgresHasPending(url, options.dir);
  if (!pending) return { applied: await applyMigrations(url, options.dir), backup: null };
  let backup: BackupManifest | null = null;
  try {
    backup = await backupDatabase(url, options.backupDir, { reason: "pre-migrate", now: options.now });
  } catch (error) {
    if (!(error instanceof MissingToolError)) throw error;
    options.warn?.(`no backup before migrating: ${error.message}`);
  }
  try {
    return { applied: await applyMigrations(url, options.dir), backup };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const back = backup ? `Restore the backup taken just before: npm run -s duban -- restore ${options.backupDir}/${backup.file}, then run the previous Duban version.` : "No backup could be taken (pg_dump missing): restore your own latest dump.";
    throw new MigrationFailed(`A database migration failed: ${reason}\n${back}`, { cause: error });
  }
}

async function postgresHasPending(url: string, dir?: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const table = await client.query("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = '_prisma_migrations'");
    if (table.rowCount === 0) return false; // a new database: nothing to back up
    const rows = await client.query<{ name: string }>("SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL");
    const applied = new Set(rows.rows.map((r) => r.name));
    return migrationNames(dir ?? POSTGRES_MIGRATIONS_DIR).some((name) => !applied.has(name));
  } finally {
    await client.end();
  }
}
