import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../testing.ts";
import { backupDatabase, restoreDatabase, RestoreRefused } from "./backup.ts";
import { listBackups } from "./manifest.ts";

const tests: TestDb[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const t of tests.splice(0)) await t.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("PostgreSQL backup and restore (pg_dump / pg_restore)", () => {
  it("dumps with row counts of one snapshot, refuses to restore under a connected server, then restores the dumped rows", async () => {
    const test = await createTestDb({ provider: "postgresql" });
    tests.push(test);
    const dir = mkdtempSync(path.join(os.tmpdir(), "duban-pg-backup-"));
    dirs.push(dir);
    await test.db.unit.createMany({ data: [{ name: "市场监督管理局" }, { name: "环保局" }] });
    const manifest = await backupDatabase(test.url, dir, { reason: "manual", now: new Date() });
    expect(manifest).toMatchObject({ provider: "postgresql", integrity: "ok", tables: { Unit: 2 } });
    expect(manifest.file).toMatch(/\.dump$/);
    await test.db.unit.create({ data: { name: "教育局" } });

    const backupFile = path.join(dir, manifest.file);
    // The test's own client stands for a running server's pool.
    await expect(restoreDatabase(test.url, backupFile, { now: new Date(), backupDir: dir })).rejects.toThrow(/in use/);
    const garbage = path.join(dir, "garbage.dump");
    writeFileSync(garbage, "not a dump");
    await expect(restoreDatabase(test.url, garbage, { now: new Date(), backupDir: dir })).rejects.toThrow(RestoreRefused);
    await test.db.$disconnect();

    const outcome = await restoreDatabase(test.url, backupFile, { now: new Date(), backupDir: dir });
    expect(outcome.steps.at(-1)).toBe("row counts match the backup's manifest");
    expect(listBackups(dir).map((b) => b.manifest?.reason)).toEqual(["manual", "before-restore"]);
    const again = test.connect();
    expect((await again.unit.findMany()).map((u) => u.name).sort()).toEqual(["市场监督管理局", "环保局"].sort());
  }, 120_000);
});
