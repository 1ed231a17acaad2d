import { afterEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { shortPlanTitle } from "@duban/domain/short-title";
import { loadBoard } from "../board/board.ts";
import { unitTasks } from "../units/contact-queries.ts";
import { getPlan } from "./get-plan.ts";
import { importPlan, previewImport } from "./import-plan.ts";
import { listRounds } from "../rounds/list-rounds.ts";
import { loadOverview } from "../board/overview.ts";
import { previewReminders } from "../reminders/preview-reminders.ts";
import { archivePlan, assertDeadlineInPlan, assertRoundInPlan, assertTaskInPlan, listPlans, restorePlan } from "./plans.ts";
import { runSchedulerPass } from "../reminders/run-scheduler-pass.ts";
import { listUnits } from "../units/units.ts";
import { urgeRound } from "../rounds/urge-round.ts";
import { at, SEED_PLAN_TEXT } from "../testing/liaison-fixture.ts";
import { BUSINESS_PLAN_TEXT, RIVER_PLAN_TEXT } from "../testing/extra-plans.ts";

const system = { actorType: "system" as const };
let test: TestDb | null = null;
afterEach(async () => {
  await test?.cleanup();
  test = null;
});

/** The seed plan and the two small plans, imported a day apart (seed first). */
async function threePlans() {
  test = await createTestDb();
  const db = test.db;
  const seed = await importPlan(db, SEED_PLAN_TEXT, at("2026-07-01", "08:00"));
  const business = await importPlan(db, BUSINESS_PLAN_TEXT, at("2026-07-02", "08:00"));
  const river = await importPlan(db, RIVER_PLAN_TEXT, at("2026-07-03", "08:00"));
  const unit = async (name: string) => (await db.unit.findUniqueOrThrow({ where: { name } })).id;
  return { db, seed: seed.planId, business: business.planId, river: river.planId, unit };
}

describe("several plans in one office", { timeout: 120_000 }, () => {
  it("adds a plan per 文号, lists them with task counts, and a re-import changes nothing", async () => {
    const { db, seed, business, river } = await threePlans();
    expect(new Set([seed, business, river]).size).toBe(3);
    const plans = await listPlans(db, at("2026-07-04", "08:00"));
    const seedTasks = await db.task.count({ where: { planId: seed, active: true } });
    expect(seedTasks).toBeGreaterThan(10);
    expect(plans.map((p) => [p.id, p.docNumber, p.tasks, p.archived])).toEqual([
      [river, "同政办发〔2026〕27号", 3, false],
      [business, "同政办发〔2026〕11号", 3, false],
      [seed, "同政办规〔2016〕4号", seedTasks, false],
    ]);
    expect(plans.find((p) => p.id === business)!.units).toBe(7);

    const again = await importPlan(db, SEED_PLAN_TEXT, at("2026-07-05", "08:00"));
    expect(again).toMatchObject({ planId: seed, unchanged: true, created: false });
    expect(await db.plan.count()).toBe(3);
    // The other plans' tasks were not touched by the seed's re-import.
    expect(await db.task.count({ where: { planId: business, active: true } })).toBe(3);
  });

  it("updates the plan with the same 文号 in place, or the one named, or adds one when asked", async () => {
    const { db, seed, business } = await threePlans();
    const changed = BUSINESS_PLAN_TEXT.replace("降低企业用水用电成本", "降低企业用能成本");
    const preview = await previewImport(db, changed);
    expect(preview.targetPlanId).toBe(business);
    expect(preview.lines.join("\n")).toContain("降低企业用能成本");
    const updated = await importPlan(db, changed, at("2026-07-06", "08:00"));
    expect(updated).toMatchObject({ planId: business, created: false, unchanged: false });
    expect(await db.plan.count()).toBe(3);

    const copy = await importPlan(db, changed, at("2026-07-07", "08:00"), system, { newPlan: true });
    expect(copy.created).toBe(true);
    expect(await db.plan.count()).toBe(4);

    // Without a 文号, the title decides.
    const noNumber = BUSINESS_PLAN_TEXT.replace("同政办发〔2026〕11号\n", "");
    const byTitle = await importPlan(db, noNumber, at("2026-07-08", "08:00"));
    expect(byTitle.created).toBe(true);
    const byTitleAgain = await importPlan(db, noNumber.replace("降低企业用水用电成本", "降低用电成本"), at("2026-07-09", "08:00"));
    expect(byTitleAgain).toMatchObject({ planId: byTitle.planId, created: false });

    const forced = await importPlan(db, RIVER_PLAN_TEXT, at("2026-07-10", "08:00"), system, { planId: seed });
    expect(forced).toMatchObject({ planId: seed, created: false });
    await expect(importPlan(db, RIVER_PLAN_TEXT, at("2026-07-10", "08:00"), system, { planId: 9999 })).rejects.toThrow(/不存在/);
    await expect(importPlan(db, RIVER_PLAN_TEXT, at("2026-07-10", "08:00"), system, { planId: seed, newPlan: true })).rejects.toThrow(/不能同时/);
  });

  it("scopes the board, the plan and the rounds to one plan and refuses ids of another plan", async () => {
    const { db, seed, business, river } = await threePlans();
    const now = at("2026-10-12", "10:00");
    const pass = await runSchedulerPass({ db, messenger: null, now });
    const planOfRound = new Map((await listRounds(db, { now })).map((r) => [r.roundId, r.planId]));
    const created = new Set(pass.roundsCreated.map((r) => planOfRound.get(r.roundId)));
    expect(created).toEqual(new Set([seed, business, river]));

    const board = await loadBoard(db, now, { planId: business });
    expect(board.planId).toBe(business);
    expect(board.rows.map((r) => r.number)).toEqual(["1", "2", "3"]);
    // Without a plan: the most recently imported active plan (old links keep working).
    expect((await loadBoard(db, now)).planId).toBe(river);
    expect((await getPlan(db, seed))!.id).toBe(seed);
    expect((await getPlan(db))!.id).toBe(river);
    await expect(loadBoard(db, now, { planId: 9999 })).rejects.toThrow(/不存在/);

    const rounds = await listRounds(db, { planId: business, now });
    expect(rounds.length).toBeGreaterThan(0);
    expect(rounds.every((r) => r.planId === business)).toBe(true);
    const seedTask = (await db.task.findFirstOrThrow({ where: { planId: seed } })).id;
    const businessRound = rounds[0]!;
    await expect(assertTaskInPlan(db, business, seedTask)).rejects.toMatchObject({ code: "not-found" });
    await expect(assertTaskInPlan(db, seed, seedTask)).resolves.toBeUndefined();
    await expect(assertRoundInPlan(db, seed, businessRound.roundId)).rejects.toMatchObject({ code: "not-found" });
    await expect(assertDeadlineInPlan(db, seed, businessRound.deadlineId)).rejects.toMatchObject({ code: "not-found" });
    await expect(urgeRound(db, { roundId: businessRound.roundId, planId: seed, now, actor: system })).rejects.toMatchObject({ code: "not-found" });
  });

  it("gives a unit its tasks of every plan, and names the plan in its reminders", async () => {
    const { db, seed, business, unit } = await threePlans();
    const sma = await unit("市场监督管理局");
    await db.contact.create({ data: { unitId: sma, role: "liaison", name: "张三", telegramUserId: "1001", telegramChatId: "1001", createdAt: at("2026-07-01", "09:00") } });
    const now = at("2026-10-19", "10:00");
    await runSchedulerPass({ db, messenger: null, now: at("2026-10-12", "10:00") });
    const tasks = await unitTasks(db, { unitId: sma, now });
    const plansOfTasks = [...new Set(tasks.map((t) => t.planId))];
    expect(plansOfTasks).toEqual([seed, business]);
    expect(tasks.find((t) => t.planId === business)).toMatchObject({ number: "1", title: "推行企业开办一网通办", planTitle: "同江市优化营商环境" });

    const pass = await runSchedulerPass({ db, messenger: null, now });
    const mine = pass.planned.filter((r) => r.unitId === sma && r.contact !== null);
    const texts = mine.map((r) => r.text);
    const seedTitle = shortPlanTitle((await db.plan.findUniqueOrThrow({ where: { id: seed } })).title);
    expect(texts.some((t) => t.includes(`《${seedTitle}》`))).toBe(true);
    expect(texts.some((t) => t.includes("《同江市优化营商环境》任务1：推行企业开办一网通办"))).toBe(true);
  });

  it("archiving a plan stops its rounds and reminders and keeps its history; restoring resumes", async () => {
    const { db, business, river, unit } = await threePlans();
    const sma = await unit("市场监督管理局");
    await db.contact.create({ data: { unitId: sma, role: "liaison", telegramUserId: "1001", telegramChatId: "1001", createdAt: at("2026-07-01", "09:00") } });
    await runSchedulerPass({ db, messenger: null, now: at("2026-10-12", "10:00") });
    await runSchedulerPass({ db, messenger: null, now: at("2026-10-19", "10:00") });
    const pendingOfBusiness = { state: "pending", round: { deadline: { task: { planId: business } } } };
    expect(await db.reminder.count({ where: pendingOfBusiness })).toBeGreaterThan(0);
    const boardBefore = await loadBoard(db, at("2026-10-19", "10:05"), { planId: business });

    const archived = await archivePlan(db, { planId: business, now: at("2026-10-19", "10:05"), actor: system });
    expect(archived.cancelledReminders).toBeGreaterThan(0);
    expect(await db.reminder.count({ where: pendingOfBusiness })).toBe(0);

    // Next quarter: rounds open for the other plans only; no reminder names the archived plan.
    const later = await runSchedulerPass({ db, messenger: null, now: at("2027-01-18", "10:00") });
    const planOfRound = new Map((await listRounds(db, {})).map((r) => [r.roundId, r.planId]));
    const plansWithNewRounds = new Set(later.roundsCreated.map((r) => planOfRound.get(r.roundId)));
    expect(plansWithNewRounds.has(river)).toBe(true);
    expect(plansWithNewRounds.has(business)).toBe(false);
    expect(later.planned.some((r) => r.text.includes("优化营商环境"))).toBe(false);
    expect((await listPlans(db, at("2027-01-18", "10:00"))).find((p) => p.id === business)!.archived).toBe(true);
    expect((await unitTasks(db, { unitId: sma, now: at("2027-01-18", "10:00") })).some((t) => t.planId === business)).toBe(false);
    expect((await loadOverview(db, at("2027-01-18", "10:00"))).plans.map((p) => p.planId)).not.toContain(business);

    // History stays readable: the board of the archived plan still shows what was owed.
    const boardAfter = await loadBoard(db, at("2026-10-19", "10:05"), { planId: business });
    expect(boardAfter.archived).toBe(true);
    expect(boardAfter.rows).toEqual(boardBefore.rows);
    await expect(urgeRound(db, { roundId: (await listRounds(db, { planId: business }))[0]!.roundId, now: at("2027-01-18", "10:00"), actor: system })).rejects.toMatchObject({ code: "plan-archived" });

    await restorePlan(db, { planId: business, now: at("2027-01-18", "11:00"), actor: system });
    const resumed = await runSchedulerPass({ db, messenger: null, now: at("2027-01-18", "12:00") });
    const planOfRound2 = new Map((await listRounds(db, {})).map((r) => [r.roundId, r.planId]));
    expect(resumed.roundsCreated.some((r) => planOfRound2.get(r.roundId) === business)).toBe(true);
  });

  it("the units list names each task's plan and leaves archived plans' tasks out", async () => {
    const { db, seed, business, unit } = await threePlans();
    const sma = await unit("市场监督管理局");
    const tasksOf = async () => (await listUnits(db, at("2026-10-12", "10:00"))).find((u) => u.id === sma)!.tasks;
    const before = await tasksOf();
    const titles = new Map((await db.plan.findMany()).map((p) => [p.id, shortPlanTitle(p.title)]));
    expect(new Set(before.map((t) => t.planId))).toEqual(new Set([seed, business]));
    for (const task of before) expect(task.planShortTitle).toBe(titles.get(task.planId));
    await archivePlan(db, { planId: business, now: at("2026-10-12", "11:00"), actor: system });
    const after = await tasksOf();
    expect(after.length).toBeGreaterThan(0);
    expect(after).toEqual(before.filter((t) => t.planId !== business));
  });

  it("the reminder preview of one plan lists that plan's reminders only", async () => {
    const { db, seed, business, river } = await threePlans();
    await runSchedulerPass({ db, messenger: null, now: at("2026-10-12", "10:00") });
    const planOf = new Map((await listRounds(db, {})).map((r) => [r.roundId, r.planId]));
    const from = at("2026-10-12", "10:00");
    const to = new Date(from.getTime() + 31 * 86_400_000);
    const all = await previewReminders(db, from, to);
    expect(new Set(all.map((r) => planOf.get(r.roundId)))).toEqual(new Set([seed, business, river]));
    for (const planId of [seed, business, river]) {
      const one = await previewReminders(db, from, to, undefined, planId);
      expect(one.length).toBeGreaterThan(0);
      expect(one.every((r) => planOf.get(r.roundId) === planId)).toBe(true);
      expect(one).toEqual(all.filter((r) => planOf.get(r.roundId) === planId));
    }
  });

  it("the overview counts every active plan's lights exactly as each plan's board does", async () => {
    const { db, seed, business, river, unit } = await threePlans();
    await runSchedulerPass({ db, messenger: null, now: at("2026-10-12", "10:00") });
    // Some history: one unit answers, one reports a difficulty.
    const sma = await unit("市场监督管理局");
    const round = (await listRounds(db, { planId: business })).find((r) => r.units.some((u) => u.unitId === sma))!;
    await db.submission.update({ where: { roundId_unitId: { roundId: round.roundId, unitId: sma } }, data: { submittedAt: at("2026-10-13", "09:00") } });
    const water = await unit("水务局");
    const riverTask = (await db.task.findFirstOrThrow({ where: { planId: river, number: "1" } })).id;
    await db.statusUpdate.create({ data: { taskId: riverTask, unitId: water, status: "blocked", source: "console", createdAt: at("2026-10-14", "09:00") } });

    const now = at("2026-10-28", "10:00");
    const overview = await loadOverview(db, now);
    expect(overview.plans.map((p) => p.planId)).toEqual([seed, business, river]);
    for (const planId of [seed, business, river]) {
      const board = await loadBoard(db, now, { planId });
      const row = overview.plans.find((p) => p.planId === planId)!;
      expect(row.counts).toEqual(board.counts);
      const taskLights = { red: 0, yellow: 0, green: 0, total: board.rows.length };
      for (const r of board.rows) taskLights[r.light]++;
      expect(row.tasks).toEqual(taskLights);
    }
    expect(overview.plans.find((p) => p.planId === river)!.counts.red).toBeGreaterThan(0);
    const smaRow = overview.units.find((u) => u.unitId === sma)!;
    expect(smaRow.plans.map((p) => p.planId)).toEqual([seed, business]);
    const smaBusiness = (await loadBoard(db, now, { planId: business, unitId: sma })).rows.flatMap((r) => r.cells);
    expect(smaRow.plans[1]).toEqual({ planId: business, cells: smaBusiness.length, late: smaBusiness.filter((c) => c.light === "red").length });
    expect(overview.units[0]!.late).toBeGreaterThanOrEqual(overview.units.at(-1)!.late);
  });
});
