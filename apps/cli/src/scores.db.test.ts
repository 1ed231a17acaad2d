import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { shanghaiInstant } from "@duban/domain/calendar";
import { decideExtension } from "@duban/core/submissions/extensions";
import { requestExtension } from "@duban/core/submissions/request-extension";
import { grantScoreExemption } from "@duban/core/scores/score-exemptions";
import { runCli } from "./main.ts";
import type { CliIo } from "./io.ts";

const at = (date: string, time = "17:30") => shanghaiInstant(date, time);
const NOW = at("2026-12-31", "12:00");

/**
 * A year of quarterly reports by three units (plan 1) and a one-off report of another plan (plan 2),
 * seeded directly, with an extension and an exemption through their use cases. Expected scores are
 * worked out by hand from the default rule: 100 × onTime ÷ (owed − exempt) − 1 per workday late
 * (at most 5 per item) − 5 per missing item.
 */
async function seed(t: TestDb) {
  const { db } = t;
  const units = Object.fromEntries(
    await Promise.all(["市场监督管理局", "交运局", "环保局"].map(async (name) => [name, (await db.unit.create({ data: { name } })).id] as const)),
  );
  const plan1 = await db.plan.create({ data: { title: "甲方案", sourceText: "甲", sourceHash: "a" } });
  const plan2 = await db.plan.create({ data: { title: "乙方案", sourceText: "乙", sourceHash: "b" } });
  const task1 = await db.task.create({ data: { planId: plan1.id, ordinal: 1, number: "1", title: "季度报送", body: "" } });
  const task2 = await db.task.create({ data: { planId: plan2.id, ordinal: 1, number: "1", title: "专项报告", body: "" } });
  const quarterly = await db.deadline.create({ data: { taskId: task1.id, title: "季度进度", kind: "quarterly", offsetDays: 15 } });
  const once = await db.deadline.create({ data: { taskId: task2.id, title: "专项报告", kind: "once", dueDate: "2026-06-30" } });

  const submissions = new Map<string, number>();
  async function round(deadlineId: number, periodKey: string, due: string, byUnit: Record<string, Date | null>) {
    const r = await db.round.create({ data: { deadlineId, periodKey, opensAt: at(due, "09:00"), dueAt: at(due) } });
    for (const [unit, submittedAt] of Object.entries(byUnit)) {
      const s = await db.submission.create({ data: { roundId: r.id, unitId: units[unit]!, dueAt: at(due), submittedAt } });
      submissions.set(`${periodKey}:${unit}`, s.id);
    }
    return r.id;
  }
  await round(quarterly.id, "2025Q3", "2025-10-15", { 交运局: null }); // another year: not counted
  const q1 = await round(quarterly.id, "2026Q1", "2026-04-15", { 市场监督管理局: at("2026-04-14", "10:00"), 交运局: at("2026-04-15", "17:00"), 环保局: null });
  await round(quarterly.id, "2026Q2", "2026-07-15", { 市场监督管理局: at("2026-07-15", "10:00"), 交运局: null, 环保局: at("2026-07-20", "09:00") });
  await round(quarterly.id, "2026Q3", "2026-09-24", { 市场监督管理局: at("2026-09-24", "09:00"), 交运局: at("2026-10-09", "10:00"), 环保局: null });
  await round(quarterly.id, "2026Q4", "2027-01-15", { 市场监督管理局: null, 交运局: null, 环保局: null }); // due next year
  await round(once.id, "once", "2026-06-30", { 市场监督管理局: null });

  // 环保局 asks for more time on 2026Q1; the office moves its due date to 24 April; it reports on the 22nd.
  const contact = await db.contact.create({ data: { unitId: units["环保局"]!, role: "liaison", telegramUserId: "9001", telegramChatId: "9001" } });
  const user = await db.user.create({ data: { username: "office", passwordHash: "x", role: "staff" } });
  const { extensionRequestId } = await requestExtension(db, { contactId: contact.id, roundId: q1, reason: "数据尚未汇总完毕", now: at("2026-04-13", "10:00") });
  await decideExtension(db, { id: extensionRequestId, decision: "approve", newDueDate: "2026-04-24" }, at("2026-04-14", "10:00"), user.id);
  await db.submission.update({ where: { id: submissions.get("2026Q1:环保局")! }, data: { submittedAt: at("2026-04-22", "15:00") } });
  // Its 2026Q3 report is excused.
  await grantScoreExemption(db, { submissionId: submissions.get("2026Q3:环保局")!, reason: "机构改革期间职能调整", userId: user.id, now: at("2026-10-20", "10:00") });
  return { plan1: plan1.id };
}

describe("duban scores (temporary SQLite)", () => {
  let t: TestDb;
  let plan1: number;
  beforeAll(async () => {
    t = await createTestDb({ provider: "sqlite" });
    ({ plan1 } = await seed(t));
  });
  afterAll(() => t.cleanup());

  async function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => "", env: { DATABASE_URL: t.url }, now: () => NOW };
    const code = await runCli(argv, io);
    return { code, lines: out.map((l) => JSON.parse(l) as Record<string, unknown>), err: err.join("\n") };
  }

  it("prints one JSON object per unit, best first, with the rule's figures", async () => {
    const { code, lines } = await run(["scores", "--year", "2026"]);
    expect(code).toBe(0);
    // 市场监督管理局: 3 quarters on time, plan 2's report missing: 100 × 3/4 − 5 = 70.
    // 环保局: Q1 on time (extended to 24 Apr), Q2 late Wed 15 → Mon 20 Jul = 3 workdays, Q3 exempt:
    //   100 × 1/2 − 3 = 47.
    // 交运局: Q1 on time, Q2 missing, Q3 late Thu 24 Sep → Fri 9 Oct over 中秋 and 国庆 = 5 workdays:
    //   100 × 1/3 − 5 − 5 = 23.3. Its 2025 round and every 2026Q4 round (due 2027) are not counted.
    expect(lines).toEqual([
      { unit: "市场监督管理局", owed: 4, onTime: 3, late: 0, missing: 1, exempt: 0, score: 70 },
      { unit: "环保局", owed: 3, onTime: 1, late: 1, missing: 0, exempt: 1, score: 47 },
      { unit: "交运局", owed: 3, onTime: 1, late: 1, missing: 1, exempt: 0, score: 23.3 },
    ]);
  });

  it("--plan scores one plan's submissions only", async () => {
    const { code, lines } = await run(["scores", "--year", "2026", "--plan", String(plan1)]);
    expect(code).toBe(0);
    expect(lines[0]).toEqual({ unit: "市场监督管理局", owed: 3, onTime: 3, late: 0, missing: 0, exempt: 0, score: 100 });
    expect(lines.map((l) => l.unit)).toEqual(["市场监督管理局", "环保局", "交运局"]);
  });

  it("refuses a missing year or an unknown plan with exit code 2", async () => {
    expect((await run(["scores"])).code).toBe(2);
    const unknown = await run(["scores", "--year", "2026", "--plan", "999"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("no plan with id 999");
  });
});
