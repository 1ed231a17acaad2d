/**
 * A backup is a file (`duban-<Shanghai time>-<reason>.db` for SQLite, `.dump` for pg_dump's
 * custom format) and a manifest next to it (`<file>.json`): when, why, size, and the row count
 * of every table as checked right after writing. Listing, rotation and restore read manifests.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export type BackupReason = "manual" | "nightly" | "pre-migrate" | "before-restore";

export interface BackupManifest {
  /** File name inside the backup folder. */
  file: string;
  provider: "sqlite" | "postgresql";
  reason: BackupReason;
  createdAt: string;
  sizeBytes: number;
  integrity: "ok";
  tables: Record<string, number>;
}

export interface ListedBackup {
  path: string;
  manifest: BackupManifest | null;
  sizeBytes: number;
  /** The manifest's time, or the file's modification time when it has none. */
  createdAt: Date;
}

const BACKUP_FILE = /^duban-\d{8}-\d{6}(-\d+)?-[a-z-]+\.(db|dump)$/;

function shanghaiStamp(at: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${get("year")}${get("month")}${get("day")}-${get("hour")}${get("minute")}${get("second")}`;
}

/** A new file name in `dir` (created if missing); a second backup within the same second gets a counter. */
export function backupFileName(dir: string, at: Date, reason: BackupReason, extension: "db" | "dump"): string {
  mkdirSync(dir, { recursive: true });
  const stamp = shanghaiStamp(at);
  for (let n = 1; ; n++) {
    const name = `duban-${stamp}${n === 1 ? "" : `-${n}`}-${reason}.${extension}`;
    if (!existsSync(path.join(dir, name)) && !existsSync(path.join(dir, `${name}.partial`))) return name;
  }
}

export function manifestPath(backupFile: string): string {
  return `${backupFile}.json`;
}

export function writeManifest(dir: string, manifest: BackupManifest): void {
  const target = manifestPath(path.join(dir, manifest.file));
  writeFileSync(`${target}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${target}.partial`, target);
}

export function readManifest(backupFile: string): BackupManifest | null {
  const file = manifestPath(backupFile);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as BackupManifest;
  } catch {
    return null;
  }
}

/** The backups in `dir`, oldest first. */
export function listBackups(dir: string): ListedBackup[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => BACKUP_FILE.test(name))
    .map((name) => {
      const file = path.join(dir, name);
      const manifest = readManifest(file);
      const stat = statSync(file);
      return { path: file, manifest, sizeBytes: stat.size, createdAt: manifest ? new Date(manifest.createdAt) : stat.mtime };
    })
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.path.localeCompare(b.path));
}

/**
 * Deletes backups older than `keepDays` days (file and manifest), always keeping the newest one
 * so a long stop never leaves the folder empty. Returns the files removed.
 */
export function rotateBackups(dir: string, keepDays: number, now: Date): string[] {
  const backups = listBackups(dir);
  const cutoff = now.getTime() - keepDays * 24 * 60 * 60 * 1000;
  const removed: string[] = [];
  for (const backup of backups.slice(0, -1)) {
    if (backup.createdAt.getTime() >= cutoff) continue;
    rmSync(backup.path, { force: true });
    rmSync(manifestPath(backup.path), { force: true });
    removed.push(backup.path);
  }
  return removed;
}
