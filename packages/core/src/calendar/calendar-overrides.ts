import type { Db } from "@duban/db/client";
import { addDays, calendarOverrideSchema, createCalendar, dayOfWeek, HOLIDAY_DATA_YEARS } from "@duban/domain/calendar";
import { writeAudit } from "../audit/audit.ts";
import { loadCalendar } from "./calendar-source.ts";
import { rescheduleOpenRounds } from "../rounds/reschedule-open-rounds.ts";

export interface CalendarDay {
  date: string;
  /** holiday: a rest day by declaration; workday: a weekend made a workday (调休上班). */
  kind: "holiday" | "workday";
  name: string | null;
  source: "library" | "override";
  overrideId: number | null;
}

/**
 * The year's special days: declared holidays and make-up workdays, whether they come from the
 * bundled data or from the office. Ordinary weekends are not listed.
 */
export async function listCalendarYear(db: Db, year: number) {
  const rows = await db.calendarOverride.findMany({ where: { date: { gte: `${year}-01-01`, lte: `${year}-12-31` } }, orderBy: { date: "asc" } });
  const overrides = new Map(rows.map((r) => [r.date, r]));
  const library = createCalendar();
  const calendar = await loadCalendar(db);
  const days: CalendarDay[] = [];
  for (let date = `${year}-01-01`; date <= `${year}-12-31`; date = addDays(date, 1)) {
    const override = overrides.get(date);
    if (override) {
      days.push({ date, kind: override.kind as CalendarDay["kind"], name: override.name, source: "override", overrideId: override.id });
      continue;
    }
    const weekend = dayOfWeek(date) === 0 || dayOfWeek(date) === 6;
    if (library.isHoliday(date)) days.push({ date, kind: "holiday", name: library.holidayName(date), source: "library", overrideId: null });
    else if (weekend && library.isWorkday(date)) days.push({ date, kind: "workday", name: library.holidayName(date), source: "library", overrideId: null });
  }
  return {
    year,
    covered: calendar.covers(year),
    libraryCovers: HOLIDAY_DATA_YEARS.includes(year),
    days,
  };
}

export class CalendarError extends Error {
  constructor(
    readonly code: "not-found",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Declares a date a holiday or a make-up workday (replacing an earlier declaration for that date).
 * Like every calendar change, it moves the due dates of rounds not yet past due that the new
 * calendar gives another date (`rescheduleOpenRounds`), in the same transaction.
 */
export async function setCalendarOverride(
  db: Db,
  input: { date: string; kind: "holiday" | "workday"; name?: string | null; now: Date; actor: number },
): Promise<{ id: number }> {
  const parsed = calendarOverrideSchema.parse({ date: input.date, kind: input.kind, name: input.name || null });
  return db.$transaction(async (tx) => {
    const before = await tx.calendarOverride.findUnique({ where: { date: parsed.date } });
    const row = await tx.calendarOverride.upsert({
      where: { date: parsed.date },
      create: { date: parsed.date, kind: parsed.kind, name: parsed.name ?? null, createdAt: input.now },
      update: { kind: parsed.kind, name: parsed.name ?? null },
    });
    const movedRounds = await rescheduleOpenRounds(tx, { calendar: await loadCalendar(tx), now: input.now });
    await writeAudit(tx, {
      actorType: "user",
      actorId: input.actor,
      action: before ? "calendar.update" : "calendar.create",
      entity: "CalendarOverride",
      entityId: row.id,
      detail: { date: row.date, kind: row.kind, name: row.name, ...(before ? { before: { kind: before.kind, name: before.name } } : {}), movedRounds },
      at: input.now,
    });
    return { id: row.id };
  });
}

/** Bulk entry of the State Council's notice: many dates at once, one audit entry. */
export async function setCalendarOverrides(
  db: Db,
  input: { days: { date: string; kind: "holiday" | "workday"; name?: string | null }[]; now: Date; actor: number },
): Promise<{ count: number }> {
  const days = input.days.map((d) => calendarOverrideSchema.parse({ date: d.date, kind: d.kind, name: d.name || null }));
  await db.$transaction(async (tx) => {
    for (const d of days) {
      await tx.calendarOverride.upsert({
        where: { date: d.date },
        create: { date: d.date, kind: d.kind, name: d.name ?? null, createdAt: input.now },
        update: { kind: d.kind, name: d.name ?? null },
      });
    }
    const movedRounds = await rescheduleOpenRounds(tx, { calendar: await loadCalendar(tx), now: input.now });
    await writeAudit(tx, { actorType: "user", actorId: input.actor, action: "calendar.bulk-set", entity: "CalendarOverride", detail: { days, movedRounds }, at: input.now });
  });
  return { count: days.length };
}

export async function removeCalendarOverride(db: Db, input: { id: number; now: Date; actor: number }): Promise<void> {
  const row = await db.calendarOverride.findUnique({ where: { id: input.id } });
  if (!row) throw new CalendarError("not-found", "该日期没有自定义设置");
  await db.$transaction(async (tx) => {
    await tx.calendarOverride.delete({ where: { id: row.id } });
    const movedRounds = await rescheduleOpenRounds(tx, { calendar: await loadCalendar(tx), now: input.now });
    await writeAudit(tx, {
      actorType: "user",
      actorId: input.actor,
      action: "calendar.delete",
      entity: "CalendarOverride",
      entityId: row.id,
      detail: { date: row.date, kind: row.kind, name: row.name, movedRounds },
      at: input.now,
    });
  });
}
