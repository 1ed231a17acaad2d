import { afterEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { PlanParseError } from "@duban/domain/parse-plan";
import { SEED_PLAN } from "../../test/scheduler-fixture.ts";
import { parsePlan } from "@duban/domain/parse-plan";
import { assignUnit, emptyTask, addTask, refAt, renameUnit, updateTask } from "@duban/domain/plan-edit";
import { importParsedPlan, importPlan, previewImport } from "./import-plan.ts";

let test: TestDb | null = null;
afterEach(async () => {
  await test?.cleanup();
  test = null;
});

const now = new Date("2026-11-24T02:00:00Z");

async function counts(t: TestDb) {
  const db = t.db;
  return {
    plans: await db.plan.count(),
    groups: await db.taskGroup.count(),
    tasks: await db.task.count({ where: { active: true } }),
    units: await db.unit.count(),
    assignments: await db.assignment.count({ where: { active: true } }),
    indicators: await db.indicator.count({ where: { active: true } }),
    deadlines: await db.deadline.count(),
    cycles: await db.reportingCycle.count(),
  };
}

describe("importPlan on a real database", () => {
  it("imports the seed: 6 groups, 18 tasks, units once across tasks, collective members, default rounds", async () => {
    test = await createTestDb();
    const result = await importPlan(test.db, SEED_PLAN, now);
    expect(result.created).toBe(true);
    const c = await counts(test);
    expect(c).toMatchObject({ plans: 1, groups: 6, tasks: 18 });
    // 市场监督管理局 appears in 13 tasks but is one unit.
    const sma = await test.db.unit.findUniqueOrThrow({ where: { name: "市场监督管理局" }, include: { assignments: true } });
    expect(sma.assignments).toHaveLength(13);
    const collective = await test.db.unit.findUniqueOrThrow({ where: { name: "质量、计量、标准化联席会议成员单位" }, include: { members: true } });
    expect(collective.collective).toBe(true);
    expect(collective.members.length).toBe(c.units - 1);
    // Task 6: its own quarterly report and annual white paper, plus the progress round every task has.
    const task6 = await test.db.task.findFirstOrThrow({ where: { number: "6" }, include: { deadlines: { orderBy: { id: "asc" } } } });
    expect(task6.deadlines.map((d) => [d.kind, d.title])).toEqual([
      ["quarterly", "任务6季度进度"],
      ["quarterly", "每季度质量分析报告"],
      ["annual", "年度产品质量、工程质量、服务质量和环境质量白皮书"],
    ]);
    expect(c.deadlines).toBe(20);
    expect(await test.db.auditEvent.count({ where: { action: "plan.import" } })).toBe(1);
  });

  it("importing the same text twice changes nothing", async () => {
    test = await createTestDb();
    await importPlan(test.db, SEED_PLAN, now);
    const before = await counts(test);
    const plan = await test.db.plan.findFirstOrThrow();
    const again = await importPlan(test.db, SEED_PLAN, new Date(now.getTime() + 3600_000));
    expect(again.unchanged).toBe(true);
    expect(again.changes).toEqual([]);
    expect(await counts(test)).toEqual(before);
    expect((await test.db.plan.findFirstOrThrow()).updatedAt).toEqual(plan.updatedAt);
    expect(await test.db.auditEvent.count()).toBe(1);
  });

  it("a changed plan updates in place and keeps liaisons, deadlines and history", async () => {
    test = await createTestDb();
    await importPlan(test.db, SEED_PLAN, now);
    const env = await test.db.unit.findUniqueOrThrow({ where: { name: "环保局" } });
    const contact = await test.db.contact.create({ data: { unitId: env.id, role: "liaison", telegramUserId: "42", telegramChatId: "42" } });
    const task16 = await test.db.task.findFirstOrThrow({ where: { number: "16" } });
    await test.db.statusUpdate.create({ data: { taskId: task16.id, unitId: env.id, contactId: contact.id, status: "in_progress", source: "bot" } });

    const changed = SEED_PLAN.replace("达到330天以上", "达到340天以上").replace("(责任单位 :环保局、工信局、水务局)", "(责任单位:环保局、水务局、气象局)");
    const preview = await previewImport(test.db, changed);
    expect(preview.lines).toEqual(
      expect.arrayContaining(["任务 16 新增责任单位：气象局（配合）", "任务 16 移除责任单位：工信局", expect.stringMatching(/任务 16 指标 .*>= 330天 → >= 340天/)]),
    );
    expect(await test.db.unit.count({ where: { name: "气象局" } })).toBe(0); // preview writes nothing

    const result = await importPlan(test.db, changed, now);
    expect(result.created).toBe(false);
    expect(await test.db.plan.count()).toBe(1);
    const task = await test.db.task.findFirstOrThrow({
      where: { number: "16" },
      include: { assignments: { where: { active: true }, include: { unit: true }, orderBy: { ordinal: "asc" } }, indicators: true },
    });
    expect(task.id).toBe(task16.id);
    expect(task.assignments.map((a) => a.unit.name)).toEqual(["环保局", "水务局", "气象局"]);
    expect(task.indicators.find((i) => i.measureUnit === "天")?.value).toBe(340);
    expect(await test.db.contact.count({ where: { id: contact.id } })).toBe(1);
    expect(await test.db.statusUpdate.count({ where: { taskId: task16.id } })).toBe(1);
    // The removed unit keeps its row (and history), only its assignment is inactive.
    expect(await test.db.assignment.count({ where: { taskId: task16.id, active: false } })).toBe(1);
  });

  it("imports a task without units with no assignments and keeps its warning", async () => {
    test = await createTestDb();
    const text = "某县工作方案\n二、主要任务\n1.修缮校舍。（责任单位：县教育局）\n2.开展专项调研，形成报告。\n3.整治河道。（各乡镇人民政府负责）\n";
    const result = await importPlan(test.db, text, now);
    expect(await counts(test)).toMatchObject({ plans: 1, tasks: 3, units: 1, assignments: 1 });
    const tasks = await test.db.task.findMany({ orderBy: { ordinal: "asc" }, include: { assignments: true } });
    expect(tasks.map((t) => [t.number, t.assignments.length])).toEqual([["1", 1], ["2", 0], ["3", 0]]);
    expect(result.plan.warningDetails.filter((w) => w.code === "no-units").map((w) => [w.line, w.taskNumber])).toEqual([[4, "2"], [5, "3"]]);
    expect(result.plan.groups[0]?.tasks[2]?.unitNote).toBe("各乡镇人民政府");
  });

  it("stores the plan text without NUL and other control characters", async () => {
    test = await createTestDb();
    const text = "某县工作方案\r\n二、主要任务\r\n1.修缮\u0000校舍。（责任单位：县教育\u0007局）\r\n";
    await importPlan(test.db, text, now);
    const plan = await test.db.plan.findFirstOrThrow();
    expect(plan.sourceText).toBe("某县工作方案\n二、主要任务\n1.修缮校舍。（责任单位：县教育局）\n");
    expect((await test.db.unit.findMany()).map((u) => u.name)).toEqual(["县教育局"]);
  });

  it("a document it cannot read writes nothing", async () => {
    test = await createTestDb();
    await expect(importPlan(test.db, "一份没有任务的文件\n\n随便写点什么。", now)).rejects.toBeInstanceOf(PlanParseError);
    expect(await counts(test)).toMatchObject({ plans: 0, units: 0, tasks: 0 });
  });

  it("imports exactly the plan the office corrected, marks the corrected tasks as the office's, audits it; a re-import keeps them", async () => {
    test = await createTestDb();
    let plan = parsePlan(SEED_PLAN);
    plan = renameUnit(plan, "交运局", "交通运输局");
    plan = updateTask(plan, { group: 0, task: 2 }, { title: "加强城市质量文化建设（办公室）" });
    plan = addTask(plan, 5, emptyTask("19", "办公室补充的任务"));
    plan = assignUnit(plan, { group: 5, task: plan.groups[5]!.tasks.length - 1 }, "气象局", "lead");
    const result = await importParsedPlan(test.db, { text: SEED_PLAN, plan }, now, { actorType: "user", actorId: 7 });
    expect(result.created).toBe(true);
    const tasks = await test.db.task.findMany({ orderBy: { ordinal: "asc" }, include: { assignments: { include: { unit: true } } } });
    expect(tasks).toHaveLength(19);
    expect(tasks[18]).toMatchObject({ number: "19", title: "办公室补充的任务", editedAt: now });
    expect(tasks[18]!.assignments.map((a) => [a.unit.name, a.role])).toEqual([["气象局", "lead"]]);
    expect(await test.db.unit.count({ where: { name: "交运局" } })).toBe(0);
    expect(await test.db.unit.count({ where: { name: "交通运输局" } })).toBe(1);
    const edited = tasks.filter((t) => t.editedAt !== null).map((t) => t.number);
    // Tasks 6 and 14 name 交运局, renamed: the office's version too.
    expect(edited).toEqual(["3", "6", "14", "19"]);
    const [audit] = await test.db.auditEvent.findMany({ where: { action: "plan.import" } });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ corrected: ["3", "6", "14", "19"] });
    expect(audit!.actorId).toBe("7");

    const again = await previewImport(test.db, SEED_PLAN);
    expect(again.changes).toEqual([]);
    expect(again.keptEdits.map((k) => k.task)).toEqual(["3", "6", "14"]);
  });

  it("a preview against another target keeps the office's corrections; that target's stored edits apply to the untouched tasks only", async () => {
    test = await createTestDb();
    // The stored plan has office edits on tasks 3 (title) and 6, 14 (renamed unit).
    let stored = parsePlan(SEED_PLAN);
    stored = renameUnit(stored, "交运局", "交通运输局");
    stored = updateTask(stored, { group: 0, task: 2 }, { title: "加强城市质量文化建设（办公室）" });
    const { planId } = await importParsedPlan(test.db, { text: SEED_PLAN, plan: stored }, now, { actorType: "user", actorId: 7 });
    // In a new preview the office corrects task 3 differently and task 5, then picks that plan as the target.
    let draft = parsePlan(SEED_PLAN);
    draft = updateTask(draft, { group: 0, task: 2 }, { title: "加强质量文化（本次修订）" });
    draft = updateTask(draft, refAt(draft, 4)!, { title: "第五项任务（本次修订）" });
    const preview = await previewImport(test.db, SEED_PLAN, { planId }, draft);
    expect(preview.targetPlanId).toBe(planId);
    const tasks = preview.plan.groups.flatMap((g) => g.tasks);
    expect(tasks[2]!.title).toBe("加强质量文化（本次修订）");
    expect(tasks[4]!.title).toBe("第五项任务（本次修订）");
    // Tasks 6 and 14 were not touched in this preview: the stored edit (renamed unit) applies and is listed.
    expect(preview.keptEdits.map((k) => k.task)).toEqual(["6", "14"]);
    expect(tasks.filter((t) => t.units.some((u) => u.name === "交通运输局")).map((t) => t.number)).toEqual(["6", "14"]);
    expect(preview.lines.some((l) => l.includes("任务 3") && l.includes("本次修订"))).toBe(true);
    expect(preview.lines.some((l) => l.includes("任务 5") && l.includes("本次修订"))).toBe(true);
    // The same corrections previewed as a new plan: no stored edits, every correction as the office made it.
    const asNew = await previewImport(test.db, SEED_PLAN, { newPlan: true }, draft);
    expect(asNew.targetPlanId).toBeNull();
    expect(asNew.keptEdits).toEqual([]);
    expect(asNew.plan.groups.flatMap((g) => g.tasks).map((t) => t.title)).toEqual(draft.groups.flatMap((g) => g.tasks).map((t) => t.title));
  });

  it("refuses a corrected plan with errors and writes nothing", async () => {
    test = await createTestDb();
    const plan = updateTask(parsePlan(SEED_PLAN), { group: 0, task: 1 }, { number: "1" });
    await expect(importParsedPlan(test.db, { text: SEED_PLAN, plan }, now, { actorType: "user", actorId: 1 })).rejects.toMatchObject({ code: "invalid-plan" });
    expect(await counts(test)).toMatchObject({ plans: 0, units: 0, tasks: 0 });
  });
});

describe("importPlan of a large plan (set-based, statements chunked under SQLite's bound-value limit)", () => {
  /** 300 tasks in 10 groups, 3 units and an indicator each; `version` rewords every title and changes every target and lead. */
  function largePlan(version: number): string {
    const lines = ["某市2030年重点工作分解方案"];
    for (let g = 0; g < 10; g++) {
      lines.push(`${"一二三四五六七八九十"[g]}、第${g + 1}方面工作`);
      for (let t = 1; t <= 30; t++) {
        const k = g * 30 + t;
        lines.push(`${k}. 推进第${k}项重点工程${version === 1 ? "建设" : "建设和验收"}。完成率达到${70 + version + (k % 20)}%以上。`, `牵头单位:市第${(k + version) % 50}局。`, `配合单位:市第${(k + 3) % 50}局、市第${(k + 7) % 50}局。`);
      }
    }
    return lines.join("\n");
  }

  it("imports 300 tasks, then re-imports every task changed, in place", async () => {
    test = await createTestDb();
    await importPlan(test.db, largePlan(1), now);
    expect(await counts(test)).toMatchObject({ plans: 1, groups: 10, tasks: 300, units: 50, assignments: 900, indicators: 300, deadlines: 300 });
    const ids = (await test.db.task.findMany({ orderBy: { ordinal: "asc" }, select: { id: true } })).map((t) => t.id);

    const result = await importPlan(test.db, largePlan(2), now);
    expect(result.created).toBe(false);
    const tasks = await test.db.task.findMany({
      orderBy: { ordinal: "asc" },
      include: { assignments: { where: { active: true }, orderBy: { ordinal: "asc" }, include: { unit: true } }, indicators: { where: { active: true } } },
    });
    expect(tasks.map((t) => t.id)).toEqual(ids);
    const k = 137;
    expect(tasks[k - 1]).toMatchObject({ number: String(k), title: `推进第${k}项重点工程建设和验收`, body: `完成率达到${72 + (k % 20)}%以上。` });
    expect(tasks[k - 1]!.assignments.map((a) => [a.unit.name, a.role])).toEqual([
      [`市第${(k + 2) % 50}局`, "lead"],
      [`市第${(k + 3) % 50}局`, "support"],
      [`市第${(k + 7) % 50}局`, "support"],
    ]);
    expect(tasks.every((t) => t.indicators.length === 1 && t.indicators[0]!.value === 72 + (Number(t.number) % 20))).toBe(true);
    // Leads moved on: the old lead's assignment is kept inactive, nothing is deleted.
    expect(await counts(test)).toMatchObject({ tasks: 300, assignments: 900, deadlines: 300 });
    expect(await test.db.assignment.count({ where: { active: false } })).toBe(300);
  });
});

describe("re-import matches tasks by content, not position", () => {
  const v1 = "某县工作方案\n二、主要任务\n1.修缮校舍。（责任单位：县教育局）\n2.整治河道。（责任单位：县水利局）\n3.建设公园。（责任单位：县住建局）\n";
  // A task inserted as 2: 整治河道 is renumbered 3, 建设公园 renumbered 4 and slightly retitled.
  const v2 = "某县工作方案\n二、主要任务\n1.修缮校舍。（责任单位：县教育局）\n2.新建图书馆。（责任单位：县文旅局）\n3.整治河道。（责任单位：县水利局）\n4.建设公园和绿地。（责任单位：县住建局）\n";

  it("an inserted task is new; the renumbered and retitled ones keep their rows, history and office edits", async () => {
    test = await createTestDb();
    await importPlan(test.db, v1, now);
    const before = await test.db.task.findMany({ orderBy: { ordinal: "asc" } });
    const river = before[1]!;
    const unit = await test.db.unit.findUniqueOrThrow({ where: { name: "县水利局" } });
    await test.db.statusUpdate.create({ data: { taskId: river.id, unitId: unit.id, status: "in_progress", source: "console" } });
    // The office rewrote task 1's body after import: the edit stays with 修缮校舍 wherever it moves.
    await test.db.task.update({ where: { id: before[0]!.id }, data: { body: "办公室补充：暑期完成。", editedAt: now } });

    const preview = await previewImport(test.db, v2);
    expect(preview.lines).toContain("新增任务 2：新建图书馆");
    expect(preview.lines.some((l) => l.startsWith("移除任务"))).toBe(false);
    expect(preview.warnings).toEqual([]);

    await importPlan(test.db, v2, now);
    const after = await test.db.task.findMany({ where: { active: true }, orderBy: { ordinal: "asc" }, include: { statusUpdates: true } });
    expect(after.map((t) => [t.number, t.title])).toEqual([
      ["1", "修缮校舍"],
      ["2", "新建图书馆"],
      ["3", "整治河道"],
      ["4", "建设公园和绿地"],
    ]);
    expect(after.map((t) => t.id)).toEqual([before[0]!.id, expect.any(Number), river.id, before[2]!.id]);
    expect(before.map((t) => t.id)).not.toContain(after[1]!.id);
    expect(after[2]!.statusUpdates).toHaveLength(1);
    expect(after[0]).toMatchObject({ body: "办公室补充：暑期完成。", editedAt: now });
    expect(await test.db.task.count()).toBe(4);
    // Each task keeps exactly one progress deadline.
    const deadlines = await test.db.deadline.groupBy({ by: ["taskId"], _count: true });
    expect(deadlines.map((d) => d._count)).toEqual([1, 1, 1, 1]);
  });

  it("a task removed from the middle leaves the board; the later ones keep their rows", async () => {
    test = await createTestDb();
    await importPlan(test.db, v2, now);
    const before = await test.db.task.findMany({ orderBy: { ordinal: "asc" } });
    await importPlan(test.db, v2.replace("2.新建图书馆。（责任单位：县文旅局）\n3.整治河道", "2.整治河道").replace("4.建设", "3.建设"), now);
    const after = await test.db.task.findMany({ orderBy: { id: "asc" } });
    expect(after.map((t) => [t.id, t.number, t.active])).toEqual([
      [before[0]!.id, "1", true],
      [before[1]!.id, "2", false],
      [before[2]!.id, "2", true],
      [before[3]!.id, "3", true],
    ]);
  });
});

