import { z } from "zod";
import type { Db } from "@duban/db/client";
import { isUniqueViolation } from "@duban/db/errors";
import { reportStatusSchema, type ReportStatus } from "@duban/domain/parse-reply";
import type { WorkingHours } from "@duban/domain/working-hours";
import { reminderOfContact, ReminderAccessError } from "../reminders/acknowledge-reminder.ts";
import type { Channel, OutgoingMessage, ReminderKind } from "./messenger.ts";
import { amendStatusUpdate, recordStatus, RecordStatusError, type AttachmentInput } from "../submissions/record-status.ts";
import { ExtensionRequestError, requestExtension } from "../submissions/request-extension.ts";
import { snoozeReminder } from "../reminders/snooze-reminder.ts";

/**
 * The liaison's side of every channel that is not Telegram, written once: a tap on a card's
 * button, a text. Adapters verify the platform's signature, find the contact by its channel
 * account, and call these; they hold no rule. The use cases are the ones the Telegram bot's
 * handlers call (recordStatus, amendStatusUpdate, snoozeReminder, requestExtension).
 */

/** What a card button does. Its key needs no signature: the platform authenticates who tapped. */
export type CardAction =
  | { type: "status"; reminderId: number; status: ReportStatus }
  | { type: "snooze"; reminderId: number }
  | { type: "extension"; reminderId: number }
  /** A digest's item: sends that reminder's own card, with its status buttons (Telegram's pick-round). */
  | { type: "open"; reminderId: number }
  /** A digest's "其余任务" when its items are more than the card's buttons: the unit's task list. */
  | { type: "tasks" };

const STATUS_CODES: Record<ReportStatus, string> = { not_started: "n", in_progress: "p", done: "d", blocked: "b" };
const STATUS_OF = new Map(Object.entries(STATUS_CODES).map(([status, code]) => [code, status as ReportStatus]));

const PREFIX = { snooze: "sz", extension: "ex", open: "op" } as const;
const TYPE_OF = { sz: "snooze", ex: "extension", op: "open" } as const;

/** "st-12-p", "sz-12", "ex-12", "op-12", "tk": short, and only the characters every platform allows in a button key. */
export function cardActionKey(action: CardAction): string {
  if (action.type === "status") return `st-${action.reminderId}-${STATUS_CODES[action.status]}`;
  if (action.type === "tasks") return "tk";
  return `${PREFIX[action.type]}-${action.reminderId}`;
}

const idSchema = z.coerce.number().int().positive().max(2 ** 31 - 1);

export function parseCardActionKey(key: string): CardAction | null {
  if (key === "tk") return { type: "tasks" };
  const match = /^(st|sz|ex|op)-(\d{1,10})(?:-([npdb]))?$/.exec(key);
  if (!match) return null;
  const reminderId = idSchema.safeParse(match[2]);
  if (!reminderId.success) return null;
  if (match[1] === "st") {
    const status = match[3] ? STATUS_OF.get(match[3]) : undefined;
    return status ? { type: "status", reminderId: reminderId.data, status: reportStatusSchema.parse(status) } : null;
  }
  if (match[3]) return null;
  return { type: TYPE_OF[match[1] as keyof typeof TYPE_OF], reminderId: reminderId.data };
}

/** The active contact bound to this channel account, or null (a stranger, or revoked). */
export async function contactOnChannel(db: Db, channel: Channel, externalId: string) {
  const row = await db.contactChannel.findUnique({ where: { channel_externalId: { channel, externalId } }, include: { contact: true } });
  return row && row.contact.status !== "revoked" ? row.contact : null;
}

/**
 * Stores an inbound event's id before it is handled: false when it was seen already (the
 * platform retried a slow answer, or replayed events after a reconnect), so it is handled once.
 */
export async function firstDelivery(db: Db, channel: Channel, eventId: string, now: Date): Promise<boolean> {
  try {
    await db.channelEvent.create({ data: { channel, eventId, at: now } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** A question the channel asked back, waiting for the liaison's next text (per channel account). */
const pendingStepSchema = z.discriminatedUnion("step", [
  z.object({ step: z.literal("progress"), statusUpdateId: z.number().int().positive() }),
  z.object({ step: z.literal("extension-reason"), roundId: z.number().int().positive() }),
]);
type PendingStep = z.infer<typeof pendingStepSchema>;

// Kept in BotSession beside grammY's sessions; grammY's keys are chat ids, these are prefixed.
export const stepKey = (channel: Channel, externalId: string) => `channel:${channel}:${externalId}`;

async function setStep(db: Db, channel: Channel, externalId: string, step: PendingStep | null): Promise<void> {
  const key = stepKey(channel, externalId);
  if (step === null) await db.botSession.deleteMany({ where: { key } });
  else await db.botSession.upsert({ where: { key }, create: { key, value: JSON.stringify(step) }, update: { value: JSON.stringify(step) } });
}

async function getStep(db: Db, channel: Channel, externalId: string): Promise<PendingStep | null> {
  const row = await db.botSession.findUnique({ where: { key: stepKey(channel, externalId) } });
  if (!row) return null;
  const parsed = pendingStepSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : null;
}

export type ActionOutcome =
  | { kind: "recorded"; status: ReportStatus; submitted: boolean; askProgress: boolean; statusUpdateId?: number }
  | { kind: "progress-recorded"; progress: number }
  | { kind: "snoozed"; until: Date | null }
  | { kind: "ask-extension-reason" }
  | { kind: "extension-requested"; dueAt: Date }
  | { kind: "refused"; reason: "not-yours" | "already-submitted" | "already-pending" | "contact-inactive" | "invalid-reason" }
  /** A digest's item opened: the adapter sends this reminder's card (status buttons) to the liaison. */
  | { kind: "opened"; message: OutgoingMessage }
  | { kind: "tasks" }
  | { kind: "help" };

interface Who {
  channel: Channel;
  externalId: string;
  contactId: number;
  now: Date;
  workingHours?: WorkingHours;
}

/**
 * A tap on a reminder card's button. `carried`: files the liaison sent before, still waiting for
 * their task, recorded with a tapped status (with their note).
 */
export async function applyCardAction(db: Db, who: Who, action: CardAction, carried: { attachments: AttachmentInput[]; note: string | null } | null = null): Promise<ActionOutcome> {
  if (action.type === "tasks") return { kind: "tasks" };
  try {
    if (action.type === "open") return await openReminder(db, who, action.reminderId);
    if (action.type === "snooze") {
      const { until } = await snoozeReminder(db, { reminderId: action.reminderId, contactId: who.contactId, now: who.now, ...(who.workingHours ? { workingHours: who.workingHours } : {}) });
      await setStep(db, who.channel, who.externalId, null);
      return { kind: "snoozed", until };
    }
    const reminder = await reminderOfContact(db, { reminderId: action.reminderId, contactId: who.contactId });
    if (!reminder.round) return { kind: "refused", reason: "not-yours" };
    if (action.type === "extension") {
      const submission = await db.submission.findUnique({ where: { roundId_unitId: { roundId: reminder.round.id, unitId: reminder.unitId } }, select: { submittedAt: true } });
      if (!submission) return { kind: "refused", reason: "not-yours" };
      if (submission.submittedAt) return { kind: "refused", reason: "already-submitted" };
      await setStep(db, who.channel, who.externalId, { step: "extension-reason", roundId: reminder.round.id });
      return { kind: "ask-extension-reason" };
    }
    const recorded = await recordStatus(db, {
      contactId: who.contactId,
      taskId: reminder.round.deadline.taskId,
      roundId: reminder.round.id,
      reminderId: reminder.id,
      status: action.status,
      ...(carried ? { attachments: carried.attachments, note: carried.note } : {}),
      source: `${who.channel}-button`,
      now: who.now,
      ...(who.workingHours ? { workingHours: who.workingHours } : {}),
    });
    // As in Telegram: after 推进中 the next number the liaison sends is the percentage.
    const askProgress = action.status === "in_progress";
    await setStep(db, who.channel, who.externalId, askProgress ? { step: "progress", statusUpdateId: recorded.statusUpdateId } : null);
    return { kind: "recorded", status: action.status, submitted: recorded.submitted, askProgress, statusUpdateId: recorded.statusUpdateId };
  } catch (error) {
    if (error instanceof ReminderAccessError) return { kind: "refused", reason: "not-yours" };
    if (error instanceof RecordStatusError) return { kind: "refused", reason: error.code === "contact-inactive" ? "contact-inactive" : "not-yours" };
    throw error;
  }
}

/**
 * A digest's item: the reminder as its own card, addressed to the account that tapped, provided
 * it is the contact's unit's and the round is still owed (a reported one has nothing to open).
 */
async function openReminder(db: Db, who: Who, reminderId: number): Promise<ActionOutcome> {
  const reminder = await reminderOfContact(db, { reminderId, contactId: who.contactId });
  if (!reminder.round) return { kind: "refused", reason: "not-yours" };
  const [submission, contact] = await Promise.all([
    db.submission.findUnique({ where: { roundId_unitId: { roundId: reminder.round.id, unitId: reminder.unitId } }, select: { submittedAt: true } }),
    db.contact.findUnique({ where: { id: who.contactId }, select: { language: true } }),
  ]);
  if (!submission) return { kind: "refused", reason: "not-yours" };
  if (submission.submittedAt) return { kind: "refused", reason: "already-submitted" };
  return {
    kind: "opened",
    message: {
      reminderId: reminder.id,
      key: reminder.key,
      kind: reminder.kind as ReminderKind,
      channel: who.channel,
      chatId: who.externalId,
      language: contact?.language ?? "zh",
      text: reminder.text,
      roundId: reminder.round.id,
      taskId: reminder.round.deadline.taskId,
      unitId: reminder.unitId,
      contactId: who.contactId,
    },
  };
}

/** A text from the liaison: the answer to the question asked back, else help. */
export async function applyText(db: Db, who: Who, text: string): Promise<ActionOutcome> {
  const step = await getStep(db, who.channel, who.externalId);
  if (step?.step === "progress") {
    const match = /^\s*(\d{1,3})\s*[%％]?\s*$/.exec(text);
    const progress = match ? Number(match[1]) : NaN;
    if (!(progress >= 0 && progress <= 100)) return { kind: "help" };
    try {
      await amendStatusUpdate(db, { statusUpdateId: step.statusUpdateId, contactId: who.contactId, progress, now: who.now, ...(who.workingHours ? { workingHours: who.workingHours } : {}) });
    } catch (error) {
      if (!(error instanceof RecordStatusError)) throw error;
      await setStep(db, who.channel, who.externalId, null);
      return { kind: "refused", reason: error.code === "contact-inactive" ? "contact-inactive" : "not-yours" };
    }
    await setStep(db, who.channel, who.externalId, null);
    return { kind: "progress-recorded", progress };
  }
  if (step?.step === "extension-reason") {
    try {
      const { dueAt } = await requestExtension(db, { contactId: who.contactId, roundId: step.roundId, reason: text, now: who.now });
      await setStep(db, who.channel, who.externalId, null);
      return { kind: "extension-requested", dueAt };
    } catch (error) {
      if (!(error instanceof ExtensionRequestError)) throw error;
      // An unclear reason keeps the question open; anything else ends it.
      if (error.code !== "invalid-reason") await setStep(db, who.channel, who.externalId, null);
      return { kind: "refused", reason: error.code === "not-owed" ? "not-yours" : error.code };
    }
  }
  return { kind: "help" };
}
