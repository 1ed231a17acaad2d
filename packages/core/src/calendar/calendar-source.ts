import type { Db } from "@duban/db/client";
import { createCalendar, type Calendar } from "@duban/domain/calendar";

/** The office calendar: chinese-days plus the office's own holiday/workday declarations. */
export async function loadCalendar(db: Pick<Db, "calendarOverride">): Promise<Calendar> {
  const overrides = await db.calendarOverride.findMany({ orderBy: { id: "asc" } });
  return createCalendar(overrides.map((o) => ({ date: o.date, kind: o.kind as "holiday" | "workday", name: o.name })));
}
