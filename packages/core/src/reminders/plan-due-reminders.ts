import type { Db } from "@duban/db/client";
import { queueRemindersOnce } from "@duban/db/repositories/reminder-outbox";
import { shanghaiDate, type Calendar } from "@duban/domain/calendar";
import { planReminders, type PlannedReminder, type WorkingHours } from "@duban/domain/reminder-ladder";
import { periodLabel } from "@duban/domain/period";
import { reminderText } from "@duban/domain/reminder-text";
import { ONCE_PERIOD } from "../rounds/ensure-rounds.ts";
import { loadLadderContext, type LadderContext } from "./ladder-state.ts";

export interface ReminderView {
  key: string;
  unit: string;
  contact: number | null;
  task: string;
  rung: string;
  at: string;
  text: string;
  roundId: number;
  unitId: number;
  kind: PlannedReminder["kind"];
}

/** Renders a planned reminder for its recipient (text in the contact's language). */
export function describePlanned(context: LadderContext, planned: PlannedReminder, calendar: Calendar, now?: Date): ReminderView {
  return describer(context, calendar, now)(planned);
}

/**
 * `describePlanned` for many reminders of one pass: the day arithmetic is kept per (due date,
 * day sent), which 10,000 reminders of a catch-up share a handful of (the calendar counts day by day).
 */
function describer(context: LadderContext, calendar: Calendar, now?: Date): (planned: PlannedReminder) => ReminderView {
  const days = new Map<string, { overdue: number; left: number }>();
  return (planned) => {
    const round = context.rounds.get(planned.roundId)!;
    const unitName = context.units.get(planned.unitId) ?? "";
    const contact = planned.contactId === null ? null : context.contacts.get(planned.contactId);
    const lang = contact?.language === "en" ? "en" : "zh";
    // Days are counted from when the message goes out: the rung's moment, or now when it is sent
    // late (a rung collapsed after downtime still tells the truth about what is left).
    const sentOn = shanghaiDate(now && now > planned.at ? now : planned.at);
    const pair = `${planned.dueDate}|${sentOn}`;
    let count = days.get(pair);
    if (!count) {
      count = { overdue: Math.max(0, calendar.workdaysBetween(planned.dueDate, sentOn)), left: Math.max(0, calendar.workdaysBetween(sentOn, planned.dueDate)) };
      days.set(pair, count);
    }
    return {
      key: planned.key,
      unit: unitName,
      contact: planned.contactId,
      task: round.taskNumber,
      rung: planned.rung,
      at: planned.at.toISOString(),
      roundId: planned.roundId,
      unitId: planned.unitId,
      kind: planned.kind,
      text: reminderText({
        lang,
        kind: planned.kind,
        rung: planned.rung,
        unitName,
        taskNumber: round.taskNumber,
        taskTitle: round.taskTitle,
        planTitle: round.planTitle,
        deadlineTitle: round.deadlineTitle,
        periodLabel: round.periodKey === ONCE_PERIOD ? null : periodLabel(round.periodKey, lang),
        dueDate: planned.dueDate,
        overdueWorkdays: count.overdue,
        workdaysLeft: count.left,
      }),
    };
  };
}

/** What the ladder says is due now, rendered, without writing (CLI `reminders preview`). */
export async function previewDueReminders(db: Db, now: Date, calendar: Calendar, hours?: WorkingHours): Promise<ReminderView[]> {
  const context = await loadLadderContext(db, now, calendar, hours);
  return planReminders(context.state, now).map(describer(context, calendar, now));
}

/**
 * Writes the reminders that are due now into the outbox under their unique keys. A key that
 * another instance wrote first is skipped: planning twice never sends twice.
 */
export async function planDueReminders(db: Db, now: Date, calendar: Calendar, hours?: WorkingHours): Promise<ReminderView[]> {
  const context = await loadLadderContext(db, now, calendar, hours);
  const describe = describer(context, calendar, now);
  const views = planReminders(context.state, now).map((planned) => ({ planned, view: describe(planned) }));
  const queued = await queueRemindersOnce(
    db,
    views.map(({ planned, view }) => ({
      key: planned.key,
      kind: planned.kind,
      roundId: planned.roundId,
      unitId: planned.unitId,
      contactId: planned.contactId,
      rung: planned.rung,
      dueAt: planned.at,
      text: view.text,
      now,
    })),
  );
  return views.filter(({ view }) => queued.has(view.key)).map(({ view }) => view);
}
