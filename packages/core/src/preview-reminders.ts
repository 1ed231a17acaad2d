import type { Db } from "@duban/db/client";
import { upcomingReminders, type WorkingHours } from "@duban/domain/reminder-ladder";
import { loadCalendar } from "./calendar-source.ts";
import { loadLadderContext } from "./ladder-state.ts";
import { describePlanned, type ReminderView } from "./plan-due-reminders.ts";

/** What the ladder will send between two instants (the console's "next 7 days" preview). */
export async function previewReminders(db: Db, from: Date, to: Date, hours?: WorkingHours): Promise<ReminderView[]> {
  const calendar = await loadCalendar(db);
  // Rounds that open inside the window are not created yet; preview what exists.
  const context = await loadLadderContext(db, to, calendar, hours);
  return upcomingReminders(context.state, from, to).map((p) => describePlanned(context, p, calendar));
}
