import { createDb, DEFAULT_DATABASE_URL, migrationTarget, resolveDatabaseUrl, type Db } from "@duban/db/client";
import { databaseUrlSchema } from "@duban/db/database-url";
import { defaultBackupDir } from "@duban/db/backup/backup";
import { migrateWithBackup } from "@duban/db/backup/safe-migrate";
import { REPO_ROOT } from "@duban/db/migrate/migrations";
import path from "node:path";
import { workingHoursSettingSchema, type WorkingHours } from "@duban/domain/working-hours";
import { z } from "zod";

/** What a command may touch: output streams, stdin, the database, the clock. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  readStdin: () => Promise<string>;
  env: Record<string, string | undefined>;
  now: () => Date;
}

/** A user mistake: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

const cliEnv = z.object({
  DATABASE_URL: databaseUrlSchema,
});

/** Opens the database of DATABASE_URL (relative paths from the repo root), migrated. */
export async function openDatabase(io: CliIo): Promise<Db> {
  const parsed = cliEnv.safeParse(io.env);
  if (!parsed.success) throw new UsageError(`DATABASE_URL ${parsed.error.issues[0]?.message ?? "is invalid"}`);
  const url = resolveDatabaseUrl(parsed.data.DATABASE_URL, REPO_ROOT);
  await migrateDatabase(io);
  return createDb(url);
}

const workingHoursEnv = z.object({ WORKING_HOURS: workingHoursSettingSchema });

/** WORKING_HOURS, read as the server reads it, so `reminders preview` and `scheduler tick` plan what the server would. */
export function workingHours(io: CliIo): WorkingHours {
  const parsed = workingHoursEnv.safeParse(io.env);
  if (!parsed.success) throw new UsageError(`WORKING_HOURS: ${parsed.error.issues[0]?.message ?? "is invalid"} (got "${io.env.WORKING_HOURS}")`);
  return parsed.data.WORKING_HOURS;
}

/** Applies pending migrations the way the server does: backup first, on a copy. */
export async function migrateDatabase(io: CliIo): Promise<string[]> {
  const target = databaseFile(io);
  const backupDir = io.env.BACKUP_DIR ? path.resolve(REPO_ROOT, io.env.BACKUP_DIR) : defaultBackupDir(target);
  const { applied } = await migrateWithBackup(target, { backupDir, now: io.now(), warn: io.err });
  return applied;
}

/** What `applyMigrations` takes for DATABASE_URL: the SQLite file, or the PostgreSQL URL. */
export function databaseFile(io: CliIo): string {
  return migrationTarget(io.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, REPO_ROOT);
}

/** Parses an ISO date-time given on the command line (e.g. 2026-10-09T09:00+08:00). */
export function parseInstant(text: string | undefined, flag: string): Date {
  if (!text) throw new UsageError(`${flag} <ISO datetime> is required, e.g. ${flag} 2026-10-09T09:00:00+08:00`);
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new UsageError(`${flag}: "${text}" is not an ISO date-time (e.g. 2026-10-09T09:00:00+08:00)`);
  return at;
}

/**
 * Exits once stdout and stderr have handed everything to the OS. When stdout is a pipe, writes are
 * asynchronous; process.exit right after them would drop what is still queued (`tick --record | cat`).
 */
export function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  // An empty write's callback runs after every earlier write to that stream has been flushed.
  process.stdout.write("", done);
  process.stderr.write("", done);
}
