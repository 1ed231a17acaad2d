import type { Db } from "@duban/db/client";
import type { Calendar } from "@duban/domain/calendar";
import { DEFAULT_WORKING_HOURS, nextWorkingMorning, type WorkingHours } from "@duban/domain/working-hours";
import { reminderOfContact } from "./acknowledge-reminder.ts";
import { writeAudit } from "../audit/audit.ts";
import { loadCalendar } from "../calendar/calendar-source.ts";

/**
 * 稍后提醒: silences the unit's liaison reminders for the round until the next working morning
 * (holidays and 调休 respected); the ladder then sends one "snooze" reminder. Tapping it is
 * also 签收. When the unit has already submitted there is nothing to remind of: `until` is
 * null and nothing is snoozed.
 */
export async function snoozeReminder(
  db: Db,
  input: { reminderId: number; contactId: number; now: Date; calendar?: Calendar; workingHours?: WorkingHours },
): Promise<{ until: Date | null }> {
  const reminder = await reminderOfContact(db, input);
  const submission =
    reminder.roundId === null ? null : await db.submission.findUnique({ where: { roundId_unitId: { roundId: reminder.roundId, unitId: reminder.unitId } } });
  if (submission?.submittedAt) {
    if (!submission.acknowledgedAt) await db.submission.update({ where: { id: submission.id }, data: { acknowledgedAt: input.now } });
    return { until: null };
  }
  const calendar = input.calendar ?? (await loadCalendar(db));
  const until = nextWorkingMorning(input.now, calendar, input.workingHours ?? DEFAULT_WORKING_HOURS);
  if (submission) {
    await db.submission.update({
      where: { id: submission.id },
      data: { snoozedUntil: until, acknowledgedAt: submission.acknowledgedAt ?? input.now },
    });
  }
  await writeAudit(db, {
    actorType: "contact",
    actorId: input.contactId,
    action: "reminder.snooze",
    entity: "Reminder",
    entityId: reminder.id,
    detail: { roundId: reminder.roundId, until },
    at: input.now,
  });
  return { until };
}
