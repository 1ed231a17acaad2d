import { describe, expect, it } from "vitest";
import { matchTasks, titleSimilarity } from "./task-match.ts";

const tasks = (titles: string[], first = 1) => titles.map((title, i) => ({ number: String(first + i), title }));
const stored = tasks(["确立质量发展的战略地位", "加强计量基础建设", "推进标准化建设", "强化认证认可", "开展质量提升行动"]);

describe("matchTasks", () => {
  it("matches the same plan task for task", () => {
    expect(matchTasks(stored, stored)).toEqual([0, 1, 2, 3, 4]);
  });

  it("a task inserted in the middle is new and does not shift the later matches", () => {
    const next = tasks(["确立质量发展的战略地位", "加强计量基础建设", "健全质量信用体系", "推进标准化建设", "强化认证认可", "开展质量提升行动"]);
    expect(matchTasks(stored, next)).toEqual([0, 1, null, 2, 3, 4]);
  });

  it("a renumbered task with the same title is the same task", () => {
    const next = [
      { number: "（一）", title: "确立质量发展的战略地位" },
      { number: "（二）", title: "加强计量基础建设" },
      { number: "（三）", title: "推进标准化建设。" },
      { number: "（四）", title: "强化认证认可" },
      { number: "（五）", title: "开展质量提升行动" },
    ];
    expect(matchTasks(stored, next)).toEqual([0, 1, 2, 3, 4]);
  });

  it("a slightly retitled task keeps its match, even when renumbered and moved", () => {
    const next = tasks(["开展质量提升专项行动", "确立质量发展战略地位", "加强计量体系建设", "推进标准化建设", "强化认证认可工作"]);
    expect(matchTasks(stored, next)).toEqual([4, 0, 1, 2, 3]);
  });

  it("a removed task leaves the others matched and is matched by nothing", () => {
    const next = tasks(["确立质量发展的战略地位", "推进标准化建设", "强化认证认可", "开展质量提升行动"]);
    expect(matchTasks(stored, next)).toEqual([0, 2, 3, 4]);
  });

  it("a rewritten title keeps its task by number only between the same neighbours", () => {
    // Task 2 rewritten in place: same number, between matched 1 and 3.
    expect(matchTasks(stored, tasks(["确立质量发展的战略地位", "优化营商环境", "推进标准化建设", "强化认证认可", "开展质量提升行动"]))).toEqual([0, 1, 2, 3, 4]);
    // A new task numbered 3 after task 4: stored task 3 (推进标准化建设) sits before 4, so it is not taken.
    const next = [...tasks(["确立质量发展的战略地位", "加强计量基础建设"]), { number: "4", title: "强化认证认可" }, { number: "3", title: "完全不同的新任务" }];
    expect(matchTasks(stored, next)).toEqual([0, 1, 3, null]);
  });

  it("tasks with the same title in different places are told apart by number, then position", () => {
    const before = [
      { number: "1", title: "加强组织领导" },
      { number: "2", title: "推进项目建设" },
      { number: "3", title: "加强组织领导" },
    ];
    const after = [
      { number: "1", title: "推进项目建设" },
      { number: "2", title: "加强组织领导" },
      { number: "3", title: "加强组织领导" },
    ];
    expect(matchTasks(before, after)).toEqual([1, 0, 2]);
  });

  it("a different plan with different numbering matches nothing", () => {
    expect(matchTasks(stored, [{ number: "一", title: "优化营商环境" }, { number: "二", title: "扩大有效投资" }])).toEqual([null, null]);
  });

  it("matches a 300-task plan in bounded time when every title changed a little", () => {
    const before = Array.from({ length: 300 }, (_, k) => ({ number: String(k + 1), title: `推进第${k + 1}项重点工程建设` }));
    const after = Array.from({ length: 300 }, (_, k) => ({ number: String(k + 2), title: `推进第${k + 1}项重点工程建设工作` }));
    const started = performance.now();
    const match = matchTasks(before, [{ number: "1", title: "新增的第一项任务" }, ...after]);
    expect(match).toEqual([null, ...before.map((_, i) => i)]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("titleSimilarity", () => {
  it("ignores punctuation and counts shared character pairs", () => {
    expect(titleSimilarity("做好甲工作。", "做好甲工作")).toBe(1);
    expect(titleSimilarity("加强计量基础建设", "加强计量体系建设")).toBeCloseTo(4 / 7, 5);
    expect(titleSimilarity("甲", "乙")).toBe(0);
  });
});
