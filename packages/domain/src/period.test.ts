import { describe, expect, it } from "vitest";
import { addDays } from "./calendar.ts";
import {
  cadenceOf,
  nextPeriodKey,
  parsePeriodKey,
  periodContains,
  periodEnd,
  periodKeyOf,
  periodKeysBetween,
  periodLabel,
  periodStart,
  previousPeriodKey,
} from "./period.ts";

describe("period keys", () => {
  it("puts each date in its quarter, exactly at the boundaries", () => {
    expect(periodKeyOf("2026-01-01", "quarterly")).toBe("2026Q1");
    expect(periodKeyOf("2026-03-31", "quarterly")).toBe("2026Q1");
    expect(periodKeyOf("2026-04-01", "quarterly")).toBe("2026Q2");
    expect(periodKeyOf("2026-06-30", "quarterly")).toBe("2026Q2");
    expect(periodKeyOf("2026-07-01", "quarterly")).toBe("2026Q3");
    expect(periodKeyOf("2026-09-30", "quarterly")).toBe("2026Q3");
    expect(periodKeyOf("2026-10-01", "quarterly")).toBe("2026Q4");
    expect(periodKeyOf("2026-12-31", "quarterly")).toBe("2026Q4");
  });

  it("puts each date in its year", () => {
    expect(periodKeyOf("2026-01-01", "annual")).toBe("2026");
    expect(periodKeyOf("2026-12-31", "annual")).toBe("2026");
    expect(periodKeyOf("2027-01-01", "annual")).toBe("2027");
  });

  it("parses quarter and year keys", () => {
    expect(parsePeriodKey("2026Q3")).toEqual({ cadence: "quarterly", year: 2026, quarter: 3 });
    expect(parsePeriodKey("2026")).toEqual({ cadence: "annual", year: 2026 });
    expect(cadenceOf("2026Q1")).toBe("quarterly");
    expect(cadenceOf("2030")).toBe("annual");
  });

  it.each(["2026Q5", "2026Q0", "2026q3", "26Q1", "", "2026Q3 ", "2026-Q3", "0999", "2026H1"])("rejects %j", (key) => {
    expect(() => parsePeriodKey(key)).toThrow();
  });

  it("rejects invalid dates", () => {
    expect(() => periodKeyOf("2026-13-01", "quarterly")).toThrow();
  });
});

describe("period bounds", () => {
  it("gives each quarter's first and last day", () => {
    expect([periodStart("2026Q1"), periodEnd("2026Q1")]).toEqual(["2026-01-01", "2026-03-31"]);
    expect([periodStart("2026Q2"), periodEnd("2026Q2")]).toEqual(["2026-04-01", "2026-06-30"]);
    expect([periodStart("2026Q3"), periodEnd("2026Q3")]).toEqual(["2026-07-01", "2026-09-30"]);
    expect([periodStart("2026Q4"), periodEnd("2026Q4")]).toEqual(["2026-10-01", "2026-12-31"]);
  });

  it("gives a year's first and last day", () => {
    expect([periodStart("2026"), periodEnd("2026")]).toEqual(["2026-01-01", "2026-12-31"]);
  });

  it("tiles time without gaps or overlaps", () => {
    for (const first of ["2024Q1", "2024"]) {
      let key = first;
      for (let i = 0; i < 12; i++) {
        const next = nextPeriodKey(key);
        expect(addDays(periodEnd(key), 1), key).toBe(periodStart(next));
        expect(previousPeriodKey(next)).toBe(key);
        expect(periodKeyOf(periodStart(key), cadenceOf(key))).toBe(key);
        expect(periodKeyOf(periodEnd(key), cadenceOf(key))).toBe(key);
        key = next;
      }
    }
  });

  it("steps across year ends", () => {
    expect(nextPeriodKey("2026Q4")).toBe("2027Q1");
    expect(nextPeriodKey("2026Q3")).toBe("2026Q4");
    expect(previousPeriodKey("2026Q1")).toBe("2025Q4");
    expect(nextPeriodKey("2026")).toBe("2027");
    expect(previousPeriodKey("2026")).toBe("2025");
  });

  it("tells whether a date lies inside a period", () => {
    expect(periodContains("2026Q3", "2026-07-01")).toBe(true);
    expect(periodContains("2026Q3", "2026-09-30")).toBe(true);
    expect(periodContains("2026Q3", "2026-10-01")).toBe(false);
    expect(periodContains("2026", "2026-10-01")).toBe(true);
  });
});

describe("period labels", () => {
  it("labels in Chinese", () => {
    expect(periodLabel("2026Q4", "zh")).toBe("2026年第四季度");
    expect(periodLabel("2026Q1", "zh")).toBe("2026年第一季度");
    expect(periodLabel("2026Q3")).toBe("2026年第三季度");
    expect(periodLabel("2026", "zh")).toBe("2026年度");
  });

  it("labels in English", () => {
    expect(periodLabel("2026Q2", "en")).toBe("Q2 2026");
    expect(periodLabel("2026", "en")).toBe("Year 2026");
  });
});

describe("periodKeysBetween", () => {
  it("lists every quarter that overlaps the range", () => {
    expect(periodKeysBetween("2026-08-15", "2027-02-01", "quarterly")).toEqual(["2026Q3", "2026Q4", "2027Q1"]);
    expect(periodKeysBetween("2026-09-30", "2026-10-01", "quarterly")).toEqual(["2026Q3", "2026Q4"]);
    expect(periodKeysBetween("2026-07-01", "2026-09-30", "quarterly")).toEqual(["2026Q3"]);
  });

  it("lists every year that overlaps the range", () => {
    expect(periodKeysBetween("2025-12-31", "2027-01-01", "annual")).toEqual(["2025", "2026", "2027"]);
  });

  it("is empty for a reversed range and single for one day", () => {
    expect(periodKeysBetween("2026-10-01", "2026-09-30", "quarterly")).toEqual([]);
    expect(periodKeysBetween("2026-05-05", "2026-05-05", "annual")).toEqual(["2026"]);
  });
});
