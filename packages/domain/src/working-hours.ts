import { z } from "zod";
import { shanghaiDate, shanghaiInstant, shanghaiTime, timeOfDaySchema, type Calendar } from "./calendar.ts";

/** Office hours on workdays, Shanghai wall clock, start inclusive and end exclusive: [start, end). */
export interface WorkingHours {
  start: string;
  end: string;
}

export const DEFAULT_WORKING_HOURS: Readonly<WorkingHours> = { start: "09:00", end: "17:30" };

export const workingHoursSchema = z
  .object({ start: timeOfDaySchema, end: timeOfDaySchema })
  .refine((h) => h.start < h.end, { message: "working hours must start before they end", path: ["end"] });

/** "09:00-17:30" → { start: "09:00", end: "17:30" }, under the same rules as workingHoursSchema. */
export const workingHoursTextSchema = z
  .string()
  .trim()
  .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, "expected HH:MM-HH:MM, e.g. 09:00-17:30")
  .transform((text) => {
    const [start = "", end = ""] = text.split("-");
    return { start, end };
  })
  .pipe(workingHoursSchema);

/**
 * The WORKING_HOURS setting of the apps: "HH:MM-HH:MM" (Shanghai time); unset or empty means
 * DEFAULT_WORKING_HOURS. One schema, so the server, the bot and the CLI read it alike.
 */
export const workingHoursSettingSchema = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  workingHoursTextSchema.default(() => ({ ...DEFAULT_WORKING_HOURS })),
);

/** On a workday and start <= time < end (17:29 is inside 09:00–17:30, 17:30 is not). */
export function isWithinWorkingHours(now: Date, cal: Calendar, hours: WorkingHours): boolean {
  if (!cal.isWorkday(shanghaiDate(now))) return false;
  // Zero-padded "HH:MM" strings compare like times; seconds are truncated, so 17:29:59 is inside.
  const time = shanghaiTime(now);
  return hours.start <= time && time < hours.end;
}

/**
 * The first start of working hours strictly after `now`: today's start when `now` is earlier on a
 * workday, otherwise the next workday's start. This is where a snooze (稍后提醒) lands.
 */
export function nextWorkingMorning(now: Date, cal: Calendar, hours: WorkingHours): Date {
  const today = shanghaiDate(now);
  if (cal.isWorkday(today)) {
    const start = shanghaiInstant(today, hours.start);
    if (start.getTime() > now.getTime()) return start;
  }
  return shanghaiInstant(cal.nextWorkday(today), hours.start);
}

/** `at` itself when within working hours, otherwise the next working morning. */
export function workingTimeOnOrAfter(at: Date, cal: Calendar, hours: WorkingHours): Date {
  return isWithinWorkingHours(at, cal, hours) ? at : nextWorkingMorning(at, cal, hours);
}
