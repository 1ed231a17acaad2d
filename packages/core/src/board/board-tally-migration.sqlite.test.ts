import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { createDb } from "@duban/db/client";
import { applyMigrations, MIGRATIONS_DIR, migrationNames } from "@duban/db/migrate/migrations";
import { loadBoard } from "./board.ts";
import { loadOverview } from "./overview.ts";
import { loadBoardFromHistory } from "../testing/board-from-history.ts";
import { HISTORY_NOW, insertBoardHistory } from "../testing/board-history-fixture.ts";
import { expectLatestStatusFresh, expectTallyFresh, tallyMigration } from "../testing/tally-fold.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "duban-tally-migration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DAY = 86_400_000;

/**
 * A database of the release before the tally, with years of history, migrated: the backfills at the
 * end of the migrations fill SubmissionTally and LatestStatus, and the board reads what the
 * full-history fold reads.
 */
it("a database with history from before the tally migrates and reads the same board", { timeout: 180_000 }, async () => {
  const tally = tallyMigration("sqlite").name;
  const previous = path.join(dir, "previous-release");
  const all = migrationNames(MIGRATIONS_DIR);
  for (const name of all.filter((n) => n < tally)) cpSync(path.join(MIGRATIONS_DIR, name), path.join(previous, name), { recursive: true });
  cpSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"), path.join(previous, "migration_lock.toml"));
  const file = path.join(dir, "old.db");
  await applyMigrations(file, previous);

  const old = createDb(`file:${file}`);
  let planId: number;
  try {
    expect(await old.$queryRawUnsafe<unknown[]>(`SELECT name FROM sqlite_master WHERE name = 'SubmissionTally'`)).toEqual([]);
    planId = (await insertBoardHistory(old, { tasks: 10, units: 30, unitsPerTask: 4, quarters: 8, collectives: true, provider: "sqlite" })).planId;
    // A round that opens after "now", and an archived deadline.
    const future = await old.round.create({ data: { deadlineId: 4, periodKey: "2026Q4", opensAt: new Date(HISTORY_NOW.getTime() + DAY), dueAt: new Date(HISTORY_NOW.getTime() - DAY) } });
    const units = await old.assignment.findMany({ where: { taskId: 4 }, select: { unitId: true } });
    await old.submission.createMany({ data: units.map((a) => ({ roundId: future.id, unitId: a.unitId, dueAt: future.dueAt })) });
    await old.deadline.update({ where: { id: 2 }, data: { active: false } });
  } finally {
    await old.$disconnect();
  }

  expect(await applyMigrations(file)).toEqual(all.filter((n) => n >= tally));
  const migrated = createDb(`file:${file}`);
  try {
    await expectTallyFresh(migrated);
    await expectLatestStatusFresh(migrated);
    expect(await migrated.latestStatus.count()).toBeGreaterThan(30);
    for (const now of [HISTORY_NOW, new Date(HISTORY_NOW.getTime() + 2 * DAY), new Date(HISTORY_NOW.getTime() - 400 * DAY)]) {
      const board = await loadBoard(migrated, now, { planId });
      expect(board).toEqual(await loadBoardFromHistory(migrated, now, { planId }));
      expect((await loadOverview(migrated, now)).plans[0]!.counts).toEqual(board.counts);
    }
    // The triggers came with it: a reply after the migration moves the tally.
    const owed = await migrated.submission.findFirstOrThrow({ where: { submittedAt: null, round: { opensAt: { lte: HISTORY_NOW } } } });
    await migrated.submission.update({ where: { id: owed.id }, data: { submittedAt: HISTORY_NOW } });
    await migrated.statusUpdate.create({ data: { taskId: 1, unitId: owed.unitId, status: "blocked", source: "telegram-text", createdAt: HISTORY_NOW } });
    await expectTallyFresh(migrated);
    await expectLatestStatusFresh(migrated);
    expect(await loadBoard(migrated, HISTORY_NOW, { planId })).toEqual(await loadBoardFromHistory(migrated, HISTORY_NOW, { planId }));
  } finally {
    await migrated.$disconnect();
  }
});
