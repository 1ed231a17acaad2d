import cron from "node-cron";
import type { Logger } from "pino";
import { backupDatabase } from "@duban/db/backup/backup";
import { rotateBackups, type BackupManifest } from "@duban/db/backup/manifest";

export interface BackupScheduleOptions {
  /** The SQLite file or the PostgreSQL URL (migrationTarget of DATABASE_URL). */
  target: string;
  dir: string;
  /** "HH:MM", Asia/Shanghai. */
  at: string;
  keepDays: number;
  log: Logger;
  now?: () => Date;
}

export interface NightlyBackup {
  /** One backup and rotation now, as the nightly job does it. */
  runOnce(): Promise<BackupManifest | null>;
  stop(): Promise<void>;
}

/**
 * The nightly backup: a checked copy of the database into BACKUP_DIR, then backups older than
 * BACKUP_KEEP days are removed (the newest always stays). A failure is logged as an error and
 * tried again the next night; it never stops the server.
 */
export function startNightlyBackup(options: BackupScheduleOptions): NightlyBackup {
  const now = options.now ?? (() => new Date());
  const [hour, minute] = options.at.split(":").map(Number) as [number, number];
  const runOnce = async (): Promise<BackupManifest | null> => {
    try {
      const manifest = await backupDatabase(options.target, options.dir, { reason: "nightly", now: now() });
      const removed = rotateBackups(options.dir, options.keepDays, now());
      options.log.info({ backup: manifest.file, sizeBytes: manifest.sizeBytes, removed: removed.length }, "nightly backup written and checked");
      return manifest;
    } catch (error) {
      options.log.error({ err: error, dir: options.dir }, "nightly backup FAILED; the next night tries again (run `npm run -s duban -- backup` by hand)");
      return null;
    }
  };
  const task = cron.schedule(`${minute} ${hour} * * *`, () => runOnce(), { timezone: "Asia/Shanghai", noOverlap: true, name: "duban-backup" });
  return {
    runOnce,
    async stop() {
      await task.stop();
    },
  };
}
