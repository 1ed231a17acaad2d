import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { applyMigrations, MIGRATIONS_DIR, migrationNames } from "../migrate/migrations.ts";
import { backupDatabase, restoreDatabase, RestoreRefused } from "./backup.ts";
import { listBackups, rotateBackups, writeManifest } from "./manifest.ts";
import { MigrationFailed, migrateWithBackup } from "./safe-migrate.ts";
import { holdServerLock } from "./server-lock.ts";

const dirs: string[] = [];
const clients: Db[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "duban-backup-test-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.$disconnect()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A migrated database with one plan, task and unit to hang replies on. */
async function databaseWithData(): Promise<{ file: string; db: Db; taskId: number; unitId: number }> {
  const file = path.join(tempDir(), "duban.db");
  await applyMigrations(file);
  const db = createDb(`file:${file}`);
  clients.push(db);
  const plan = await db.plan.create({ data: { title: "测试方案", sourceText: "x", sourceHash: "h" } });
  const task = await db.task.create({ data: { planId: plan.id, ordinal: 1, number: "1", title: "任务", body: "内容" } });
  const unit = await db.unit.create({ data: { name: "市场监督管理局" } });
  return { file, db, taskId: task.id, unitId: unit.id };
}

/** One reply as the bot records it: the status update and its audit event, in one transaction. */
async function writeReply(db: Db, taskId: number, unitId: number, n: number): Promise<void> {
  await db.$transaction(async (tx) => {
    const update = await tx.statusUpdate.create({ data: { taskId, unitId, status: "in_progress", progress: n % 100, note: `第${n}次进展：${"已完成部分工作。".repeat(20)}`, source: "telegram" } });
    await tx.auditEvent.create({ data: { actorType: "contact", action: "status.reply", entity: "StatusUpdate", entityId: String(update.id), detail: `reply ${n}` } });
  });
}

/**
 * Another process writing replies as the server does (a status update and its audit event per
 * transaction), until stopped. Its own connection: SQLite sees a second writer, as in production.
 */
function replyWriter(file: string, taskId: number, unitId: number) {
  const script = `
    import Database from "better-sqlite3";
    const db = new Database(${JSON.stringify(file)}, { timeout: 5000 });
    const update = db.prepare("INSERT INTO StatusUpdate (taskId, unitId, status, progress, note, source) VALUES (${taskId}, ${unitId}, 'in_progress', ?, ?, 'telegram')");
    const audit = db.prepare("INSERT INTO AuditEvent (actorType, action, entity, entityId, detail) VALUES ('contact', 'status.reply', 'StatusUpdate', ?, ?)");
    const reply = db.transaction((n) => { const r = update.run(n % 100, "进展 " + n + " " + "已完成部分工作。".repeat(20)); audit.run(String(r.lastInsertRowid), "reply " + n); });
    let n = 0;
    const step = () => { if (n >= 20000) return; reply(n++); if (n % 10 === 0) process.stdout.write(n + "\\n"); setImmediate(step); };
    step();
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: path.resolve(import.meta.dirname, "../.."), stdio: ["ignore", "pipe", "inherit"] });
  let written = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    const last = chunk.toString().trim().split("\n").at(-1);
    if (last) written = Number(last);
    for (const w of waiters.filter((w) => written >= w.n)) w.resolve();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    /** Resolves once this process has written at least `n` replies in total (20 were there before). */
    wrote(n: number): Promise<void> {
      return written + 20 >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n: n - 20, resolve }));
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function rows(file: string, table: string): unknown[] {
  const sqlite = new Database(file, { readonly: true });
  try {
    return sqlite.prepare(`SELECT * FROM "${table}" ORDER BY id`).all();
  } finally {
    sqlite.close();
  }
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

describe("SQLite backup and restore", () => {
  it("a backup taken while another process writes replies restores to exactly the rows of one moment (no torn copy)", async () => {
    const { file, db, taskId, unitId } = await databaseWithData();
    for (let n = 0; n < 20; n++) await writeReply(db, taskId, unitId, n);
    await db.$disconnect();
    const writer = replyWriter(file, taskId, unitId);
    await writer.wrote(100);
    const count = () => (rows(file, "StatusUpdate") as unknown[]).length;
    const before = count();
    const backupDir = path.join(path.dirname(file), "backups");
    const manifest = await backupDatabase(file, backupDir, { reason: "manual", now: new Date() });
    const after = count();
    await writer.wrote(after + 50);
    await writer.stop();
    expect(after).toBeGreaterThan(before); // replies really were being written around the backup

    // The copy holds a prefix of the replies: every reply with its audit event, and nothing after.
    const backupFile = path.join(backupDir, manifest.file);
    const copied = rows(backupFile, "StatusUpdate") as Array<{ id: number }>;
    const k = copied.length;
    expect(k).toBeGreaterThanOrEqual(before);
    expect(k).toBeLessThanOrEqual(after);
    expect(copied.map((r) => r.id)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
    expect(rows(backupFile, "AuditEvent")).toHaveLength(k);
    expect(manifest.tables).toMatchObject({ StatusUpdate: k, AuditEvent: k, Plan: 1, Task: 1, Unit: 1 });
    expect(manifest.integrity).toBe("ok");

    // Restored elsewhere, it equals the source as it was at that moment.
    const target = path.join(tempDir(), "restored.db");
    await restoreDatabase(target, backupFile, { now: new Date(), backupDir });
    const source = { updates: rows(file, "StatusUpdate") as Array<{ id: number }>, audit: rows(file, "AuditEvent") as Array<{ id: number }> };
    expect(source.updates.length).toBeGreaterThan(k);
    expect(rows(target, "StatusUpdate")).toEqual(source.updates.filter((r) => r.id <= k));
    expect(rows(target, "AuditEvent")).toEqual(source.audit.slice(0, k));
    expect(rows(target, "Task")).toEqual(rows(file, "Task"));
  }, 60_000);

  it("backup list shows each backup with its size and time; rotation keeps BACKUP_KEEP days and always the newest", async () => {
    const { file } = await databaseWithData();
    const dir = path.join(path.dirname(file), "backups");
    const day = 24 * 60 * 60 * 1000;
    const now = new Date("2026-11-27T19:00:00Z");
    for (const age of [20, 10, 6, 2, 0]) await backupDatabase(file, dir, { reason: "nightly", now: new Date(now.getTime() - age * day) });
    const listed = listBackups(dir);
    expect(listed.map((b) => Math.round((now.getTime() - b.createdAt.getTime()) / day))).toEqual([20, 10, 6, 2, 0]);
    for (const b of listed) expect(b.sizeBytes).toBeGreaterThan(0);

    const removed = rotateBackups(dir, 7, now);
    expect(removed).toHaveLength(2);
    expect(listBackups(dir).map((b) => Math.round((now.getTime() - b.createdAt.getTime()) / day))).toEqual([6, 2, 0]);
    expect(readdirSync(dir).filter((n) => n.endsWith(".json"))).toHaveLength(3);

    // Long after the last backup, the newest still stays.
    expect(rotateBackups(dir, 7, new Date(now.getTime() + 100 * day))).toHaveLength(2);
    expect(listBackups(dir)).toHaveLength(1);
  });

  it("restore refuses a corrupt backup and leaves the database as it was", async () => {
    const { file, db } = await databaseWithData();
    const dir = path.join(path.dirname(file), "backups");
    const manifest = await backupDatabase(file, dir, { reason: "manual", now: new Date() });
    const backupFile = path.join(dir, manifest.file);
    // Damage a page in the middle of the copy.
    const bytes = readFileSync(backupFile);
    bytes.fill(0x5a, 4096 * 3, 4096 * 3 + 2000);
    writeFileSync(backupFile, bytes);
    await db.$disconnect();
    const before = sha256(file);
    await expect(restoreDatabase(file, backupFile, { now: new Date(), backupDir: dir })).rejects.toThrow(RestoreRefused);
    expect(sha256(file)).toBe(before);
    expect(readdirSync(path.dirname(file)).filter((n) => n.includes("before-restore") || n.endsWith(".restoring"))).toEqual([]);

    // A file that is not a database at all, and a backup whose rows differ from its manifest.
    const garbage = path.join(dir, "duban-20261127-000000-manual.db");
    writeFileSync(garbage, "not a database");
    await expect(restoreDatabase(file, garbage, { now: new Date(), backupDir: dir })).rejects.toThrow(/failed its check/);
    const good = await backupDatabase(file, dir, { reason: "manual", now: new Date() });
    writeManifest(dir, { ...good, tables: { ...good.tables, StatusUpdate: 99 } });
    await expect(restoreDatabase(file, path.join(dir, good.file), { now: new Date(), backupDir: dir })).rejects.toThrow(/manifest/);
    expect(sha256(file)).toBe(before);
  });

  it("restore refuses a database a running server holds, and proceeds once it is released", async () => {
    const { file, db } = await databaseWithData();
    const dir = path.join(path.dirname(file), "backups");
    const manifest = await backupDatabase(file, dir, { reason: "manual", now: new Date() });
    await db.plan.update({ where: { id: 1 }, data: { title: "备份之后改的标题" } });
    const held = holdServerLock(file);
    await expect(restoreDatabase(file, path.join(dir, manifest.file), { now: new Date(), backupDir: dir })).rejects.toThrow(/in use by a running Duban server \(pid \d+/);
    expect((await db.plan.findFirstOrThrow()).title).toBe("备份之后改的标题");
    held.release();
    await db.$disconnect();

    const outcome = await restoreDatabase(file, path.join(dir, manifest.file), { now: new Date(), backupDir: dir });
    expect(outcome.keptAside).toMatch(/duban\.db\.before-restore-/);
    expect(outcome.steps.join("\n")).toMatch(/checked .*integrity ok[\s\S]*moved the current database .* aside[\s\S]*put the backup in place/);
    const reopened = createDb(`file:${file}`);
    clients.push(reopened);
    expect((await reopened.plan.findFirstOrThrow()).title).toBe("测试方案");
    // The database as it was before the restore is kept, whole.
    expect((rows(outcome.keptAside!, "Plan") as Array<{ title: string }>)[0]!.title).toBe("备份之后改的标题");
  });

  it("a stale entry of a server that died (dead pid) does not block a restore", async () => {
    const { file, db } = await databaseWithData();
    await db.$disconnect();
    const dir = path.join(path.dirname(file), "backups");
    const manifest = await backupDatabase(file, dir, { reason: "manual", now: new Date() });
    mkdirSync(`${file}.in-use`, { recursive: true });
    const old = new Date(Date.now() - 10 * 60 * 1000).toISOString();
    writeFileSync(path.join(`${file}.in-use`, `${os.hostname()}-999999.json`), JSON.stringify({ pid: 999_999_999, host: os.hostname(), startedAt: old, heartbeatAt: old }));
    await expect(restoreDatabase(file, path.join(dir, manifest.file), { now: new Date(), backupDir: dir })).resolves.toMatchObject({ keptAside: expect.any(String) });
  });
});

describe("PostgreSQL without the client tools", () => {
  it("says clearly that pg_dump is missing and how to install it", async () => {
    const path0 = process.env.PATH;
    process.env.PATH = tempDir();
    try {
      await expect(backupDatabase("postgresql://duban:secret@127.0.0.1:5432/duban", tempDir(), { reason: "manual", now: new Date() })).rejects.toThrow(/pg_dump is not installed.*apt install postgresql-client/);
    } finally {
      process.env.PATH = path0;
    }
  });
});

describe("migrations on a database with data", () => {
  /** The repository's migrations and one more that fails half-way (its first statement succeeds). */
  function historyWithBrokenMigration(): string {
    const dir = path.join(tempDir(), "migrations");
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(path.join(dir, "99990101000000_broken"));
    writeFileSync(path.join(dir, "99990101000000_broken/migration.sql"), 'ALTER TABLE "Plan" ADD COLUMN "brokenMigrationMark" DATETIME;\nDELETE FROM "StatusUpdate";\nINSERT INTO "NoSuchTable" VALUES (1);\n');
    return dir;
  }

  it("a failed migration leaves the database exactly as it was, and says how to go back", async () => {
    const { file, db, taskId, unitId } = await databaseWithData();
    for (let n = 0; n < 20; n++) await writeReply(db, taskId, unitId, n);
    await db.$disconnect();
    const before = sha256(file);
    const backupDir = path.join(path.dirname(file), "backups");
    const failure = migrateWithBackup(file, { backupDir, now: new Date(), dir: historyWithBrokenMigration() });
    await expect(failure).rejects.toThrow(MigrationFailed);
    const message = await failure.catch((e: Error) => e.message);
    expect(message).toMatch(/NoSuchTable/);
    expect(message).toMatch(/was not changed/);
    expect(message).toMatch(/previous Duban version/);
    expect(message).toContain(backupDir);
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}.migrating`)).toBe(false);
    expect(rows(file, "StatusUpdate")).toHaveLength(20);
    // The backup taken before is there, checked.
    expect(listBackups(backupDir).map((b) => b.manifest?.reason)).toEqual(["pre-migrate"]);
  });

  it("an upgrade from the previous schema backs up, migrates and keeps every row", async () => {
    const names = migrationNames(MIGRATIONS_DIR);
    const previous = path.join(tempDir(), "previous");
    for (const name of names.slice(0, -1)) cpSync(path.join(MIGRATIONS_DIR, name), path.join(previous, name), { recursive: true });
    cpSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"), path.join(previous, "migration_lock.toml"));
    const file = path.join(tempDir(), "old.db");
    await applyMigrations(file, previous);
    const sqlite = new Database(file);
    sqlite.exec(`INSERT INTO "Plan" (title, sourceText, sourceHash, updatedAt) VALUES ('旧方案', 'x', 'h', 0);
      INSERT INTO "Task" (planId, ordinal, number, title, body) VALUES (1, 1, '1', '任务', '内容');
      INSERT INTO "Unit" (name) VALUES ('市场监督管理局');`);
    const insert = sqlite.prepare(`INSERT INTO "StatusUpdate" (taskId, unitId, status, note, source) VALUES (1, 1, 'in_progress', ?, 'telegram')`);
    for (let n = 0; n < 50; n++) insert.run(`进展 ${n}`);
    sqlite.close();
    const tables = ["Plan", "Task", "Unit", "StatusUpdate"];
    const old = Object.fromEntries(tables.map((t) => [t, rows(file, t)]));

    const backupDir = path.join(path.dirname(file), "backups");
    const outcome = await migrateWithBackup(file, { backupDir, now: new Date() });
    expect(outcome.applied).toEqual([names.at(-1)]);
    expect(outcome.backup?.reason).toBe("pre-migrate");
    expect(outcome.backup?.tables.StatusUpdate).toBe(50);
    for (const table of tables) {
      const upgraded = rows(file, table) as Array<Record<string, unknown>>;
      // Every old column of every old row, unchanged (new columns may have been added).
      expect(upgraded.map((row) => Object.fromEntries(Object.keys((old[table] as Array<object>)[0]!).map((k) => [k, row[k]])))).toEqual(old[table]);
    }
    // Up to date now: a second start neither migrates nor backs up.
    expect(await migrateWithBackup(file, { backupDir, now: new Date() })).toEqual({ applied: [], backup: null });
    expect(listBackups(backupDir)).toHaveLength(1);
  });
});
