import type { Db } from "@duban/db/client";
import type { Calendar } from "@duban/domain/calendar";
import { DEFAULT_WORKING_HOURS, nextWorkingMorning, type WorkingHours } from "@duban/domain/working-hours";
import { reminderOfContact } from "./acknowledge-reminder.ts";
import { writeAudit } from "./audit.ts";
import { loadCalendar } from "./calendar-source.ts";

/**
 * 稍后提醒: silences the unit's liaison reminders for the round until the next working morning
 * (holidays and 调休 respected); the ladder then sends one "snooze" reminder. Tapping it is
 * also 签收.
 */
export async function snoozeReminder(
  db: Db,
  input: { reminderId: number; contactId: number; now: Date; calendar?: Calendar; workingHours?: WorkingHours },
): Promise<{ until: Date }> {
  const reminder = await reminderOfContact(db, input);
  const calendar = input.calendar ?? (await loadCalendar(db));
  const until = nextWorkingMorning(input.now, calendar, input.workingHours ?? DEFAULT_WORKING_HOURS);
  if (reminder.roundId !== null) {
    const submission = await db.submission.findUnique({ where: { roundId_unitId: { roundId: reminder.roundId, unitId: reminder.unitId } } });
    if (submission) {
      await db.submission.update({
        where: { id: submission.id },
        data: { snoozedUntil: until, acknowledgedAt: submission.acknowledgedAt ?? input.now },
      });
    }
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
