import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { importPlan } from "@duban/core/plans/import-plan";
import { createDb, migrationTarget, resolveDatabaseUrl, type Db } from "@duban/db/client";
import { defaultBackupDir } from "@duban/db/backup/backup";
import { migrateWithBackup } from "@duban/db/backup/safe-migrate";
import { REPO_ROOT } from "@duban/db/migrate/migrations";

export interface BootOptions {
  databaseUrl: string;
  seedPlan: string | null;
  log: Logger;
  now?: () => Date;
  /** Where the backup taken before migrating goes (BACKUP_DIR); next to the SQLite file by default. */
  backupDir?: string;
}

/**
 * Prepares the database (a SQLite file, created with its folder, or a PostgreSQL database):
 * applies migrations (after a backup, on a copy: a failed one leaves the database as it was),
 * and loads the seed plan into an empty database. Safe to run at every
 * start and from several processes.
 */
export async function prepareDatabase(options: BootOptions): Promise<Db> {
  const url = resolveDatabaseUrl(options.databaseUrl, REPO_ROOT);
  const target = migrationTarget(url);
  const { applied, backup } = await migrateWithBackup(target, {
    backupDir: options.backupDir ?? defaultBackupDir(target),
    now: options.now?.() ?? new Date(),
    warn: (message) => options.log.warn(message),
  });
  if (applied.length) options.log.info({ applied, backup: backup?.file ?? null }, "applied database migrations (backed up first)");
  const db = createDb(url);
  if (options.seedPlan && (await db.plan.count()) === 0) {
    const seedPath = path.resolve(REPO_ROOT, options.seedPlan);
    if (!existsSync(seedPath)) throw new Error(`SEED_PLAN file not found: ${seedPath}`);
    const result = await importPlan(db, readFileSync(seedPath, "utf8"), options.now?.() ?? new Date());
    const tasks = result.plan.groups.reduce((n, g) => n + g.tasks.length, 0);
    options.log.info({ plan: result.plan.title, groups: result.plan.groups.length, tasks }, "imported the seed plan");
  }
  return db;
}
