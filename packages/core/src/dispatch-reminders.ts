import { randomUUID } from "node:crypto";
import type { Db } from "@duban/db/client";
import { claimReminder, dueReminders, loadClaimedReminder, recordDelivery, releaseClaim, staleClaims } from "@duban/db/repositories/reminder-outbox";
import type { Messenger, OutgoingMessage, ReminderKind, SendResult } from "./messenger.ts";

/** A claim older than this is presumed dead (crashed process) and the reminder is retried. */
export const CLAIM_TIMEOUT_MS = 2 * 60 * 1000;
const MAX_ATTEMPTS = 8;
const BATCH = 200;

export interface DispatchOptions {
  /** Where office escalations go; null keeps them in the console's queue only. */
  officeChatId?: string | null;
  instanceId?: string;
  /** Stops after the message being sent (the process is shutting down); the rest stays queued. */
  signal?: AbortSignal;
}

export interface DispatchSummary {
  sent: number;
  retrying: number;
  failed: number;
  unreachable: number;
  cancelled: number;
  /** Claims recovered from a crashed sender: a window where a message may go out twice. */
  reclaimed: number;
  /** Sends whose answer was lost (timeout, connection cut): the other window; each is resent later and audited. */
  answerLost: number;
}

/** Exponential backoff for 5xx/timeouts: 30 s, 1 min, 2 min … capped at 30 min. */
export function backoffMs(attempt: number): number {
  return Math.min(30 * 60 * 1000, 30_000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Returns reminders stuck in "sending" past the claim timeout to "retrying". This is the only
 * window in which a duplicate is possible: Telegram accepted the message, then the process
 * died before recording it. Each recovery is counted and written to the audit log.
 */
export async function reclaimStaleClaims(db: Db, now: Date): Promise<number> {
  let reclaimed = 0;
  for (const claim of await staleClaims(db, new Date(now.getTime() - CLAIM_TIMEOUT_MS))) {
    if (await releaseClaim(db, claim, now, "reclaimed after the sending process stopped (possible duplicate)")) {
      reclaimed++;
      await db.auditEvent.create({
        data: { at: now, actorType: "system", action: "reminder.reclaim", entity: "Reminder", entityId: String(claim.id), detail: JSON.stringify({ key: claim.key, claimedBy: claim.claimedBy }) },
      });
    }
  }
  return reclaimed;
}

/** From this many reminders due to one person at once, they go as one digest message. */
export const DIGEST_MIN = 3;

type Prepared = { id: number; attempts: number; contactId: number | null; message: OutgoingMessage };

/**
 * Sends what is due through the Messenger. Each reminder is claimed with an atomic
 * conditional update, so two dispatchers never send the same one. Ladder reminders due to
 * one person at once are claimed together and, from DIGEST_MIN on, sent as one digest.
 */
export async function dispatchReminders(db: Db, messenger: Messenger, now: Date, options: DispatchOptions = {}): Promise<DispatchSummary> {
  const summary: DispatchSummary = { sent: 0, retrying: 0, failed: 0, unreachable: 0, cancelled: 0, answerLost: 0, reclaimed: await reclaimStaleClaims(db, now) };
  const instance = options.instanceId ?? randomUUID();

  // Groups in order of their oldest member: one per person for ladder reminders, else one per reminder.
  const groups = new Map<string, number[]>();
  for (const r of await dueReminders(db, now, BATCH)) {
    const key = r.kind === "reminder" && r.contactId !== null ? `contact:${r.contactId}` : `reminder:${r.id}`;
    groups.set(key, [...(groups.get(key) ?? []), r.id]);
  }

  for (const ids of groups.values()) {
    if (options.signal?.aborted) break;
    const ready: Prepared[] = [];
    for (const id of ids) {
      const prepared = await claimAndPrepare(db, id, instance, now, options, summary);
      if (prepared) ready.push(prepared);
    }
    if (ready.length === 0) continue;
    if (ready.length >= DIGEST_MIN && messenger.sendDigest) {
      const result = await attempt(() => messenger.sendDigest!(ready.map((p) => p.message)));
      for (const p of ready) await record(db, p, result, now, summary);
      continue;
    }
    for (const p of ready) await record(db, p, await attempt(() => messenger.send(p.message)), now, summary);
  }
  return summary;
}

/** Claims a reminder and settles what needs no message; returns what is to be sent, or null. */
async function claimAndPrepare(db: Db, id: number, instance: string, now: Date, options: DispatchOptions, summary: DispatchSummary): Promise<Prepared | null> {
  if (!(await claimReminder(db, id, instance, now))) return null;
  const reminder = await loadClaimedReminder(db, id);

  // A unit that answered after planning needs no more chasing.
  const submission = reminder.round?.submissions.find((s) => s.unitId === reminder.unitId);
  const chasing = ["reminder", "urge", "escalation-head", "escalation-office"].includes(reminder.kind);
  if (chasing && submission?.submittedAt) {
    await recordDelivery(db, id, { state: "cancelled", error: "unit already submitted" });
    summary.cancelled++;
    return null;
  }

  const chatId = reminder.contactId === null ? (options.officeChatId ?? null) : reminder.contact?.telegramChatId ?? null;
  if (chatId === null) {
    if (reminder.contactId === null) {
      // Office escalation without an office chat: it lives in the console's queue.
      await recordDelivery(db, id, { state: "sent", at: now, chatMessageId: null });
      summary.sent++;
    } else {
      await recordDelivery(db, id, { state: "unreachable", error: "contact has no Telegram chat", contactId: null, at: now });
      summary.unreachable++;
    }
    return null;
  }

  return {
    id,
    attempts: reminder.attempts,
    contactId: reminder.contactId,
    message: {
      reminderId: reminder.id,
      key: reminder.key,
      kind: reminder.kind as ReminderKind,
      chatId,
      language: reminder.contact?.language ?? "zh",
      text: reminder.text,
      roundId: reminder.roundId,
      taskId: reminder.round?.deadline.taskId ?? null,
      unitId: reminder.unitId,
      contactId: reminder.contactId,
    },
  };
}

async function attempt(send: () => Promise<SendResult>): Promise<SendResult> {
  try {
    return await send();
  } catch (error) {
    return { ok: false, outcome: "retry", error: error instanceof Error ? error.message : String(error) };
  }
}

/** Records how sending one reminder ended (a digest's result stands for each of its reminders). */
async function record(db: Db, p: Prepared, result: SendResult, now: Date, summary: DispatchSummary): Promise<void> {
  if (!result.ok && result.outcome === "retry" && result.maybeDelivered) {
    summary.answerLost++;
    await db.auditEvent.create({
      data: { at: now, actorType: "system", action: "reminder.answer-lost", entity: "Reminder", entityId: String(p.id), detail: JSON.stringify({ key: p.message.key, error: result.error.slice(0, 200) }) },
    });
  }
  if (result.ok) {
    await recordDelivery(db, p.id, { state: "sent", at: now, chatMessageId: result.messageId });
    summary.sent++;
  } else if (result.outcome === "retry" && p.attempts < MAX_ATTEMPTS) {
    const wait = Math.max(result.retryAfterMs ?? 0, backoffMs(p.attempts));
    await recordDelivery(db, p.id, { state: "retrying", nextAttemptAt: new Date(now.getTime() + wait), error: result.error });
    summary.retrying++;
  } else if (result.outcome === "unreachable") {
    await recordDelivery(db, p.id, { state: "unreachable", error: result.error, contactId: p.contactId, at: now });
    summary.unreachable++;
  } else {
    await recordDelivery(db, p.id, { state: "failed", error: result.error });
    summary.failed++;
  }
}
