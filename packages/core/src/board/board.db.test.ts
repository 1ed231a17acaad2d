import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadBoard } from "./board.ts";
import { recordStatus } from "../submissions/record-status.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

// 2026Q3's progress round is due 5 workdays after the quarter: across National Day, 2026-10-13 17:30.
const monday = at("2026-10-12", "10:00");

describe("loadBoard (temporary SQLite, seed plan, rounds opened on 2026-10-12)", () => {
  let f: LiaisonFixture;
  beforeEach(async () => {
    f = await liaisonFixture({ now: monday });
  });
  afterEach(() => f.cleanup());

  const cellOf = (board: Awaited<ReturnType<typeof loadBoard>>, taskId: number, unitId: number) =>
    board.rows.find((r) => r.taskId === taskId)?.cells.find((c) => c.unitId === unitId);

  it("lays out the 18 tasks against their units, the lead marked, with counts", async () => {
    const board = await loadBoard(f.db, monday);
    expect(board.rows).toHaveLength(18);
    expect(board.period).toBe("2026Q4");
    expect(board.groups).toHaveLength(6);
    const total = board.rows.reduce((n, r) => n + r.cells.length, 0);
    expect(board.counts.total).toBe(total);
    expect(board.counts.red + board.counts.yellow + board.counts.green).toBe(total);
    const task15 = board.rows.find((r) => r.number === "15");
    expect(task15?.cells.map((c) => board.units.find((u) => u.id === c.unitId)?.name)).toEqual(["商务局", "计生局", "旅游局", "市场监督管理局", "人民银行同江市支行"]);
    expect(task15?.cells[0]?.role).toBe("lead");
  });

  it("is yellow within 3 workdays of the due date, red once it has passed, green once answered", async () => {
    const task8 = await f.taskId("8");
    const market = await f.unitId("市场监督管理局");
    const q3 = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    const due = (await f.db.submission.findUniqueOrThrow({ where: { id: q3.submissionId } })).dueAt;

    expect(cellOf(await loadBoard(f.db, monday), task8, market)).toMatchObject({ light: "yellow", submitted: false, periodKey: "2026Q3", dueAt: due });
    expect(cellOf(await loadBoard(f.db, at("2026-09-15", "10:00")), task8, market)?.light).toBe("green");
    const afterDue = new Date(due.getTime() + 60_000);
    expect(cellOf(await loadBoard(f.db, afterDue), task8, market)?.light).toBe("red");

    const liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: "7001" });
    await recordStatus(f.db, { contactId: liaison, taskId: task8, roundId: q3.roundId, status: "in_progress", progress: 60, source: "telegram-button", now: afterDue });
    const answered = cellOf(await loadBoard(f.db, afterDue), task8, market);
    // The Q3 report is in; the next obligation is 2026Q4, due in January: on track.
    expect(answered).toMatchObject({ light: "green", status: "in_progress", progress: 60, periodKey: "2026Q4", submitted: false });
  });

  it("is yellow when the unit reports difficulty, even with the report in", async () => {
    const task13 = await f.taskId("13");
    const agriculture = await f.unitId("农业局");
    const q3 = await f.round({ task: "13", unit: "农业局", periodKey: "2026Q3", progress: true });
    const liaison = await f.addContact({ unit: "农业局", telegramUserId: "7002" });
    await recordStatus(f.db, { contactId: liaison, taskId: task13, roundId: q3.roundId, status: "blocked", note: "经费未落实", source: "telegram-button", now: monday });
    const later = at("2026-11-02", "10:00");
    expect(cellOf(await loadBoard(f.db, later), task13, agriculture)).toMatchObject({ light: "yellow", status: "blocked" });
  });

  it("filters by group, unit and light", async () => {
    const board = await loadBoard(f.db, monday);
    const group = board.groups[2]!;
    const byGroup = await loadBoard(f.db, monday, { groupId: group.id });
    expect(byGroup.rows.length).toBeGreaterThan(0);
    expect(byGroup.rows.every((r) => r.groupId === group.id)).toBe(true);

    const agriculture = await f.unitId("农业局");
    const byUnit = await loadBoard(f.db, monday, { unitId: agriculture });
    expect(byUnit.units.map((u) => u.id)).toEqual([agriculture]);
    expect(byUnit.rows.map((r) => r.number)).toEqual(["9", "11", "13"]);
    expect(byUnit.unitOptions.length).toBe(board.unitOptions.length);

    const red = await loadBoard(f.db, monday, { light: "red" });
    expect(red.counts.total).toBe(0);
    expect(red.rows).toEqual([]);
  });

  it("a collective unit's cell covers its member units' submissions", async () => {
    const task1 = await f.taskId("1");
    const board = await loadBoard(f.db, monday);
    const row = board.rows.find((r) => r.taskId === task1)!;
    const collective = board.units.find((u) => u.collective)!;
    const cell = row.cells.find((c) => c.unitId === collective.id)!;
    expect(cell.expected).toBeGreaterThan(1);
    expect(cell.light).toBe("yellow");
  });
});
