import { describe, expect, it } from "vitest";
import { defaultDeadlines } from "./default-deadlines.ts";

describe("defaultDeadlines", () => {
  it("gives every task a quarterly progress round and each stated cadence its own round", () => {
    const result = defaultDeadlines([
      { number: "5", title: "推广方法。", cadences: [] },
      {
        number: "6",
        title: "开展质量分析。",
        cadences: [
          { kind: "quarterly", what: "质量分析报告" },
          { kind: "annual", what: "质量白皮书" },
        ],
      },
    ]);
    expect(result.map((d) => [d.cycleKey, d.taskIndex, d.cadence])).toEqual([
      ["progress", 0, "quarterly"],
      ["progress", 1, "quarterly"],
      ["task-2-quarterly-1", 1, "quarterly"],
      ["task-2-annual-2", 1, "annual"],
    ]);
    expect(result[2]!.title).toBe("每季度质量分析报告");
    expect(result[2]!.rule).toEqual({ kind: "quarterly", offsetDays: 10, dayBasis: "workday" });
    expect(result[3]!.title).toBe("年度质量白皮书");
    expect(result[3]!.rule).toEqual({ kind: "annual", month: 1, day: 31, dayBasis: "workday" });
  });
});
