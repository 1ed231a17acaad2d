import { describe, expect, it } from "vitest";
import { createCalendar } from "./calendar.ts";
import {
  cadenceOfRule,
  deadlineRuleSchema,
  describeRule,
  dueDateFor,
  periodForRoundOpening,
  roundOpensOn,
  type DeadlineRule,
} from "./due-date.ts";

const cal = createCalendar();
const tenWorkdays: DeadlineRule = { kind: "quarterly", offsetDays: 10, dayBasis: "workday" };
const whitePaper: DeadlineRule = { kind: "annual", month: 1, day: 31, dayBasis: "workday" };

describe("dueDateFor: quarterly rules", () => {
  it("counts 10 workdays after Q3 across the National Day holiday and the 调休 Saturday", () => {
    // After 09-30: 10-08, 10-09, 10-10 (Sat, make-up), 10-12..10-16, 10-19, 10-20.
    expect(dueDateFor(tenWorkdays, "2026Q3", cal)).toBe("2026-10-20");
  });

  it("counts 10 workdays after an ordinary quarter", () => {
    expect(dueDateFor(tenWorkdays, "2026Q2", cal)).toBe("2026-07-14");
  });

  it("uses weekdays for 2027 until the office declares its holidays", () => {
    expect(dueDateFor(tenWorkdays, "2026Q4", cal)).toBe("2027-01-14");
    const declared = createCalendar([{ date: "2027-01-01", kind: "holiday", name: "元旦" }]);
    expect(dueDateFor(tenWorkdays, "2026Q4", declared)).toBe("2027-01-15");
  });

  it("counts calendar days without moving off a holiday", () => {
    expect(dueDateFor({ kind: "quarterly", offsetDays: 15, dayBasis: "calendar" }, "2026Q3", cal)).toBe("2026-10-15");
    expect(dueDateFor({ kind: "quarterly", offsetDays: 3, dayBasis: "calendar" }, "2026Q3", cal)).toBe("2026-10-03");
  });

  it("with zero workdays is the quarter end, or the next workday", () => {
    expect(dueDateFor({ kind: "quarterly", offsetDays: 0, dayBasis: "workday" }, "2026Q3", cal)).toBe("2026-09-30");
    // 2023-12-31 is a Sunday and 2024-01-01 New Year's Day.
    expect(dueDateFor({ kind: "quarterly", offsetDays: 0, dayBasis: "workday" }, "2023Q4", cal)).toBe("2024-01-02");
    expect(dueDateFor({ kind: "quarterly", offsetDays: 0, dayBasis: "calendar" }, "2023Q4", cal)).toBe("2023-12-31");
  });
});

describe("dueDateFor: annual rules", () => {
  it("is due in the following year, moved off a weekend with the workday basis", () => {
    // 2027-01-31 is a Sunday.
    expect(dueDateFor(whitePaper, "2026", cal)).toBe("2027-02-01");
    expect(dueDateFor({ ...whitePaper, dayBasis: "calendar" }, "2026", cal)).toBe("2027-01-31");
    // 2026-01-31 is a Saturday.
    expect(dueDateFor(whitePaper, "2025", cal)).toBe("2026-02-02");
  });

  it("moves off a statutory holiday", () => {
    expect(dueDateFor({ kind: "annual", month: 10, day: 1, dayBasis: "workday" }, "2025", cal)).toBe("2026-10-08");
  });

  it("stays on a workday", () => {
    expect(dueDateFor({ kind: "annual", month: 3, day: 31, dayBasis: "workday" }, "2025", cal)).toBe("2026-03-31");
  });
});

describe("dueDateFor: one-off and mismatches", () => {
  it("returns a one-off date as given", () => {
    expect(dueDateFor({ kind: "once", dueDate: "2026-12-31" }, null, cal)).toBe("2026-12-31");
  });

  it("refuses a period of the wrong cadence or a missing period", () => {
    expect(() => dueDateFor(tenWorkdays, "2026", cal)).toThrow(RangeError);
    expect(() => dueDateFor(whitePaper, "2026Q3", cal)).toThrow(RangeError);
    expect(() => dueDateFor(tenWorkdays, null, cal)).toThrow(RangeError);
    expect(() => dueDateFor(tenWorkdays, "2026Q9", cal)).toThrow();
  });
});

describe("round opening", () => {
  it("opens the round for a period on the period's first day", () => {
    expect(periodForRoundOpening(tenWorkdays, "2026-07-01")).toBe("2026Q3");
    expect(periodForRoundOpening(tenWorkdays, "2026-09-30")).toBe("2026Q3");
    expect(periodForRoundOpening(tenWorkdays, "2026-10-01")).toBe("2026Q4");
    expect(periodForRoundOpening(whitePaper, "2026-12-31")).toBe("2026");
    expect(periodForRoundOpening(whitePaper, "2027-01-01")).toBe("2027");
    expect(roundOpensOn("2026Q3")).toBe("2026-07-01");
    expect(roundOpensOn("2026")).toBe("2026-01-01");
  });

  it("has no recurring round for a one-off deadline", () => {
    expect(periodForRoundOpening({ kind: "once", dueDate: "2026-12-31" }, "2026-10-01")).toBeNull();
    expect(cadenceOfRule({ kind: "once", dueDate: "2026-12-31" })).toBeNull();
    expect(cadenceOfRule(tenWorkdays)).toBe("quarterly");
    expect(cadenceOfRule(whitePaper)).toBe("annual");
  });

  it("keeps a round due after its period has ended", () => {
    for (const key of ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]) {
      expect(dueDateFor(tenWorkdays, key, cal) > roundOpensOn(key)).toBe(true);
    }
  });
});

describe("deadlineRuleSchema", () => {
  it("accepts each kind of rule", () => {
    expect(deadlineRuleSchema.parse(tenWorkdays)).toEqual(tenWorkdays);
    expect(deadlineRuleSchema.parse(whitePaper)).toEqual(whitePaper);
    expect(deadlineRuleSchema.parse({ kind: "once", dueDate: "2026-12-31" })).toEqual({ kind: "once", dueDate: "2026-12-31" });
  });

  it.each([
    { kind: "once", dueDate: "2026-12-32" },
    { kind: "quarterly", offsetDays: -1, dayBasis: "workday" },
    { kind: "quarterly", offsetDays: 2.5, dayBasis: "workday" },
    { kind: "quarterly", offsetDays: 10, dayBasis: "lunar" },
    { kind: "annual", month: 13, day: 1, dayBasis: "calendar" },
    { kind: "annual", month: 2, day: 30, dayBasis: "calendar" },
    { kind: "annual", month: 2, day: 29, dayBasis: "calendar" },
    { kind: "monthly", day: 5 },
  ])("rejects %j", (rule) => {
    expect(deadlineRuleSchema.safeParse(rule).success).toBe(false);
  });
});

describe("describeRule", () => {
  it("describes rules in Chinese", () => {
    expect(describeRule(tenWorkdays, "zh")).toBe("每季度结束后10个工作日内");
    expect(describeRule({ kind: "quarterly", offsetDays: 15, dayBasis: "calendar" }, "zh")).toBe("每季度结束后15日内");
    expect(describeRule({ ...whitePaper, dayBasis: "calendar" }, "zh")).toBe("每年1月31日前");
    expect(describeRule(whitePaper, "zh")).toBe("每年1月31日前（遇休息日顺延）");
    expect(describeRule({ kind: "once", dueDate: "2026-12-31" })).toBe("2026-12-31前");
  });

  it("describes rules in English", () => {
    expect(describeRule(tenWorkdays, "en")).toBe("within 10 workdays after each quarter ends");
    expect(describeRule({ kind: "quarterly", offsetDays: 1, dayBasis: "calendar" }, "en")).toBe("within 1 day after each quarter ends");
    expect(describeRule({ ...whitePaper, dayBasis: "calendar" }, "en")).toBe("by January 31 each year, for the previous year");
    expect(describeRule({ kind: "once", dueDate: "2026-12-31" }, "en")).toBe("by 2026-12-31");
  });
});
