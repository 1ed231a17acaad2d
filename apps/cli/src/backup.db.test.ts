import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { holdServerLock } from "@duban/db/backup/server-lock";
import { createDb } from "@duban/db/client";
import { runCli } from "./main.ts";
import type { CliIo } from "./io.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "duban-cli-backup-"));
const file = path.join(dir, "duban.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => "", env: { DATABASE_URL: `file:${file}`, ...env }, now: () => new Date("2026-11-27T12:00:00Z") };
  const code = await runCli(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("duban backup / restore", () => {
  it("backs up into BACKUP_DIR or --to, lists with size and time, restores, and refuses a database in use or a bad file", async () => {
    expect((await run(["db", "migrate"])).code).toBe(0);
    const db = createDb(`file:${file}`);
    await db.unit.create({ data: { name: "市场监督管理局" } });

    const made = await run(["backup"], { BACKUP_DIR: path.join(dir, "nightly") });
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/^backup written and checked: .*nightly\/duban-20261127-200000-manual\.db \([\d.]+ KiB, \d+ tables, 1 rows\)$/);
    const usb = path.join(dir, "usb");
    expect((await run(["backup", "--to", usb])).code).toBe(0);
    const listed = await run(["backup", "list", "--dir", usb]);
    expect(listed.out).toMatch(/^2026-11-27 20:00:00 +[\d.]+ KiB {2}manual +1 rows, checked {2}.*usb\/duban-20261127-200000-manual\.db$/);
    const backup = path.join(usb, readdirSync(usb).find((n) => n.endsWith(".db"))!);

    await db.unit.create({ data: { name: "环保局" } });
    const held = holdServerLock(file);
    const refused = await run(["restore", backup]);
    held.release();
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^restore refused: .* in use by a running Duban server/);

    const garbage = path.join(dir, "not-a-backup.db");
    writeFileSync(garbage, "garbage");
    expect((await run(["restore", garbage])).err).toMatch(/restore refused: .*failed its check/);
    expect(await db.unit.count()).toBe(2);
    await db.$disconnect();

    const restored = await run(["restore", backup]);
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/- checked .*integrity ok.*\n- moved the current database .* aside to .*duban\.db\.before-restore-.*\n- put the backup in place as .*duban\.db\nrestored\./);
    const after = createDb(`file:${file}`);
    expect((await after.unit.findMany()).map((u) => u.name)).toEqual(["市场监督管理局"]);
    await after.$disconnect();
    expect((await run(["restore"])).code).toBe(2);
  });
});
