import { describe, expect, it } from "vitest";
import { describeChange, diffPlan, type PlanSnapshot } from "./import-diff.ts";

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
