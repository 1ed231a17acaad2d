import { describe, expect, it } from "vitest";
import { fmtDate, fmtDateTime, periodText, rungText, scoreRanks, statusText } from "./format.ts";

describe("format", () => {
  it("shows instants on the Shanghai wall clock whatever the browser's zone", () => {
    expect(fmtDateTime("2026-10-13T09:30:00.000Z")).toBe("2026-10-13 17:30");
    expect(fmtDate("2026-12-31T16:30:00.000Z")).toBe("2027-01-01");
    expect(fmtDateTime(null)).toBe("—");
  });

  it("names statuses in both languages and passes unknown ones through", () => {
    expect(statusText("blocked", "zh")).toBe("有困难");
    expect(statusText("done", "en")).toBe("Done");
    expect(statusText(null, "zh")).toBe("未报");
    expect(statusText("自定义", "zh")).toBe("自定义");
  });

  it("names periods the way the office writes them", () => {
    expect(periodText("2026Q3", "zh")).toBe("2026年第三季度");
    expect(periodText("2026Q4", "en")).toBe("Q4 2026");
    expect(periodText("2026", "zh")).toBe("2026年度");
    expect(periodText("once", "zh")).toBe("一次性");
    expect(periodText(null, "zh")).toBe("—");
  });

  it("names reminder rungs", () => {
    expect(rungText("before-3", "zh")).toBe("截止前 3 个工作日");
    expect(rungText("due", "zh")).toBe("截止当日");
    expect(rungText("overdue-2", "en")).toBe("2 workdays overdue");
    expect(rungText("head-3", "zh")).toBe("逾期 3 个工作日·抄送一把手");
    expect(rungText("custom", "zh")).toBe("custom");
  });

  it("ranks scores: ties share a place, the next place skips, and nothing scored has no place", () => {
    expect(scoreRanks([100, 92.5, 92.5, 80, null, null])).toEqual([1, 2, 2, 4, null, null]);
    expect(scoreRanks([null, null])).toEqual([null, null]);
    expect(scoreRanks([70, 70, 70])).toEqual([1, 1, 1]);
  });
});
