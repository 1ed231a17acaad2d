import { describe, expect, it } from "vitest";
import { parsePlan, type ParsedPlan } from "./parse-plan.ts";
import { addTask, assignUnit, refAt, replaceTask, deleteTask, emptyTask, mapUnits, mergeWithNext, planProblems, renameUnit, setTaskUnits, splitTask, taskText, unassignUnit, updateTask, withoutKeptEdits } from "./plan-edit.ts";

const TEXT = [
  "某市质量提升行动方案",
  "一、主要任务",
  "（一）加强质量基础",
  "1.完善计量体系。建立计量标准（市市场监管局牵头，市工信局配合）",
  "2.推进标准化建设。主导制定标准10项以上（市工信局牵头，市市场监管局配合，完成时限：2026年底）",
  "3.强化认证认可。推进质量认证（市商务局、市工信局负责）",
  "",
].join("\n");

const plan = parsePlan(TEXT);
const tasksOf = (p: ParsedPlan) => p.groups.flatMap((g) => g.tasks);
const unitsOf = (p: ParsedPlan, i: number) => tasksOf(p)[i]!.units.map((u) => `${u.name}/${u.role}`);

describe("preview editing", () => {
  it("reads the fixture as three tasks with their units", () => {
    expect(tasksOf(plan).map((t) => t.number)).toEqual(["1", "2", "3"]);
    expect(unitsOf(plan, 0)).toEqual(["市市场监管局/lead", "市工信局/support"]);
  });

  it("fixes a task's number, title and deadline without touching the input", () => {
    const edited = updateTask(plan, { group: 0, task: 1 }, { number: "2a", title: "推进标准化", deadline: "2027年6月底" });
    expect(tasksOf(edited)[1]).toMatchObject({ number: "2a", title: "推进标准化", deadline: "2027年6月底" });
    expect(tasksOf(plan)[1]!.number).toBe("2");
  });

  it("adds a task without units (a warning, not an error) and deletes one, keeping the unit list true", () => {
    const added = addTask(plan, 0, emptyTask("4", "新增任务"), 2);
    expect(tasksOf(added).map((t) => t.number)).toEqual(["1", "2", "3", "4"]);
    expect(planProblems(added)).toEqual([expect.objectContaining({ level: "warning", code: "no-units", at: { group: 0, task: 3 } })]);
    const removed = deleteTask(plan, { group: 0, task: 2 });
    expect(tasksOf(removed).map((t) => t.number)).toEqual(["1", "2"]);
    expect(removed.units).not.toContain("市商务局");
  });

  it("splits a task at an offset into two, the second after it with the same units", () => {
    const task = tasksOf(plan)[0]!;
    const offset = taskText(task).indexOf("建立");
    const split = splitTask(plan, { group: 0, task: 0 }, offset);
    const [first, second] = tasksOf(split);
    expect(first).toMatchObject({ number: "1", title: "完善计量体系" });
    expect(second).toMatchObject({ number: "1-2", title: "建立计量标准" });
    expect(second!.units).toEqual(first!.units);
    expect(tasksOf(split)).toHaveLength(4);
    expect(() => splitTask(plan, { group: 0, task: 0 }, 0)).toThrow(RangeError);
  });

  it("merges a task with the next: units united with lead winning, deadline and body kept", () => {
    const merged = mergeWithNext(plan, { group: 0, task: 0 });
    const task = tasksOf(merged)[0]!;
    expect(tasksOf(merged)).toHaveLength(2);
    expect(task.title).toBe("完善计量体系");
    expect(task.body).toContain("推进标准化建设");
    expect(task.deadline).toBe(tasksOf(plan)[1]!.deadline);
    expect(task.units.map((u) => `${u.name}/${u.role}`)).toEqual(["市市场监管局/lead", "市工信局/lead"]);
    expect(task.indicators.map((i) => i.name)).toEqual(tasksOf(plan)[1]!.indicators.map((i) => i.name));
  });

  it("assigns a unit and a lead, changes a role, removes a unit", () => {
    const none = setTaskUnits(plan, { group: 0, task: 2 }, []);
    expect(planProblems(none).map((p) => p.code)).toEqual(["no-units"]);
    const assigned = assignUnit(none, { group: 0, task: 2 }, " 市发改委 ", "support");
    expect(planProblems(assigned).map((p) => p.code)).toEqual(["no-lead"]);
    const led = assignUnit(assigned, { group: 0, task: 2 }, "市发改委", "lead");
    expect(unitsOf(led, 2)).toEqual(["市发改委/lead"]);
    expect(planProblems(led)).toEqual([]);
    expect(led.units).toContain("市发改委");
    expect(unitsOf(unassignUnit(led, { group: 0, task: 2 }, "市发改委"), 2)).toEqual([]);
  });

  it("renames a unit in every task and folds it into a name the task already lists", () => {
    const renamed = renameUnit(plan, "市工信局", "市工业和信息化局");
    expect(unitsOf(renamed, 0)).toEqual(["市市场监管局/lead", "市工业和信息化局/support"]);
    expect(unitsOf(renamed, 1)[0]).toBe("市工业和信息化局/lead");
    expect(renamed.units).not.toContain("市工信局");
    const folded = renameUnit(plan, "市工信局", "市市场监管局");
    expect(unitsOf(folded, 0)).toEqual(["市市场监管局/lead"]);
    expect(unitsOf(folded, 1)).toEqual(["市市场监管局/lead"]);
  });

  it("maps names onto existing units", () => {
    const mapped = mapUnits(plan, { 市市场监管局: "市场监督管理局", 市商务局: "商务局" });
    expect(mapped.units).toEqual(["市场监督管理局", "市工信局", "商务局"]);
  });

  it("refuses a plan without tasks, duplicate numbers, empty titles and numbers", () => {
    const dup = updateTask(plan, { group: 0, task: 1 }, { number: "1" });
    expect(planProblems(dup)).toEqual([expect.objectContaining({ level: "error", code: "duplicate-number", at: { group: 0, task: 1 } })]);
    const blank = updateTask(plan, { group: 0, task: 0 }, { number: " ", title: "" });
    expect(planProblems(blank).map((p) => p.code).sort()).toEqual(["empty-number", "empty-title"]);
    const empty = [0, 0, 0].reduce((p) => deleteTask(p, { group: 0, task: 0 }), plan);
    expect(planProblems(empty).map((p) => p.code)).toEqual(["no-tasks"]);
  });

  it("finds a task by its flat position and replaces it with another version", () => {
    expect(refAt(plan, 2)).toEqual({ group: 0, task: 2 });
    expect(refAt(plan, 3)).toBeNull();
    const replaced = replaceTask(plan, refAt(plan, 1)!, emptyTask("2", "文件版本"));
    expect(tasksOf(replaced)[1]).toMatchObject({ number: "2", title: "文件版本", units: [] });
    expect(unitsOf(replaced, 1)).toEqual([]);
  });
});

describe("withoutKeptEdits", () => {
  it("puts the document's reading back for tasks still as the target's stored edit, and keeps the office's own corrections", () => {
    // The server's preview: task 1 carries a stored edit of the previewed target plan.
    const storedEdit = { ...tasksOf(plan)[0]!, title: "完善计量体系（办公室修订）" };
    const base = replaceTask(plan, { group: 0, task: 0 }, storedEdit);
    const kept = [{ index: 0, documentTask: tasksOf(plan)[0]! }];
    // The office then corrects task 3 and adds a task.
    const draft = addTask(updateTask(base, { group: 0, task: 2 }, { title: "推进质量认证" }), 0, emptyTask("4", "新增任务"));
    const sent = withoutKeptEdits(draft, base, kept);
    expect(tasksOf(sent).map((t) => t.title)).toEqual([tasksOf(plan)[0]!.title, tasksOf(plan)[1]!.title, "推进质量认证", "新增任务"]);
  });

  it("keeps a kept-edit task the office changed further, and returns the draft as is without kept edits", () => {
    const base = replaceTask(plan, { group: 0, task: 0 }, { ...tasksOf(plan)[0]!, title: "修订一" });
    const draft = updateTask(base, { group: 0, task: 0 }, { title: "修订二" });
    expect(tasksOf(withoutKeptEdits(draft, base, [{ index: 0, documentTask: tasksOf(plan)[0]! }]))[0]!.title).toBe("修订二");
    expect(withoutKeptEdits(draft, base, [])).toBe(draft);
  });
});
