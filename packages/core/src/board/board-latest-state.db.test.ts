import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { boardVersion, loadBoard } from "./board.ts";
import { coordinateBlocker } from "../submissions/coordinate-blocker.ts";
import { recordStatus } from "../submissions/record-status.ts";
import { createUser } from "../users/create-user.ts";
import { loadOverview } from "./overview.ts";
import { loadBoardFromHistory } from "../testing/board-from-history.ts";
import { HISTORY_NOW, insertBoardHistory } from "../testing/board-history-fixture.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

const DAY = 86_400_000;

describe("loadBoard reads the latest state and shows what the full-history fold showed (temporary database)", () => {
  let test: TestDb;
  let planId: number;
  beforeEach(async () => {
    test = await createTestDb();
    const db = test.db;
    // 3 years of quarters, 12 tasks × 4 of 30 units, collectives, unanswered history, extensions, blockers.
    planId = (await insertBoardHistory(db, { tasks: 12, units: 30, unitsPerTask: 4, quarters: 12, collectives: true, provider: test.provider })).planId;
    // A deadline the office archived: its rounds no longer count.
    await db.deadline.update({ where: { id: 3 }, data: { active: false } });
    // A unit taken off a task keeps its history but leaves the board.
    const dropped = await db.assignment.findFirstOrThrow({ where: { taskId: 4 }, orderBy: { ordinal: "desc" } });
    await db.assignment.update({ where: { id: dropped.id }, data: { active: false } });
    // An annual deadline beside task 5's quarterly one, due with 2026Q2 and still owed: a tie on the due moment.
    const q2 = await db.round.findFirstOrThrow({ where: { deadlineId: 5, periodKey: "2026Q2" } });
    const annual = await db.deadline.create({ data: { taskId: 5, title: "年度总结", kind: "annual", month: 7, day: 13, createdAt: q2.createdAt } });
    const annualRound = await db.round.create({ data: { deadlineId: annual.id, periodKey: "2025", opensAt: q2.opensAt, dueAt: q2.dueAt } });
    const units5 = await db.assignment.findMany({ where: { taskId: 5 }, select: { unitId: true } });
    await db.submission.createMany({ data: units5.map((a) => ({ roundId: annualRound.id, unitId: a.unitId, dueAt: q2.dueAt })) });
    await db.submission.updateMany({ where: { roundId: q2.id }, data: { submittedAt: null } });
    await db.submission.updateMany({ where: { round: { deadlineId: 5, dueAt: { lt: q2.dueAt } }, submittedAt: null }, data: { submittedAt: q2.opensAt } });
    // A round that opens after "now" owes nothing yet, even due earlier than the others.
    const future = await db.round.create({ data: { deadlineId: 6, periodKey: "2026Q4", opensAt: new Date(HISTORY_NOW.getTime() + DAY), dueAt: new Date(HISTORY_NOW.getTime() - DAY) } });
    const units6 = await db.assignment.findMany({ where: { taskId: 6 }, select: { unitId: true } });
    await db.submission.createMany({ data: units6.map((a) => ({ roundId: future.id, unitId: a.unitId, dueAt: future.dueAt })) });
    // Two replies of one unit at the same instant: the later id is the latest.
    const unit7 = units6[0]!.unitId;
    const instant = new Date(HISTORY_NOW.getTime() - 2 * DAY);
    await db.statusUpdate.createMany({
      data: [
        { taskId: 6, unitId: unit7, status: "blocked", source: "telegram-button", createdAt: instant },
        { taskId: 6, unitId: unit7, status: "done", progress: 100, source: "telegram-button", createdAt: instant },
      ],
    });
  });
  afterEach(() => test.cleanup());

  it("gives the same board for every moment, filter and cell, collectives included", async () => {
    const moments = [HISTORY_NOW, new Date(HISTORY_NOW.getTime() + 2 * DAY), at("2025-05-01", "09:00"), at("2024-01-14", "18:00")];
    let cells = 0;
    for (const now of moments) {
      const board = await loadBoard(test.db, now, { planId });
      expect(board).toEqual(await loadBoardFromHistory(test.db, now, { planId }));
      cells += board.counts.total;
    }
    expect(cells).toBeGreaterThan(150);
    const board = await loadBoard(test.db, HISTORY_NOW, { planId });
    expect(new Set(board.rows.flatMap((r) => r.cells.map((c) => c.light)))).toEqual(new Set(["red", "yellow", "green"]));
    expect(board.units.some((u) => u.collective)).toBe(true);
    // The tie on task 5 goes to the round created first, as the fold's order of rows had it.
    expect(board.rows.find((r) => r.taskId === 5)?.cells.map((c) => c.periodKey)).toContain("2026Q2");
    for (const filter of [{ unitId: 1 }, { unitId: 2 }, { light: "red" as const }, { light: "yellow" as const }, { light: "green" as const }]) {
      expect(await loadBoard(test.db, HISTORY_NOW, { planId, ...filter })).toEqual(await loadBoardFromHistory(test.db, HISTORY_NOW, { planId, ...filter }));
    }
  });

  it("the overview, which reads only what is still owed, counts every moment's lights as the full-history board does", async () => {
    const moments = [HISTORY_NOW, new Date(HISTORY_NOW.getTime() + 2 * DAY), at("2025-05-01", "09:00"), at("2024-01-14", "18:00")];
    const seen = new Set<string>();
    for (const now of moments) {
      const board = await loadBoardFromHistory(test.db, now, { planId });
      const row = (await loadOverview(test.db, now)).plans.find((p) => p.planId === planId)!;
      expect(row.counts).toEqual(board.counts);
      const tasks = { red: 0, yellow: 0, green: 0, total: board.rows.length };
      for (const r of board.rows) tasks[r.light]++;
      expect(row.tasks).toEqual(tasks);
      for (const light of ["red", "yellow", "green"] as const) if (board.counts[light] > 0) seen.add(light);
    }
    expect(seen).toEqual(new Set(["red", "yellow", "green"]));
  });
});

describe("boardVersion (temporary database, seed plan)", () => {
  let f: LiaisonFixture;
  const monday = at("2026-10-12", "10:00");
  beforeEach(async () => {
    f = await liaisonFixture({ now: monday });
  });
  afterEach(() => f.cleanup());

  it("moves when a status is recorded or a difficulty coordinated, and not when the board is only read", async () => {
    const planId = (await f.db.plan.findFirstOrThrow()).id;
    const before = await boardVersion(f.db, monday, planId);
    await loadBoard(f.db, monday, { planId });
    expect(await boardVersion(f.db, monday, planId)).toBe(before);

    const task8 = await f.taskId("8");
    const q3 = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    const liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: "7001" });
    const afterContact = await boardVersion(f.db, monday, planId);
    const office = (await createUser(f.db, { username: "office", password: "office password", role: "staff", displayName: "王主任", now: monday, actor: null })).id;
    const afterUser = await boardVersion(f.db, monday, planId);
    expect(afterUser).toBe(afterContact);
    const reported = await recordStatus(f.db, { contactId: liaison, taskId: task8, roundId: q3.roundId, status: "blocked", note: "经费未落实", source: "telegram-button", now: monday });
    const answered = await boardVersion(f.db, monday, planId);
    expect(answered).not.toBe(afterContact);
    expect(await boardVersion(f.db, monday, planId)).toBe(answered);

    await coordinateBlocker(f.db, { statusUpdateId: reported.statusUpdateId, note: "已协调财政局" }, monday, office);
    expect(await boardVersion(f.db, monday, planId)).not.toBe(answered);
    // The clock alone moves it once a minute (lights turn with due moments).
    expect(await boardVersion(f.db, new Date(monday.getTime() + 60_000), planId)).not.toBe(await boardVersion(f.db, monday, planId));
  });
});
