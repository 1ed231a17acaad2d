import { afterEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { loadBoard } from "../board/board.ts";
import { importPlan } from "../plans/import-plan.ts";
import { archivePlan } from "../plans/plans.ts";
import { runSchedulerPass } from "../reminders/run-scheduler-pass.ts";
import { at, SEED_PLAN_TEXT } from "../testing/liaison-fixture.ts";
import { BUSINESS_PLAN_TEXT, RIVER_PLAN_TEXT } from "../testing/extra-plans.ts";
import { loadUnitWork } from "./unit-work.ts";

let test: TestDb | null = null;
afterEach(async () => {
  await test?.cleanup();
  test = null;
});

describe("a unit's work across plans (temporary database)", { timeout: 120_000 }, () => {
  it("lists the unit's tasks grouped by plan with role, light and due date as each board shows them; archived plans marked or left out", async () => {
    test = await createTestDb();
    const db = test.db;
    const seed = (await importPlan(db, SEED_PLAN_TEXT, at("2026-07-01", "08:00"))).planId;
    const business = (await importPlan(db, BUSINESS_PLAN_TEXT, at("2026-07-02", "08:00"))).planId;
    const river = (await importPlan(db, RIVER_PLAN_TEXT, at("2026-07-03", "08:00"))).planId;
    await runSchedulerPass({ db, messenger: null, now: at("2026-10-12", "10:00") });
    const sma = (await db.unit.findUniqueOrThrow({ where: { name: "市场监督管理局" } })).id;
    await db.contact.create({ data: { unitId: sma, role: "liaison", name: "张三", telegramUserId: "1001", telegramChatId: "1001", createdAt: at("2026-07-01", "09:00") } });
    const businessTask = (await db.task.findFirstOrThrow({ where: { planId: business, number: "1" } })).id;
    await db.statusUpdate.create({ data: { taskId: businessTask, unitId: sma, status: "in_progress", progress: 40, source: "console", createdAt: at("2026-10-13", "09:00") } });

    const now = at("2026-10-28", "10:00");
    const work = await loadUnitWork(db, { unitId: sma, now });
    expect(work.unit.name).toBe("市场监督管理局");
    expect(work.contacts).toEqual([expect.objectContaining({ name: "张三", role: "liaison", reachability: "ok" })]);
    expect(work.plans.map((p) => p.planId)).toEqual([seed, business]);
    expect(work.plans.some((p) => p.planId === river)).toBe(false);
    const businessPlan = work.plans[1]!;
    expect(businessPlan).toMatchObject({ shortTitle: "同江市优化营商环境", archived: false });
    expect(businessPlan.tasks).toEqual([expect.objectContaining({ number: "1", title: "推行企业开办一网通办", role: "lead", via: null, status: "in_progress", progress: 40 })]);

    // The seed plan gives some tasks to 联席会议成员单位, which the unit is a member of.
    const viaCollective = work.plans[0]!.tasks.filter((t) => t.via !== null);
    expect(viaCollective.length).toBeGreaterThan(0);
    expect(new Set(viaCollective.map((t) => t.via))).toEqual(new Set(work.unit.memberOf));
    // Each task it is assigned itself: light, due date and role are the board's cell for this unit.
    for (const plan of work.plans) {
      const own = plan.tasks.filter((t) => t.via === null);
      const board = await loadBoard(db, now, { planId: plan.planId, unitId: sma });
      const cells = board.rows.map((r) => ({ taskId: r.taskId, cell: r.cells[0]! }));
      expect(own.map((t) => t.taskId)).toEqual(cells.map((c) => c.taskId));
      expect(own.map((t) => ({ light: t.light, dueAt: t.dueAt, submitted: t.submitted, role: t.role }))).toEqual(
        cells.map(({ cell }) => ({ light: cell.light, dueAt: cell.dueAt, submitted: cell.submitted, role: cell.role })),
      );
      expect(plan.counts.red + plan.counts.yellow + plan.counts.green).toBe(plan.tasks.length);
    }
    expect(work.plans[0]!.tasks.some((t) => t.role === "lead") && work.plans[0]!.tasks.some((t) => t.role === "support")).toBe(true);

    await archivePlan(db, { planId: business, now, actor: { actorType: "system" } });
    const after = await loadUnitWork(db, { unitId: sma, now });
    expect(after.plans.map((p) => [p.planId, p.archived])).toEqual([
      [seed, false],
      [business, true],
    ]);
    expect(after.plans[1]!.tasks[0]!.status).toBe("in_progress");
    expect((await loadUnitWork(db, { unitId: sma, now, includeArchived: false })).plans.map((p) => p.planId)).toEqual([seed]);
    await expect(loadUnitWork(db, { unitId: 99_999, now })).rejects.toMatchObject({ code: "not-found" });
  });
});
