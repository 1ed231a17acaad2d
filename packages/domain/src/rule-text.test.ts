import { describe, expect, it } from "vitest";
import { describeRule } from "./rule-text.ts";

describe("describeRule (rule-text)", () => {
  it("words the seed plan's quarterly rule in either language", () => {
    const rule = { kind: "quarterly", offsetDays: 5, dayBasis: "workday" } as const;
    expect(describeRule(rule, "zh")).toBe("每季度结束后5个工作日内");
    expect(describeRule(rule, "en")).toBe("within 5 workdays after each quarter ends");
  });

  it("words quarter-end and annual rules in English without any Chinese", () => {
    expect(describeRule({ kind: "quarterly", offsetDays: 0, dayBasis: "workday" }, "en")).toBe("at the end of each quarter (next workday if a rest day)");
    expect(describeRule({ kind: "quarterly", offsetDays: 0, dayBasis: "calendar" }, "en")).toBe("at the end of each quarter");
    expect(describeRule({ kind: "annual", month: 3, day: 15, dayBasis: "workday" }, "en")).toBe("by March 15 each year, for the previous year (next workday if a rest day)");
    for (const rule of [
      { kind: "once", dueDate: "2026-12-31" },
      { kind: "quarterly", offsetDays: 10, dayBasis: "calendar" },
      { kind: "annual", month: 12, day: 31, dayBasis: "calendar" },
    ] as const)
      expect(describeRule(rule, "en")).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("defaults to Chinese", () => {
    expect(describeRule({ kind: "annual", month: 1, day: 31, dayBasis: "calendar" })).toBe("每年1月31日前");
  });
});
