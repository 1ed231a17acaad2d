import { afterEach, describe, expect, it } from "vitest";
import {
  HOLIDAY_DATA_YEARS,
  TIME_ZONE,
  addDays,
  calendarOverrideSchema,
  createCalendar,
  dayOfWeek,
  daysBetween,
  isIsoDate,
  shanghaiDate,
  shanghaiInstant,
  shanghaiTime,
} from "./calendar.ts";

// 2026 National Day as published in chinese-days (dist/years/2026.json): holidays 10-01..10-07
// (Thu..Wed), make-up workdays Sunday 2026-09-20 and Saturday 2026-10-10. Mid-Autumn 09-25..09-27.
const NATIONAL_DAY_2026 = ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"];

describe("instants and Shanghai dates", () => {
  it("names the time zone", () => {
    expect(TIME_ZONE).toBe("Asia/Shanghai");
  });

  it("reads the Shanghai calendar date and wall-clock time of an instant (UTC+8)", () => {
    const justAfterMidnight = new Date("2026-09-30T16:30:00Z");
    expect(shanghaiDate(justAfterMidnight)).toBe("2026-10-01");
    expect(shanghaiTime(justAfterMidnight)).toBe("00:30");
    const lateEvening = new Date("2026-09-30T15:59:59Z");
    expect(shanghaiDate(lateEvening)).toBe("2026-09-30");
    expect(shanghaiTime(lateEvening)).toBe("23:59");
  });

  it("builds the instant of a Shanghai date and time", () => {
    expect(shanghaiInstant("2026-10-08", "09:00").toISOString()).toBe("2026-10-08T01:00:00.000Z");
    expect(shanghaiInstant("2027-01-01", "00:00").toISOString()).toBe("2026-12-31T16:00:00.000Z");
    const at = shanghaiInstant("2026-02-28", "17:30");
    expect([shanghaiDate(at), shanghaiTime(at)]).toEqual(["2026-02-28", "17:30"]);
  });

  it("rejects malformed dates and times", () => {
    expect(() => shanghaiInstant("2026-02-30", "09:00")).toThrow(RangeError);
    expect(() => shanghaiInstant("2026-1-5", "09:00")).toThrow(RangeError);
    expect(() => shanghaiInstant("2026-01-05", "24:00")).toThrow(RangeError);
    expect(() => shanghaiInstant("2026-01-05", "9:00")).toThrow(RangeError);
    expect(() => addDays("0999-01-01", 1)).toThrow(RangeError);
    expect(isIsoDate("2028-02-29")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
  });

  describe("independent of the host time zone", () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });

    it("keeps weekdays and workdays right on a server west of UTC", () => {
      process.env.TZ = "America/Los_Angeles";
      expect(dayOfWeek("2026-10-12")).toBe(1);
      expect(createCalendar().isWorkday("2026-10-12")).toBe(true);
      expect(shanghaiDate(shanghaiInstant("2026-10-12", "00:00"))).toBe("2026-10-12");
    });
  });
});

describe("date arithmetic", () => {
  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-09-30", 1)).toBe("2026-10-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(addDays("2026-05-05", 0)).toBe("2026-05-05");
  });

  it("knows weekdays and counts calendar days", () => {
    expect(dayOfWeek("2026-10-01")).toBe(4);
    expect(dayOfWeek("2026-10-10")).toBe(6);
    expect(dayOfWeek("2026-09-20")).toBe(0);
    expect(daysBetween("2026-09-30", "2026-10-20")).toBe(20);
    expect(daysBetween("2026-10-20", "2026-09-30")).toBe(-20);
  });
});

describe("the holiday library", () => {
  const cal = createCalendar();

  it("covers the published years and nothing later (no 2027 data)", () => {
    expect(HOLIDAY_DATA_YEARS[0]).toBe(2004);
    expect(HOLIDAY_DATA_YEARS.at(-1)).toBe(2026);
    expect(cal.covers(2026)).toBe(true);
    expect(cal.covers(2004)).toBe(true);
    expect(cal.covers(2027)).toBe(false);
    expect(cal.covers(2003)).toBe(false);
  });

  it("marks the 2026 National Day holidays as rest days", () => {
    for (const date of NATIONAL_DAY_2026) {
      expect(cal.isWorkday(date), date).toBe(false);
      expect(cal.isHoliday(date), date).toBe(true);
      expect(cal.holidayName(date), date).toBe("国庆节");
    }
    expect(cal.holidayName("2026-10-01", "en")).toBe("National Day");
    expect(cal.isWorkday("2026-09-30")).toBe(true);
    expect(cal.isWorkday("2026-10-08")).toBe(true);
    expect(cal.isHoliday("2026-10-08")).toBe(false);
  });

  it("makes the 调休 weekend days workdays", () => {
    for (const date of ["2026-09-20", "2026-10-10"]) {
      expect([0, 6]).toContain(dayOfWeek(date));
      expect(cal.isWorkday(date), date).toBe(true);
      expect(cal.isHoliday(date), date).toBe(false);
      expect(cal.holidayName(date), date).toBe("国庆节");
    }
  });

  it("treats an ordinary weekend as a rest day that is not a holiday", () => {
    expect(cal.isWorkday("2026-10-11")).toBe(false);
    expect(cal.isHoliday("2026-10-11")).toBe(false);
    expect(cal.holidayName("2026-10-11")).toBeNull();
    expect(cal.holidayName("2026-10-12")).toBeNull();
  });

  it("counts workdays across the National Day holiday", () => {
    expect(cal.addWorkdays("2026-09-30", 1)).toBe("2026-10-08");
    expect(cal.addWorkdays("2026-09-30", 2)).toBe("2026-10-09");
    expect(cal.addWorkdays("2026-09-30", 3)).toBe("2026-10-10");
    expect(cal.addWorkdays("2026-09-30", 4)).toBe("2026-10-12");
    expect(cal.addWorkdays("2026-09-30", 10)).toBe("2026-10-20");
    expect(cal.addWorkdays("2026-10-08", -1)).toBe("2026-09-30");
    expect(cal.addWorkdays("2026-10-12", -2)).toBe("2026-10-09");
    expect(cal.addWorkdays("2026-10-03", 0)).toBe("2026-10-08");
    expect(cal.addWorkdays("2026-10-09", 0)).toBe("2026-10-09");
    expect(cal.addWorkdays("2026-09-28", -5)).toBe("2026-09-20");
  });

  it("finds the next workday strictly after and the workday on or after", () => {
    expect(cal.nextWorkday("2026-10-09")).toBe("2026-10-10");
    expect(cal.nextWorkday("2026-10-10")).toBe("2026-10-12");
    expect(cal.nextWorkday("2026-09-30")).toBe("2026-10-08");
    expect(cal.workdayOnOrAfter("2026-10-08")).toBe("2026-10-08");
    expect(cal.workdayOnOrAfter("2026-10-01")).toBe("2026-10-08");
    expect(cal.workdayOnOrBefore("2026-10-07")).toBe("2026-09-30");
    expect(cal.workdayOnOrBefore("2026-09-30")).toBe("2026-09-30");
  });

  it("counts workdays in (from, to], negative when to is earlier", () => {
    expect(cal.workdaysBetween("2026-09-30", "2026-10-20")).toBe(10);
    expect(cal.workdaysBetween("2026-10-20", "2026-09-30")).toBe(-10);
    expect(cal.workdaysBetween("2026-09-30", "2026-10-07")).toBe(0);
    expect(cal.workdaysBetween("2026-10-08", "2026-10-08")).toBe(0);
    expect(cal.workdaysBetween("2026-10-07", "2026-10-08")).toBe(1);
  });

  it("agrees with addWorkdays for every count", () => {
    for (const start of ["2026-09-18", "2026-09-30", "2026-12-31", "2026-02-13"]) {
      for (let n = 0; n <= 40; n++) {
        expect(cal.workdaysBetween(start, cal.addWorkdays(start, n)), `${start} +${n}`).toBe(n);
      }
    }
  });

  it("falls back to weekdays for a year it does not cover", () => {
    expect(cal.isWorkday("2027-01-01")).toBe(true);
    expect(cal.isHoliday("2027-01-01")).toBe(false);
    expect(cal.isWorkday("2027-01-02")).toBe(false);
    expect(cal.isWorkday("2027-10-01")).toBe(true);
  });

  it("rejects invalid dates", () => {
    expect(() => cal.isWorkday("2026-13-01")).toThrow(RangeError);
    expect(() => cal.isHoliday("20261001")).toThrow(RangeError);
    expect(() => cal.addWorkdays("2026-10-01", 1.5)).toThrow(RangeError);
  });
});

describe("calendar overrides", () => {
  // A hypothetical 2027 arrangement, declared by the office before the library publishes it.
  const cal2027 = createCalendar([
    { date: "2027-01-01", kind: "holiday", name: "元旦" },
    { date: "2027-01-09", kind: "workday", name: "元旦" },
  ]);

  it("declares a 2027 holiday and make-up workday and then covers 2027", () => {
    expect(cal2027.covers(2027)).toBe(true);
    expect(cal2027.isWorkday("2027-01-01")).toBe(false);
    expect(cal2027.isHoliday("2027-01-01")).toBe(true);
    expect(cal2027.holidayName("2027-01-01")).toBe("元旦");
    expect(dayOfWeek("2027-01-09")).toBe(6);
    expect(cal2027.isWorkday("2027-01-09")).toBe(true);
    expect(cal2027.isHoliday("2027-01-09")).toBe(false);
    expect(cal2027.addWorkdays("2026-12-31", 1)).toBe("2027-01-04");
    expect(cal2027.addWorkdays("2027-01-08", 1)).toBe("2027-01-09");
  });

  it("wins over the library", () => {
    const cal = createCalendar([
      { date: "2026-10-08", kind: "holiday", name: "国庆节（延长）" },
      { date: "2026-10-10", kind: "holiday" },
      { date: "2026-10-07", kind: "workday" },
    ]);
    expect(cal.isWorkday("2026-10-08")).toBe(false);
    expect(cal.holidayName("2026-10-08")).toBe("国庆节（延长）");
    expect(cal.isWorkday("2026-10-10")).toBe(false);
    expect(cal.holidayName("2026-10-10")).toBeNull();
    expect(cal.isWorkday("2026-10-07")).toBe(true);
    expect(cal.isHoliday("2026-10-07")).toBe(false);
    expect(cal.addWorkdays("2026-09-30", 1)).toBe("2026-10-07");
    expect(cal.addWorkdays("2026-09-30", 2)).toBe("2026-10-09");
    expect(cal.addWorkdays("2026-09-30", 3)).toBe("2026-10-12");
  });

  it("leaves other calendars untouched", () => {
    expect(createCalendar().isWorkday("2027-01-01")).toBe(true);
    expect(createCalendar().covers(2027)).toBe(false);
  });

  it("validates overrides", () => {
    expect(() => createCalendar([{ date: "2027-02-30", kind: "holiday" }])).toThrow();
    expect(calendarOverrideSchema.safeParse({ date: "2027-01-01", kind: "vacation" }).success).toBe(false);
    expect(calendarOverrideSchema.parse({ date: "2027-01-01", kind: "holiday", name: "元旦" }).name).toBe("元旦");
  });
});
