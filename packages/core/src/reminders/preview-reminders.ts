import type { Db } from "@duban/db/client";
import { upcomingReminders, type WorkingHours } from "@duban/domain/reminder-ladder";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { loadLadderContext } from "./ladder-state.ts";
import { describePlanned, type ReminderView } from "./plan-due-reminders.ts";

/**
 * What the ladder will send between two instants (the console's "next 7 days" preview), for one
 * plan when `planId` is given, else for every active plan.
 */
export async function previewReminders(db: Db, from: Date, to: Date, hours?: WorkingHours, planId?: number): Promise<ReminderView[]> {
  const calendar = await loadCalendar(db);
  // Rounds that open inside the window are not created yet; preview what exists.
  const context = await loadLadderContext(db, to, calendar, hours);
  const upcoming = upcomingReminders(context.state, from, to);
  const inPlan = planId === undefined ? upcoming : upcoming.filter((p) => context.rounds.get(p.roundId)?.planId === planId);
  return inPlan.map((p) => describePlanned(context, p, calendar));
}
