/**
 * "A server is using this SQLite database": each running server keeps a small file
 * `<db>.in-use/<host>-<pid>.json` with its pid and a heartbeat it refreshes every 30 s, and
 * removes it when it stops. An entry counts as live when its process exists on this host, or
 * (another host on a shared disk, or a pid we cannot see) its heartbeat is under 2 minutes old.
 * A server killed with SIGKILL leaves a dead pid and an old heartbeat: ignored.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface ServerLockEntry {
  pid: number;
  host: string;
  startedAt: string;
  heartbeatAt: string;
}

export const HEARTBEAT_MS = 30_000;
export const STALE_AFTER_MS = 120_000;

export function inUseDir(sqliteFile: string): string {
  return `${sqliteFile}.in-use`;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The servers using the file now (stale entries are left out). `exceptPid` leaves out the caller. */
export function liveServers(sqliteFile: string, now = new Date(), exceptPid?: number): ServerLockEntry[] {
  let names: string[];
  try {
    names = readdirSync(inUseDir(sqliteFile)).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  const live: ServerLockEntry[] = [];
  for (const name of names) {
    let entry: ServerLockEntry;
    try {
      entry = JSON.parse(readFileSync(path.join(inUseDir(sqliteFile), name), "utf8")) as ServerLockEntry;
    } catch {
      continue;
    }
    if (entry.pid === exceptPid && entry.host === os.hostname()) continue;
    const fresh = now.getTime() - new Date(entry.heartbeatAt).getTime() < STALE_AFTER_MS;
    const running = entry.host === os.hostname() ? processExists(entry.pid) : fresh;
    if (running) live.push(entry);
  }
  return live;
}

export interface HeldServerLock {
  release(): void;
}

/** Marks the file as used by this process until `release()` (called on stop). */
export function holdServerLock(sqliteFile: string, now: () => Date = () => new Date()): HeldServerLock {
  const dir = inUseDir(sqliteFile);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${os.hostname()}-${process.pid}.json`);
  const startedAt = now().toISOString();
  const write = () => {
    const entry: ServerLockEntry = { pid: process.pid, host: os.hostname(), startedAt, heartbeatAt: now().toISOString() };
    writeFileSync(`${file}.tmp`, JSON.stringify(entry));
    renameSync(`${file}.tmp`, file);
  };
  write();
  const timer = setInterval(() => {
    try {
      write();
    } catch {
      // The folder was removed (a restore moved the database aside): nothing to refresh.
    }
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    release() {
      clearInterval(timer);
      rmSync(file, { force: true });
    },
  };
}
