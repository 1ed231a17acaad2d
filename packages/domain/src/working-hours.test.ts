import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createCalendar, shanghaiDate, shanghaiInstant, shanghaiTime } from "./calendar.ts";
import { DEFAULT_LADDER, ladderSchedule } from "./reminder-ladder.ts";
import {
  DEFAULT_WORKING_HOURS,
  isWithinWorkingHours,
  nextWorkingMorning,
  workingHoursSettingSchema,
  workingHoursTextSchema,
  workingTimeOnOrAfter,
} from "./working-hours.ts";

const cal = createCalendar();
const sh = (date: string, time: string) => shanghaiInstant(date, time);
const stamp = (d: Date) => `${shanghaiDate(d)} ${shanghaiTime(d)}`;
const messages = (result: z.ZodSafeParseResult<unknown>) => (result.success ? [] : result.error.issues.map((i) => i.message));

describe("workingHoursTextSchema", () => {
  it("reads HH:MM-HH:MM", () => {
    expect(workingHoursTextSchema.parse("08:00-12:00")).toEqual({ start: "08:00", end: "12:00" });
    expect(workingHoursTextSchema.parse(" 09:00-17:30 ")).toEqual(DEFAULT_WORKING_HOURS);
    expect(workingHoursTextSchema.parse("00:00-23:59")).toEqual({ start: "00:00", end: "23:59" });
  });

  it("refuses other shapes, impossible times and hours that end before they start", () => {
    for (const text of ["9-17", "9:00-17:30", "09:00–17:30", "09:00 - 17:30", "09:00", "", "09:00-17:30-18:00"]) {
      expect(messages(workingHoursTextSchema.safeParse(text)), text).toEqual(["expected HH:MM-HH:MM, e.g. 09:00-17:30"]);
    }
    expect(messages(workingHoursTextSchema.safeParse("24:00-25:00"))).toEqual(["expected a time HH:MM", "expected a time HH:MM"]);
    expect(messages(workingHoursTextSchema.safeParse("18:00-09:00"))).toEqual(["working hours must start before they end"]);
    expect(messages(workingHoursTextSchema.safeParse("09:00-09:00"))).toEqual(["working hours must start before they end"]);
  });
});

describe("workingHoursSettingSchema", () => {
  const env = z.object({ WORKING_HOURS: workingHoursSettingSchema });

  it("defaults to 09:00-17:30 when unset or empty", () => {
    expect(env.parse({}).WORKING_HOURS).toEqual(DEFAULT_WORKING_HOURS);
    expect(env.parse({ WORKING_HOURS: "  " }).WORKING_HOURS).toEqual(DEFAULT_WORKING_HOURS);
    expect(env.parse({ WORKING_HOURS: "08:00-12:00" }).WORKING_HOURS).toEqual({ start: "08:00", end: "12:00" });
  });

  it("reports problems under the variable's name", () => {
    const result = env.safeParse({ WORKING_HOURS: "18:00-09:00" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe("WORKING_HOURS");
  });
});

describe("other working hours", () => {
  const morning = { start: "08:00", end: "12:00" };

  it("13:00 on a workday is outside 08:00-12:00 and waits for the next working morning at 08:00", () => {
    expect(isWithinWorkingHours(sh("2026-10-12", "11:59"), cal, morning)).toBe(true);
    expect(isWithinWorkingHours(sh("2026-10-12", "13:00"), cal, morning)).toBe(false);
    expect(stamp(workingTimeOnOrAfter(sh("2026-10-12", "13:00"), cal, morning))).toBe("2026-10-13 08:00");
    expect(stamp(nextWorkingMorning(sh("2026-10-12", "07:30"), cal, morning))).toBe("2026-10-12 08:00");
    // Friday afternoon → Monday morning.
    expect(stamp(nextWorkingMorning(sh("2026-10-16", "13:00"), cal, morning))).toBe("2026-10-19 08:00");
  });

  it("a ladder whose send time is outside the hours lands at their start", () => {
    const afternoon = { start: "13:00", end: "17:00" };
    const schedule = ladderSchedule("2026-10-20", { ...DEFAULT_LADDER, before: [1], overdueMax: 0, headAfter: null, officeAfter: null }, cal, afternoon);
    expect(schedule.liaison.map((r) => `${r.rung}@${stamp(r.at)}`)).toEqual(["before-1@2026-10-19 13:00", "due@2026-10-20 13:00"]);
  });
});
