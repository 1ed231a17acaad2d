import { z } from "zod";
// The library's own date functions read the host's local time zone (a server west of UTC sees
// 2026-10-12 as a Sunday), so only its published holiday data is used, with our own date arithmetic.
import holidayData from "chinese-days/dist/chinese-days.json" with { type: "json" };

/**
 * Time in Duban: a *date* is an ISO "YYYY-MM-DD" string naming an Asia/Shanghai calendar day;
 * an *instant* is a JS Date. Date arithmetic works on the calendar day itself (UTC midnight
 * internally), so the host's time zone never matters.
 */
export const TIME_ZONE = "Asia/Shanghai";

/** China has used a fixed UTC+08:00 without daylight saving since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

// Years 1000–9999 only: Date.UTC maps two-digit years to 19xx.
const ISO_DATE = /^([1-9]\d{3})-(\d{2})-(\d{2})$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

function parseIsoDate(date: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== null;
}

export function isTimeOfDay(value: string): boolean {
  return TIME_OF_DAY.test(value);
}

/** A real calendar date written "YYYY-MM-DD". */
export const isoDateSchema = z.string().refine(isIsoDate, { message: "expected a date YYYY-MM-DD" });
/** A wall-clock time "HH:MM", 00:00–23:59. */
export const timeOfDaySchema = z.string().refine(isTimeOfDay, { message: "expected a time HH:MM" });

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? Number.NaN);
}

function dateToUtcMs(date: string): number {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`invalid date "${date}", expected YYYY-MM-DD`);
  return Date.UTC(parsed.year, parsed.month - 1, parsed.day);
}

function utcMsToDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return utcMsToDate(dateToUtcMs(date) + n * DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(dateToUtcMs(date)).getUTCDay();
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateToUtcMs(to) - dateToUtcMs(from)) / DAY_MS);
}

export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** "HH:MM" on the Shanghai wall clock (seconds truncated). */
export function shanghaiTime(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

export function shanghaiInstant(date: string, time: string): Date {
  const m = TIME_OF_DAY.exec(time);
  if (!m) throw new RangeError(`invalid time "${time}", expected HH:MM`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return new Date(dateToUtcMs(date) + minutes * 60_000 - SHANGHAI_OFFSET_MS);
}

export const calendarOverrideSchema = z.object({
  date: isoDateSchema,
  kind: z.enum(["holiday", "workday"]),
  name: z.string().trim().min(1).nullish(),
});

export interface CalendarOverride {
  date: string;
  kind: "holiday" | "workday";
  name?: string | null;
}

export interface Calendar {
  /** A working day: a weekday that is not a holiday, or a make-up workday (调休上班). */
  isWorkday(date: string): boolean;
  /** A statutory or declared holiday. Ordinary weekends are rest days but not holidays. */
  isHoliday(date: string): boolean;
  /** Name of the holiday a date belongs to: a holiday day, or a make-up workday for that holiday. */
  holidayName(date: string, lang?: "zh" | "en"): string | null;
  /** n>0: the n-th workday after; n<0: the |n|-th workday before; n=0: the date if a workday, else the next one. */
  addWorkdays(date: string, n: number): string;
  /** The first workday strictly after `date`. */
  nextWorkday(date: string): string;
  workdayOnOrAfter(date: string): string;
  workdayOnOrBefore(date: string): string;
  /**
   * Workdays in (from, to] when to >= from; minus the workdays in (to, from] when to < from.
   * So for a workday `to` after `from`, addWorkdays(from, workdaysBetween(from, to)) === to.
   */
  workdaysBetween(from: string, to: string): number;
  /**
   * Whether the holiday library or an override knows this year. For other years every weekday is
   * a workday and every weekend a rest day: callers should warn that holidays are not yet loaded.
   */
  covers(year: number): boolean;
}

type HolidayTable = Readonly<Record<string, string>>;
const libraryHolidays: HolidayTable = holidayData.holidays;
const libraryWorkdays: HolidayTable = holidayData.workdays;

/** Years the bundled chinese-days data describes (published State Council arrangements). */
export const HOLIDAY_DATA_YEARS: readonly number[] = [
  ...new Set([...Object.keys(libraryHolidays), ...Object.keys(libraryWorkdays)].map((d) => Number(d.slice(0, 4)))),
].sort((a, b) => a - b);
const libraryYears = new Set(HOLIDAY_DATA_YEARS);

/** Library entries read "National Day,国庆节,3": English name, Chinese name, length in days. */
function libraryName(entry: string, lang: "zh" | "en"): string | null {
  const [en, zh] = entry.split(",");
  return (lang === "zh" ? zh : en)?.trim() || null;
}

/** Overrides (the office's own declarations) win over the library; a later override for the same date wins. */
export function createCalendar(overrides: readonly CalendarOverride[] = []): Calendar {
  const byDate = new Map<string, CalendarOverride>();
  const overrideYears = new Set<number>();
  for (const raw of overrides) {
    const o = calendarOverrideSchema.parse(raw);
    byDate.set(o.date, o);
    overrideYears.add(Number(o.date.slice(0, 4)));
  }
  const workdayCache = new Map<string, boolean>();

  function computeIsWorkday(date: string): boolean {
    const o = byDate.get(date);
    if (o) return o.kind === "workday";
    if (libraryWorkdays[date] !== undefined) return true;
    if (libraryHolidays[date] !== undefined) return false;
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }

  function isWorkday(date: string): boolean {
    let cached = workdayCache.get(date);
    if (cached === undefined) {
      cached = computeIsWorkday(date);
      workdayCache.set(date, cached);
    }
    return cached;
  }

  function isHoliday(date: string): boolean {
    dateToUtcMs(date);
    const o = byDate.get(date);
    if (o) return o.kind === "holiday";
    return libraryHolidays[date] !== undefined;
  }

  function holidayName(date: string, lang: "zh" | "en" = "zh"): string | null {
    dateToUtcMs(date);
    const o = byDate.get(date);
    if (o) return o.name ?? null;
    const entry = libraryHolidays[date] ?? libraryWorkdays[date];
    return entry === undefined ? null : libraryName(entry, lang);
  }

  function step(date: string, direction: 1 | -1): string {
    let ms = dateToUtcMs(date);
    let d: string;
    do {
      ms += direction * DAY_MS;
      d = utcMsToDate(ms);
    } while (!isWorkday(d));
    return d;
  }

  function workdayOnOrAfter(date: string): string {
    return isWorkday(date) ? date : step(date, 1);
  }

  function workdayOnOrBefore(date: string): string {
    return isWorkday(date) ? date : step(date, -1);
  }

  function addWorkdays(date: string, n: number): string {
    if (!Number.isInteger(n)) throw new RangeError(`workday count must be an integer, got ${n}`);
    if (n === 0) return workdayOnOrAfter(date);
    const direction = n > 0 ? 1 : -1;
    let d = date;
    for (let left = Math.abs(n); left > 0; left--) d = step(d, direction);
    return d;
  }

  function countIn(afterExclusive: string, toInclusive: string): number {
    let count = 0;
    for (let d = addDays(afterExclusive, 1); d <= toInclusive; d = addDays(d, 1)) {
      if (isWorkday(d)) count++;
    }
    return count;
  }

  function workdaysBetween(from: string, to: string): number {
    dateToUtcMs(from);
    dateToUtcMs(to);
    return to >= from ? countIn(from, to) : -countIn(to, from);
  }

  return {
    isWorkday,
    isHoliday,
    holidayName,
    addWorkdays,
    nextWorkday: (date) => step(date, 1),
    workdayOnOrAfter,
    workdayOnOrBefore,
    workdaysBetween,
    covers: (year) => libraryYears.has(year) || overrideYears.has(year),
  };
}
