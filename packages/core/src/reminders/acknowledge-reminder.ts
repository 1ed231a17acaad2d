import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";

export class ReminderAccessError extends Error {
  constructor(
    readonly code: "not-found" | "not-yours",
    message: string,
  ) {
    super(message);
  }
}

/**
 * The reminder, provided it was sent to this contact or to their unit (a unit head may act on
 * a liaison's reminder and the other way round: both answer for the unit).
 */
export async function reminderOfContact(db: Db, input: { reminderId: number; contactId: number }) {
  const [reminder, contact] = await Promise.all([
    db.reminder.findUnique({ where: { id: input.reminderId }, include: { round: { select: { id: true, deadline: { select: { taskId: true } } } } } }),
    db.contact.findUnique({ where: { id: input.contactId }, select: { unitId: true, status: true } }),
  ]);
  if (!reminder) throw new ReminderAccessError("not-found", "提醒不存在");
  if (!contact || contact.status === "revoked" || reminder.unitId !== contact.unitId) throw new ReminderAccessError("not-yours", "该提醒不属于本单位");
  return reminder;
}

/**
 * 签收: the first time a liaison opens (taps, replies to) a reminder, the unit's submission for
 * that round is marked acknowledged, so the office sees who has not even looked. Later calls
 * change nothing. Returns whether this call was the first.
 */
export async function acknowledgeReminder(db: Db, input: { reminderId: number; contactId: number; now: Date }): Promise<{ acknowledged: boolean }> {
  const reminder = await reminderOfContact(db, input);
  return acknowledgeRound(db, { reminderId: reminder.id, roundId: reminder.roundId, unitId: reminder.unitId, contactId: input.contactId, now: input.now });
}

/**
 * 签收 of a reminder already known to be the contact's unit's (the caller read it, e.g. with
 * the message replied to): one conditional update, and the audit the first time.
 */
export async function acknowledgeRound(db: Db, reminder: { reminderId: number; roundId: number | null; unitId: number; contactId: number; now: Date }): Promise<{ acknowledged: boolean }> {
  if (reminder.roundId === null) return { acknowledged: false };
  const { count } = await db.submission.updateMany({
    where: { roundId: reminder.roundId, unitId: reminder.unitId, acknowledgedAt: null },
    data: { acknowledgedAt: reminder.now },
  });
  if (count === 1) {
    await writeAudit(db, {
      actorType: "contact",
      actorId: reminder.contactId,
      action: "reminder.acknowledge",
      entity: "Reminder",
      entityId: reminder.reminderId,
      detail: { roundId: reminder.roundId, unitId: reminder.unitId },
      at: reminder.now,
    });
  }
  return { acknowledged: count === 1 };
}
