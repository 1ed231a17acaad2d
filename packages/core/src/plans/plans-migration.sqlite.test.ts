import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { createDb } from "@duban/db/client";
import { applyMigrations, MIGRATIONS_DIR, migrationNames } from "@duban/db/migrate/migrations";
import { createTestDb } from "@duban/db/testing";
import { loadBoard } from "../board/board.ts";
import { listPlans } from "./plans.ts";
import { recordStatus } from "../submissions/record-status.ts";
import { runSchedulerPass } from "../reminders/run-scheduler-pass.ts";
import { at, liaisonFixture } from "../testing/liaison-fixture.ts";
import { tallyMigration } from "../testing/tally-fold.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "duban-plans-migration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A database of the release before plans (one plan, its rounds, a reply) migrated to this
 * schema reads the same board. The history is written with today's code, then copied column by
 * column into a file built with the earlier migrations only, which is then migrated.
 */
it("a single-plan database of the previous release migrates and reads the same board", { timeout: 180_000 }, async () => {
  const source = await liaisonFixture();
  const now = at("2026-10-14", "10:00");
  try {
    const sma = await source.unitId("市场监督管理局");
    const task8 = await source.taskId("8");
    await runSchedulerPass({ db: source.db, messenger: null, now: at("2026-10-12", "10:00") });
    const office = await source.db.user.create({ data: { username: "office", passwordHash: "-", role: "staff" } });
    await recordStatus(source.db, { taskId: task8, unitId: sma, status: "blocked", progress: 30, note: "缺少检定设备", userId: office.id, contactId: null, source: "console", now: at("2026-10-12", "11:00") });
    const before = await loadBoard(source.db, now);
    expect(before.counts.total).toBeGreaterThan(20);

    const previous = path.join(dir, "previous-release");
    // The previous release: every migration before this release's (the first of which creates the tally).
    const all = migrationNames(MIGRATIONS_DIR);
    const release = tallyMigration("sqlite").name;
    const names = all.filter((n) => n < release);
    for (const name of names) cpSync(path.join(MIGRATIONS_DIR, name), path.join(previous, name), { recursive: true });
    cpSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"), path.join(previous, "migration_lock.toml"));
    const file = path.join(dir, "old.db");
    await applyMigrations(file, previous);

    const old = createDb(`file:${file}`);
    try {
      await old.$executeRawUnsafe(`ATTACH DATABASE '${source.file!.replaceAll("'", "''")}' AS src`);
      const tables = await old.$queryRawUnsafe<Array<{ name: string }>>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'`);
      await old.$executeRawUnsafe("PRAGMA foreign_keys = OFF");
      for (const { name } of tables) {
        const columns = (await old.$queryRawUnsafe<Array<{ name: string }>>(`PRAGMA table_info("${name}")`)).map((c) => `"${c.name}"`).join(", ");
        await old.$executeRawUnsafe(`INSERT INTO main."${name}" (${columns}) SELECT ${columns} FROM src."${name}"`);
      }
      await old.$executeRawUnsafe("DETACH DATABASE src");
    } finally {
      await old.$disconnect();
    }

    expect(await applyMigrations(file)).toEqual(all.filter((n) => n >= release));
    const migrated = createDb(`file:${file}`);
    try {
      expect(await loadBoard(migrated, now)).toEqual(before);
      const [plan] = await listPlans(migrated, now);
      expect(plan).toMatchObject({ archived: false, docNumber: "同政办规〔2016〕4号" });
    } finally {
      await migrated.$disconnect();
    }
  } finally {
    await source.cleanup();
  }
});
