import { describe, expect, it } from "vitest";
import { describeChange, describeKeptEdit, describeWarning, diffPlan, importWarnings, keptEdits, type PlanSnapshot, RETITLE_THRESHOLD, titleSimilarity } from "./import-diff.ts";

const base: PlanSnapshot = {
  title: "示例方案",
  docNumber: "某政办发〔2020〕1号",
  tasks: [
    {
      number: "1",
      title: "做好甲工作。",
      body: "做好甲工作。详细内容。",
      group: "推进改革",
      units: [
        { name: "市场监督管理局", role: "lead" },
        { name: "交运局", role: "support" },
      ],
      indicators: [{ name: "合格率", comparator: ">=", value: 95, unit: "%" }],
      deadline: null,
    },
  ],
};

describe("diffPlan", () => {
  it("reports a new plan when nothing is stored", () => {
    expect(diffPlan(null, base)).toEqual([{ kind: "plan-created", title: "示例方案" }]);
  });

  it("reports nothing for the same plan", () => {
    expect(diffPlan(base, structuredClone(base))).toEqual([]);
  });

  it("reports units, roles, indicators and tasks that changed", () => {
    const next = structuredClone(base);
    const task = next.tasks[0]!;
    task.units = [
      { name: "交运局", role: "lead" },
      { name: "环保局", role: "support" },
    ];
    task.indicators = [{ name: "合格率", comparator: ">=", value: 98, unit: "%" }];
    task.deadline = "2017年6月底前";
    next.tasks.push({ ...task, number: "2", title: "做好乙工作。", units: [], indicators: [] });
    const changes = diffPlan(base, next);
    expect(changes).toEqual(
      expect.arrayContaining([
        { kind: "unit-role-changed", task: "1", unit: "交运局", from: "support", to: "lead" },
        { kind: "unit-added", task: "1", unit: "环保局", role: "support" },
        { kind: "unit-removed", task: "1", unit: "市场监督管理局" },
        { kind: "indicator-changed", task: "1", indicator: "合格率", from: ">= 95%", to: ">= 98%" },
        { kind: "task-changed", task: "1", field: "deadline", from: "", to: "2017年6月底前" },
        { kind: "task-added", task: "2", title: "做好乙工作。" },
      ]),
    );
    expect(changes).toHaveLength(6);
    expect(changes.map(describeChange)).toContain("任务 1 新增责任单位：环保局（配合）");
  });

  it("reports removed tasks without losing their identity", () => {
    const next = { ...base, tasks: [] };
    expect(diffPlan(base, next)).toEqual([{ kind: "task-removed", task: "1", title: "做好甲工作。" }]);
  });
});

describe("titleSimilarity", () => {
  it("is 1 for the same title and ignores punctuation", () => {
    expect(titleSimilarity("做好甲工作。", "做好甲工作")).toBe(1);
  });

  it("stays above the threshold for an edit and falls below it for another task", () => {
    expect(titleSimilarity("加强计量基础建设", "加强计量体系建设")).toBeGreaterThanOrEqual(RETITLE_THRESHOLD);
    expect(titleSimilarity("确立质量发展的战略地位", "确立质量发展战略地位")).toBeGreaterThanOrEqual(RETITLE_THRESHOLD);
    expect(titleSimilarity("确立质量发展的战略地位", "健全监管体系")).toBeLessThan(RETITLE_THRESHOLD);
  });
});

describe("importWarnings", () => {
  const plan = (titles: string[]): PlanSnapshot => ({
    ...base,
    tasks: titles.map((title, i) => ({ ...base.tasks[0]!, number: String(i + 1), title })),
  });
  const before = plan(["确立质量发展的战略地位", "加强计量基础建设", "推进标准化建设", "强化认证认可"]);

  it("says nothing on a first import or for small edits", () => {
    expect(importWarnings(null, before)).toEqual([]);
    expect(importWarnings(before, plan(["确立质量发展的战略地位", "加强计量体系建设", "推进标准化工作", "强化认证认可", "新增一项任务"]))).toEqual([]);
  });

  it("warns about a task whose title is rewritten, since it inherits the old task's history", () => {
    const warnings = importWarnings(before, plan(["健全监管体系", "加强计量基础建设", "推进标准化建设", "强化认证认可"]));
    expect(warnings).toEqual([{ kind: "task-retitled", task: "1", from: "确立质量发展的战略地位", to: "健全监管体系", similarity: 0 }]);
    expect(describeWarning(warnings[0]!)).toBe("任务 1 标题变化较大（“确立质量发展的战略地位” → “健全监管体系”），确认是同一项任务？历史记录将沿用");
  });

  it("warns first that it looks like a different plan when most tasks are rewritten", () => {
    const warnings = importWarnings(before, plan(["健全监管体系", "优化营商环境", "推进标准化建设"]));
    expect(warnings.map((w) => w.kind)).toEqual(["different-plan", "task-retitled", "task-retitled"]);
    expect(describeWarning(warnings[0]!)).toMatch(/^新文本与现有方案差别很大（3 项对应任务中有 2 项标题大幅变化），看起来是另一份方案/);
  });
});

describe("keptEdits", () => {
  const edited: PlanSnapshot = { ...base, tasks: [{ ...base.tasks[0]!, title: "做好甲工作（办公室改）", edited: true }] };

  it("lists an office-edited task the document words differently, with what the document's version would change", () => {
    const kept = keptEdits(edited, base);
    expect(kept).toEqual([{ index: 0, task: "1", title: "做好甲工作（办公室改）", archived: false, changes: [{ kind: "task-changed", task: "1", field: "title", from: "做好甲工作（办公室改）", to: "做好甲工作。" }] }]);
    expect(describeKeptEdit(kept[0]!)).toContain("保留办公室的版本");
  });

  it("ignores unedited tasks and edited ones the document agrees with", () => {
    expect(keptEdits({ ...edited, tasks: [{ ...edited.tasks[0]!, edited: false }] }, base)).toEqual([]);
    expect(keptEdits({ ...base, tasks: [{ ...base.tasks[0]!, edited: true }] }, base)).toEqual([]);
    expect(keptEdits(null, base)).toEqual([]);
  });

  it("lists an archived office edit even when its text agrees", () => {
    expect(keptEdits({ ...base, tasks: [{ ...base.tasks[0]!, edited: true, archived: true }] }, base).map((k) => k.archived)).toEqual([true]);
  });
});
