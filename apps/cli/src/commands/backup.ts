import path from "node:path";
import { backupDatabase, defaultBackupDir, restoreDatabase, RestoreRefused } from "@duban/db/backup/backup";
import { listBackups } from "@duban/db/backup/manifest";
import { MissingToolError } from "@duban/db/backup/postgres-backup";
import { REPO_ROOT } from "@duban/db/migrate/migrations";
import { type CliIo, databaseFile, UsageError } from "../io.ts";

function option(args: string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (!value || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
  return value;
}

/** --to / --dir, else BACKUP_DIR, else backups/ next to the SQLite file (data/backups for PostgreSQL). */
function backupDir(args: string[], io: CliIo, flag: string): string {
  const given = option(args, flag) ?? io.env.BACKUP_DIR;
  return given ? path.resolve(REPO_ROOT, given) : defaultBackupDir(databaseFile(io));
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function shanghai(at: Date): string {
  return at.toLocaleString("sv-SE", { timeZone: "Asia/Shanghai" });
}

/** `backup [--to <dir>]` and `backup list [--dir <dir>]`. */
export async function backupCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] === "list") {
    const dir = backupDir(args, io, "--dir");
    const backups = listBackups(dir);
    if (backups.length === 0) {
      io.out(`no backups in ${dir}`);
      return 0;
    }
    for (const b of backups) {
      const rows = b.manifest ? Object.entries(b.manifest.tables).filter(([t]) => t !== "_prisma_migrations").reduce((n, [, c]) => n + c, 0) : null;
      io.out(`${shanghai(b.createdAt)}  ${size(b.sizeBytes).padStart(10)}  ${b.manifest ? `${b.manifest.reason.padEnd(14)} ${rows} rows, checked` : "(no manifest: unchecked)".padEnd(30)}  ${b.path}`);
    }
    return 0;
  }
  if (args.length && args[0] !== "--to") throw new UsageError("usage: backup [--to <dir>] | backup list [--dir <dir>]");
  const dir = backupDir(args, io, "--to");
  try {
    const manifest = await backupDatabase(databaseFile(io), dir, { reason: "manual", now: io.now() });
    const rows = Object.entries(manifest.tables).filter(([t]) => t !== "_prisma_migrations").reduce((n, [, c]) => n + c, 0);
    io.out(`backup written and checked: ${path.join(dir, manifest.file)} (${size(manifest.sizeBytes)}, ${Object.keys(manifest.tables).length} tables, ${rows} rows)`);
    return 0;
  } catch (error) {
    if (error instanceof MissingToolError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

/** `restore <backup>`: refuses while a server uses the database; says what it did. */
export async function restoreCommand(args: string[], io: CliIo): Promise<number> {
  const [file] = args;
  if (!file) throw new UsageError("usage: restore <backup file>   (see: backup list)");
  const target = databaseFile(io);
  try {
    const outcome = await restoreDatabase(target, path.resolve(file), { now: io.now(), backupDir: backupDir([], io, "--dir") });
    for (const step of outcome.steps) io.out(`- ${step}`);
    io.out(`restored. Start the server as usual.${outcome.keptAside ? ` To undo: stop it and restore ${outcome.keptAside}.` : ""}`);
    return 0;
  } catch (error) {
    if (error instanceof RestoreRefused || error instanceof MissingToolError) {
      io.err(`restore refused: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
