import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { ensureRounds } from "./ensure-rounds.ts";
import { at } from "../testing/liaison-fixture.ts";
import { insertScalePlan } from "../testing/scale-fixture.ts";

describe("ensureRounds at province scale (temporary database)", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(() => t.cleanup());

  it("a task with 3,000 units opens its round with all 3,000 submissions", { timeout: 120_000 }, async () => {
    const plan = await insertScalePlan(t.db, { tasks: 1, unitsPerTask: 3000, createdAt: at("2026-07-01", "08:00") });
    const created = await ensureRounds(t.db, at("2026-10-12", "10:00"), await loadCalendar(t.db));
    expect(created.map((c) => c.deadlineId)).toEqual([plan.deadlineIds[0]]);
    const rounds = await t.db.round.findMany({ include: { _count: { select: { submissions: true } } }, orderBy: { periodKey: "asc" } });
    expect(rounds.map((r) => [r.periodKey, r._count.submissions])).toEqual([["2026Q4", 3000]]);
    // A second pass finds everything open and writes nothing.
    expect(await ensureRounds(t.db, at("2026-10-12", "10:01"), await loadCalendar(t.db))).toEqual([]);
  });

  it("a deadline whose round cannot open is logged and skipped; the others open", { timeout: 60_000 }, async () => {
    const plan = await insertScalePlan(t.db, { tasks: 3, unitsPerTask: 2, units: 5, createdAt: at("2026-07-01", "08:00") });
    const broken = plan.deadlineIds[1]!;
    // A corrupt row: a quarterly rule without its offset.
    await t.db.deadline.update({ where: { id: broken }, data: { offsetDays: null } });
    const errors: Array<{ deadlineId: number }> = [];
    const created = await ensureRounds(t.db, at("2026-10-12", "10:00"), await loadCalendar(t.db), { error: (detail: { deadlineId: number }) => errors.push(detail) } as never);
    expect(errors.map((e) => e.deadlineId)).toEqual([broken]);
    expect(new Set(created.map((c) => c.deadlineId))).toEqual(new Set([plan.deadlineIds[0], plan.deadlineIds[2]]));
    expect(await t.db.round.count({ where: { deadlineId: broken } })).toBe(0);
  });
});
