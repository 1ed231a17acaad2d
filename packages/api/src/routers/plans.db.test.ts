import { TRPCError } from "@trpc/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPlan } from "@duban/core/plans/import-plan";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { BUSINESS_PLAN_TEXT } from "@duban/core/testing/extra-plans";
import { at, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createUser } from "@duban/core/users/create-user";
import { DEFAULT_WORKING_HOURS } from "@duban/domain/working-hours";
import { appRouter } from "../root.ts";
import { createCallerFactory, type ApiContext, type SessionUser } from "../trpc.ts";

const now = at("2026-10-12", "10:00");
const createCaller = createCallerFactory(appRouter);

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("plan-scoped procedures (temporary database)", { timeout: 180_000 }, () => {
  let f: LiaisonFixture;
  let staff: ReturnType<typeof createCaller>;
  let viewer: ReturnType<typeof createCaller>;
  let seed: number;
  let business: number;
  beforeEach(async () => {
    f = await liaisonFixture({ now });
    seed = (await f.db.plan.findFirstOrThrow()).id;
    business = (await importPlan(f.db, BUSINESS_PLAN_TEXT, at("2026-07-02", "08:00"))).planId;
    await runSchedulerPass({ db: f.db, messenger: null, now });
    const caller = async (role: "staff" | "viewer") => {
      const user = await createUser(f.db, { username: role, password: `${role} password 1`, role, displayName: null, now, actor: null });
      const session: SessionUser = { id: user.id, username: role, role, displayName: null };
      const ctx: ApiContext = { db: f.db, now: () => now, user: session, sessionId: "token", ip: "192.0.2.1", setHeader: () => {}, messenger: null, botUsername: null, secureCookies: false, workingHours: DEFAULT_WORKING_HOURS };
      return createCaller(ctx);
    };
    staff = await caller("staff");
    viewer = await caller("viewer");
  }, 240_000);
  afterEach(() => f.cleanup());

  it("lists plans, reads each by id, and refuses a task, deadline or round of another plan", async () => {
    expect((await staff.plan.list()).map((p) => p.id)).toEqual([business, seed]);
    expect((await staff.plan.get({ planId: seed }))!.id).toBe(seed);
    expect((await staff.plan.get())!.id).toBe(business);
    expect((await staff.board.get({ planId: business })).rows).toHaveLength(3);
    expect(await codeOf(staff.board.get({ planId: 9999 }))).toBe("NOT_FOUND");
    expect(await staff.board.version({ planId: business })).toMatch(/^\d+(\.\d+)+$/);
    expect(await viewer.board.version({ planId: business })).toBe(await staff.board.version({ planId: business }));
    expect(await codeOf(staff.board.version({ planId: 9999 }))).toBe("NOT_FOUND");

    const seedTask = await f.taskId("8");
    expect((await staff.tasks.get({ id: seedTask, planId: seed })).id).toBe(seedTask);
    expect(await codeOf(staff.tasks.get({ id: seedTask, planId: business }))).toBe("NOT_FOUND");
    const seedDeadline = (await staff.deadlines.list({ planId: seed }))[0]!;
    expect((await staff.deadlines.list({ planId: business })).some((d) => d.id === seedDeadline.id)).toBe(false);
    expect(await codeOf(staff.deadlines.archive({ id: seedDeadline.id, planId: business }))).toBe("NOT_FOUND");
    const seedRound = (await staff.rounds.list({ planId: seed }))[0]!;
    expect((await staff.rounds.list({ planId: business })).every((r) => r.planId === business)).toBe(true);
    expect(await codeOf(staff.rounds.urge({ roundId: seedRound.roundId, planId: business }))).toBe("NOT_FOUND");
    expect(await codeOf(staff.exports.roundXlsx({ roundId: seedRound.roundId, planId: business }))).toBe("NOT_FOUND");

    const overview = await staff.board.overview();
    expect(overview.plans.map((p) => p.planId)).toEqual([seed, business]);
  });

  it("every procedure changing a task, deadline or round refuses one of another plan, changing nothing", async () => {
    const seedTask = await f.taskId("8");
    const before = await f.db.task.findUniqueOrThrow({ where: { id: seedTask }, include: { assignments: true } });
    const sma = await f.unitId("市场监督管理局");
    expect(await codeOf(staff.tasks.update({ taskId: seedTask, planId: business, fields: { title: "改错方案" } }))).toBe("NOT_FOUND");
    expect(await codeOf(staff.tasks.setArchived({ taskId: seedTask, planId: business, archived: true }))).toBe("NOT_FOUND");
    expect(await codeOf(staff.tasks.assignUnit({ taskId: seedTask, planId: business, unit: { name: "新单位甲" }, role: "support" }))).toBe("NOT_FOUND");
    expect(await codeOf(staff.tasks.removeUnit({ taskId: seedTask, planId: business, unitId: sma }))).toBe("NOT_FOUND");
    expect(await codeOf(staff.board.cell({ taskId: seedTask, planId: business, unitId: sma }))).toBe("NOT_FOUND");
    expect(await codeOf(staff.statusUpdates.record({ taskId: seedTask, planId: business, unitId: sma, status: "done" }))).toBe("NOT_FOUND");
    expect(await f.db.task.findUniqueOrThrow({ where: { id: seedTask }, include: { assignments: true } })).toEqual(before);
    expect(await f.db.unit.count({ where: { name: "新单位甲" } })).toBe(0);
    expect(await f.db.statusUpdate.count({ where: { taskId: seedTask } })).toBe(0);

    const seedDeadline = (await staff.deadlines.list({ planId: seed }))[0]!;
    const businessTask = (await f.db.task.findFirstOrThrow({ where: { planId: business } })).id;
    const rule = { kind: "once" as const, dueDate: "2026-12-31" };
    expect(await codeOf(staff.deadlines.create({ taskId: seedTask, planId: business, title: "年底", rule }))).toBe("NOT_FOUND");
    expect(await codeOf(staff.deadlines.update({ id: seedDeadline.id, planId: business, deadline: { taskId: businessTask, title: "年底", rule } }))).toBe("NOT_FOUND");
    expect(await codeOf(staff.deadlines.update({ id: seedDeadline.id, planId: seed, deadline: { taskId: businessTask, title: "年底", rule } }))).toBe("NOT_FOUND");
    expect(await codeOf(staff.deadlines.list({ planId: 9999 }))).toBe("NOT_FOUND");
    expect((await staff.deadlines.list({ planId: seed })).find((d) => d.id === seedDeadline.id)).toEqual(seedDeadline);

    // The same calls with the right plan go through.
    await staff.tasks.update({ taskId: seedTask, planId: seed, fields: { leader: "王副市长" } });
    expect((await f.db.task.findUniqueOrThrow({ where: { id: seedTask } })).leader).toBe("王副市长");
  });

  it("a unit's page lists its tasks in every plan, archived plans marked", async () => {
    const sma = await f.unitId("市场监督管理局");
    const work = await viewer.units.work({ unitId: sma });
    expect(work.plans.map((p) => p.planId)).toEqual([seed, business]);
    expect(work.plans[1]!.tasks.map((t) => [t.number, t.role])).toEqual([["1", "lead"]]);
    await staff.plan.archive({ planId: business });
    expect((await viewer.units.work({ unitId: sma })).plans.map((p) => [p.planId, p.archived])).toEqual([
      [seed, false],
      [business, true],
    ]);
    expect((await viewer.units.work({ unitId: sma, includeArchived: false })).plans.map((p) => p.planId)).toEqual([seed]);
    expect(await codeOf(viewer.units.work({ unitId: 99_999 }))).toBe("NOT_FOUND");
  });

  it("archive and restore: editors only, and the plan says so", async () => {
    expect(await codeOf(viewer.plan.archive({ planId: business }))).toBe("FORBIDDEN");
    await staff.plan.archive({ planId: business });
    expect((await staff.plan.list()).find((p) => p.id === business)!.archived).toBe(true);
    expect((await staff.board.get({ planId: business })).archived).toBe(true);
    await staff.plan.restore({ planId: business });
    expect((await staff.plan.list()).find((p) => p.id === business)!.archived).toBe(false);
  });
});
