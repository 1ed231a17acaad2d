import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { loadBoard } from "./board.ts";
import { decideExtension } from "../submissions/extensions.ts";
import { loadOverview } from "./overview.ts";
import { amendStatusUpdate, recordStatus } from "../submissions/record-status.ts";
import { coordinateBlocker } from "../submissions/coordinate-blocker.ts";
import { requestExtension } from "../submissions/request-extension.ts";
import { runSchedulerPass } from "../reminders/run-scheduler-pass.ts";
import { assignUnitToTask } from "../tasks/task-units.ts";
import { mergeUnit } from "../units/edit-unit.ts";
import { createUser } from "../users/create-user.ts";
import { at, liaisonFixture } from "../testing/liaison-fixture.ts";
import { expectLatestStatusFresh, expectTallyFresh, latestStatusBackfillSql, tallyBackfillSql } from "../testing/tally-fold.ts";
import { loadBoardFromHistory } from "../testing/board-from-history.ts";
import { HISTORY_NOW, insertBoardHistory } from "../testing/board-history-fixture.ts";

const DAY = 86_400_000;

/** A small seeded generator, so a failing history can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T,>(xs: T[]): T => xs[Math.floor(next() * xs.length)]! };
}

describe("the submission tally and the newest statuses the board reads, kept by database triggers (temporary database)", () => {
  let test: TestDb;
  let planId: number;
  beforeEach(async () => {
    test = await createTestDb();
    planId = (await insertBoardHistory(test.db, { tasks: 8, units: 30, unitsPerTask: 4, quarters: 6, collectives: true, provider: test.provider })).planId;
  });
  afterEach(() => test.cleanup());

  it("stays equal to a fold of every submission and status update, and the board to the full-history fold, through random histories and moments", { timeout: 240_000 }, async () => {
    const db = test.db;
    await expectTallyFresh(db);
    await expectLatestStatusFresh(db);
    const statuses = ["not_started", "in_progress", "done", "blocked"];
    const rng = random(20261127);
    const moments = () => [HISTORY_NOW, new Date(HISTORY_NOW.getTime() + rng.int(40) * DAY), new Date(HISTORY_NOW.getTime() - rng.int(500) * DAY)];
    let checked = 0;
    for (let step = 0; step < 60; step++) {
      const submissions = await db.submission.findMany({ select: { id: true, roundId: true, unitId: true, dueAt: true, submittedAt: true }, orderBy: { id: "asc" } });
      const op = rng.int(16);
      const s = rng.pick(submissions);
      if (op === 0 || op === 1) {
        // A reply or an office entry marks it in (or, as a correction, out again).
        await db.submission.update({ where: { id: s.id }, data: { submittedAt: s.submittedAt ? null : new Date(HISTORY_NOW.getTime() - rng.int(30) * DAY) } });
      } else if (op === 2) {
        // An extension, or a due moment made equal to another submission's: ties on the due moment.
        const other = rng.pick(submissions);
        await db.submission.update({ where: { id: s.id }, data: { dueAt: rng.next() < 0.5 ? other.dueAt : new Date(s.dueAt.getTime() + (rng.int(20) - 5) * DAY) } });
      } else if (op === 3) {
        // A round opens (sometimes after the moments asked about), owed by the task's units.
        const deadline = rng.pick(await db.deadline.findMany({ select: { id: true, taskId: true } }));
        const opensAt = new Date(HISTORY_NOW.getTime() + (rng.int(60) - 30) * DAY);
        const round = await db.round.create({ data: { deadlineId: deadline.id, periodKey: `x${step}`, opensAt, dueAt: new Date(opensAt.getTime() + rng.int(20) * DAY) } });
        const units = await db.assignment.findMany({ where: { taskId: deadline.taskId }, select: { unitId: true } });
        await db.submission.createMany({ data: units.map((a, i) => ({ roundId: round.id, unitId: a.unitId, dueAt: round.dueAt, submittedAt: i % 3 === 0 ? opensAt : null })) });
      } else if (op === 4) {
        await db.submission.delete({ where: { id: s.id } });
      } else if (op === 5) {
        await db.round.delete({ where: { id: s.roundId } });
      } else if (op === 6) {
        // A unit merge moves submissions to another unit.
        const unitId = rng.int(30) + 1;
        if (!submissions.some((o) => o.roundId === s.roundId && o.unitId === unitId)) await db.submission.update({ where: { id: s.id }, data: { unitId } });
      } else if (op === 7) {
        const deadline = rng.pick(await db.deadline.findMany({ select: { id: true, active: true } }));
        await db.deadline.update({ where: { id: deadline.id }, data: { active: !deadline.active } });
      } else if (op === 8) {
        await db.round.update({ where: { id: s.roundId }, data: { opensAt: new Date(HISTORY_NOW.getTime() + (rng.int(60) - 30) * DAY) } });
      } else if (op === 9) {
        // A second deadline on a task: the board folds both.
        const task = rng.pick(await db.task.findMany({ select: { id: true } }));
        await db.deadline.create({ data: { taskId: task.id, title: "年度总结", kind: "annual", month: 1, day: 15 } });
      } else if (op === 10) {
        if (rng.next() < 0.3) {
          const deadline = rng.pick(await db.deadline.findMany({ select: { id: true } }));
          await db.deadline.delete({ where: { id: deadline.id } });
        }
      } else {
        // Status updates: replies (ties on the instant included), amends, coordination, deletions and moves.
        const updates = await db.statusUpdate.findMany({ select: { id: true, taskId: true, unitId: true, createdAt: true }, orderBy: { id: "asc" } });
        const u = rng.pick(updates);
        if (op === 11 || op === 12) {
          const tasks = await db.task.findMany({ select: { id: true } });
          const createdAt = rng.next() < 0.3 ? u.createdAt : new Date(HISTORY_NOW.getTime() - (rng.int(60) - 10) * DAY);
          const data = Array.from({ length: 1 + rng.int(3) }, () => ({ taskId: rng.next() < 0.5 ? u.taskId : rng.pick(tasks).id, unitId: rng.next() < 0.5 ? u.unitId : rng.int(30) + 1, status: rng.pick(statuses), progress: rng.next() < 0.3 ? null : rng.int(101), source: "telegram-text", createdAt }));
          await db.statusUpdate.createMany({ data });
        } else if (op === 13) {
          // An amend, or the office coordinating (or, as a correction, not) a difficulty.
          await db.statusUpdate.update({ where: { id: u.id }, data: rng.next() < 0.5 ? { status: rng.pick(statuses), progress: rng.int(101) } : { coordinatedAt: rng.next() < 0.7 ? HISTORY_NOW : null } });
        } else if (op === 14) {
          await db.statusUpdate.deleteMany({ where: { id: { in: [u.id, rng.pick(updates).id] } } });
        } else {
          // A unit merge moves a unit's updates to another; a correction moves one in time.
          if (rng.next() < 0.5) await db.statusUpdate.updateMany({ where: { unitId: u.unitId, taskId: u.taskId }, data: { unitId: rng.int(30) + 1 } });
          else await db.statusUpdate.update({ where: { id: u.id }, data: { createdAt: new Date(u.createdAt.getTime() + (rng.int(20) - 10) * DAY) } });
        }
      }
      if (step % 4 !== 3) continue;
      await expectTallyFresh(db);
      await expectLatestStatusFresh(db);
      for (const now of moments()) {
        const board = await loadBoard(db, now, { planId });
        expect(board).toEqual(await loadBoardFromHistory(db, now, { planId }));
        const overview = (await loadOverview(db, now)).plans.find((p) => p.planId === planId)!;
        expect(overview.counts).toEqual(board.counts);
        checked += board.counts.total;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("is rebuilt the same by the migration's backfill (a database of the previous release)", async () => {
    const db = test.db;
    const before = await db.submissionTally.findMany({ orderBy: [{ deadlineId: "asc" }, { unitId: "asc" }] });
    expect(before.length).toBeGreaterThan(30);
    await db.$executeRawUnsafe(`DELETE FROM "SubmissionTally"`);
    await db.$executeRawUnsafe(tallyBackfillSql(test.provider));
    expect(await db.submissionTally.findMany({ orderBy: [{ deadlineId: "asc" }, { unitId: "asc" }] })).toEqual(before);
    await expectTallyFresh(db);

    const latest = await db.latestStatus.findMany({ orderBy: [{ taskId: "asc" }, { unitId: "asc" }] });
    expect(latest.length).toBeGreaterThan(20);
    await db.$executeRawUnsafe(`DELETE FROM "LatestStatus"`);
    await db.$executeRawUnsafe(latestStatusBackfillSql(test.provider));
    expect(await db.latestStatus.findMany({ orderBy: [{ taskId: "asc" }, { unitId: "asc" }] })).toEqual(latest);
    await expectLatestStatusFresh(db);
  });

  it("is removed with a unit, a deadline or a task, whole rounds and histories included", async () => {
    const db = test.db;
    expect(await db.latestStatus.count({ where: { OR: [{ unitId: 2 }, { taskId: 5 }] } })).toBeGreaterThan(0);
    await db.unit.delete({ where: { id: 2 } });
    await db.deadline.delete({ where: { id: 3 } });
    await db.task.delete({ where: { id: 5 } });
    await expectTallyFresh(db);
    await expectLatestStatusFresh(db);
    expect(await db.submissionTally.count({ where: { OR: [{ unitId: 2 }, { deadlineId: 3 }] } })).toBe(0);
    expect(await db.latestStatus.count({ where: { OR: [{ unitId: 2 }, { taskId: 5 }] } })).toBe(0);
    expect(await loadBoard(db, HISTORY_NOW, { planId })).toEqual(await loadBoardFromHistory(db, HISTORY_NOW, { planId }));
  });
});

describe("the tally through the use cases that change submissions (temporary database, seed plan)", () => {
  it("follows rounds opening, a reply, an extension, a unit added and a unit merged, in their transactions", { timeout: 120_000 }, async () => {
    const f = await liaisonFixture();
    try {
      const db = f.db;
      const now = at("2026-10-12", "10:00");
      const same = async (moment: Date) => {
        await expectTallyFresh(db);
        await expectLatestStatusFresh(db);
        expect(await loadBoard(db, moment)).toEqual(await loadBoardFromHistory(db, moment));
      };
      await same(now);
      const office = (await createUser(db, { username: "office", password: "office password", role: "staff", now, actor: null })).id;
      const liaison = await f.addContact({ unit: "环保局", telegramUserId: "5001" });
      const { roundId } = await f.round({ task: "16", unit: "环保局", periodKey: "2026Q3", progress: true });
      const { extensionRequestId } = await requestExtension(db, { contactId: liaison, roundId, reason: "监测数据需等省厅反馈", now });
      await decideExtension(db, { id: extensionRequestId, decision: "approve", newDueDate: "2026-10-30", reason: "请按期报送" }, now, office);
      await same(now);
      const blocked = await recordStatus(db, { contactId: liaison, taskId: await f.taskId("16"), roundId, status: "blocked", note: "经费未落实", source: "telegram-button", now });
      await same(now);
      await coordinateBlocker(db, { statusUpdateId: blocked.statusUpdateId, note: "已协调财政局" }, now, office);
      await same(now);
      await amendStatusUpdate(db, { statusUpdateId: blocked.statusUpdateId, contactId: liaison, progress: 60, now });
      await same(now);
      await recordStatus(db, { contactId: liaison, taskId: await f.taskId("16"), roundId, status: "done", source: "telegram-button", now });
      await same(now);
      await assignUnitToTask(db, { taskId: await f.taskId("8"), unit: { name: "新设单位" }, role: "support", now, actor: office });
      await same(now);
      await mergeUnit(db, { unitId: await f.unitId("新设单位"), intoUnitId: await f.unitId("环保局"), now, actor: office });
      await same(now);
      const later = at("2027-01-05", "10:00");
      await runSchedulerPass({ db, messenger: null, now: later });
      await same(later);
      // A change rolled back leaves the tally as it was.
      const before = await db.submissionTally.findMany({ orderBy: [{ deadlineId: "asc" }, { unitId: "asc" }] });
      const latestBefore = await db.latestStatus.findMany({ orderBy: [{ taskId: "asc" }, { unitId: "asc" }] });
      await expect(
        db.$transaction(async (tx) => {
          await tx.submission.updateMany({ where: { submittedAt: null }, data: { submittedAt: later } });
          await tx.statusUpdate.create({ data: { taskId: await f.taskId("16"), unitId: await f.unitId("环保局"), status: "blocked", source: "office", createdAt: later } });
          await tx.statusUpdate.deleteMany({ where: { taskId: await f.taskId("8") } });
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect(await db.submissionTally.findMany({ orderBy: [{ deadlineId: "asc" }, { unitId: "asc" }] })).toEqual(before);
      expect(await db.latestStatus.findMany({ orderBy: [{ taskId: "asc" }, { unitId: "asc" }] })).toEqual(latestBefore);
    } finally {
      await f.cleanup();
    }
  });
});
