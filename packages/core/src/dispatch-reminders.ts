import { randomUUID } from "node:crypto";
import type { Db } from "@duban/db/client";
import { claimReminder, dueReminderIds, loadClaimedReminder, recordDelivery, releaseClaim, staleClaims } from "@duban/db/repositories/reminder-outbox";
import type { Messenger, OutgoingMessage, ReminderKind } from "./messenger.ts";

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
  /** Claims recovered from a crashed sender: the one window where a message may go out twice. */
  reclaimed: number;
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

/**
 * Sends what is due through the Messenger. Each reminder is claimed with an atomic
 * conditional update, so two dispatchers never send the same one.
 */
export async function dispatchReminders(db: Db, messenger: Messenger, now: Date, options: DispatchOptions = {}): Promise<DispatchSummary> {
  const summary: DispatchSummary = { sent: 0, retrying: 0, failed: 0, unreachable: 0, cancelled: 0, reclaimed: await reclaimStaleClaims(db, now) };
  const instance = options.instanceId ?? randomUUID();
  for (const id of await dueReminderIds(db, now, BATCH)) {
    if (options.signal?.aborted) break;
    if (!(await claimReminder(db, id, instance, now))) continue;
    const reminder = await loadClaimedReminder(db, id);

    // A unit that answered after planning needs no more chasing.
    const submission = reminder.round?.submissions.find((s) => s.unitId === reminder.unitId);
    const chasing = ["reminder", "urge", "escalation-head", "escalation-office"].includes(reminder.kind);
    if (chasing && submission?.submittedAt) {
      await recordDelivery(db, id, { state: "cancelled", error: "unit already submitted" });
      summary.cancelled++;
      continue;
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
      continue;
    }

    const message: OutgoingMessage = {
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
    };
    let result;
    try {
      result = await messenger.send(message);
    } catch (error) {
      result = { ok: false as const, outcome: "retry" as const, error: error instanceof Error ? error.message : String(error) };
    }
    if (result.ok) {
      await recordDelivery(db, id, { state: "sent", at: now, chatMessageId: result.messageId });
      summary.sent++;
    } else if (result.outcome === "retry" && reminder.attempts < MAX_ATTEMPTS) {
      const wait = Math.max(result.retryAfterMs ?? 0, backoffMs(reminder.attempts));
      await recordDelivery(db, id, { state: "retrying", nextAttemptAt: new Date(now.getTime() + wait), error: result.error });
      summary.retrying++;
    } else if (result.outcome === "unreachable") {
      await recordDelivery(db, id, { state: "unreachable", error: result.error, contactId: reminder.contactId, at: now });
      summary.unreachable++;
    } else {
      await recordDelivery(db, id, { state: "failed", error: result.error });
      summary.failed++;
    }
  }
  return summary;
}
