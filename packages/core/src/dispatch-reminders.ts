import { randomUUID } from "node:crypto";
import type { Db } from "@duban/db/client";
import type { Messenger, OutgoingMessage, ReminderKind } from "./messenger.ts";

/** A claim older than this is presumed dead (crashed process) and the reminder is retried. */
export const CLAIM_TIMEOUT_MS = 2 * 60 * 1000;
const MAX_ATTEMPTS = 8;
const BATCH = 200;

export interface DispatchOptions {
  /** Where office escalations go; null keeps them in the console's queue only. */
  officeChatId?: string | null;
  instanceId?: string;
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
  const stale = await db.reminder.findMany({
    where: { state: "sending", claimedAt: { lt: new Date(now.getTime() - CLAIM_TIMEOUT_MS) } },
    select: { id: true, key: true, claimedBy: true },
  });
  let reclaimed = 0;
  for (const reminder of stale) {
    const { count } = await db.reminder.updateMany({
      where: { id: reminder.id, state: "sending", claimedBy: reminder.claimedBy },
      data: { state: "retrying", nextAttemptAt: now, lastError: "reclaimed after the sending process stopped (possible duplicate)" },
    });
    if (count === 1) {
      reclaimed++;
      await db.auditEvent.create({
        data: { at: now, actorType: "system", action: "reminder.reclaim", entity: "Reminder", entityId: String(reminder.id), detail: JSON.stringify({ key: reminder.key, claimedBy: reminder.claimedBy }) },
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
  const due = await db.reminder.findMany({
    where: { state: { in: ["pending", "retrying"] }, nextAttemptAt: { lte: now } },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    take: BATCH,
    select: { id: true },
  });
  for (const { id } of due) {
    const claim = await db.reminder.updateMany({
      where: { id, state: { in: ["pending", "retrying"] }, nextAttemptAt: { lte: now } },
      data: { state: "sending", claimedBy: instance, claimedAt: now, attempts: { increment: 1 } },
    });
    if (claim.count !== 1) continue;
    const reminder = await db.reminder.findUniqueOrThrow({
      where: { id },
      include: { contact: true, round: { include: { deadline: true, submissions: { where: {} } } } },
    });

    // A unit that answered after planning needs no more chasing.
    const submission = reminder.round?.submissions.find((s) => s.unitId === reminder.unitId);
    const chasing = ["reminder", "urge", "escalation-head", "escalation-office"].includes(reminder.kind);
    if (chasing && submission?.submittedAt) {
      await db.reminder.update({ where: { id }, data: { state: "cancelled", lastError: "unit already submitted" } });
      summary.cancelled++;
      continue;
    }

    const chatId = reminder.contactId === null ? (options.officeChatId ?? null) : reminder.contact?.telegramChatId ?? null;
    if (chatId === null) {
      if (reminder.contactId === null) {
        // Office escalation without an office chat: it lives in the console's queue.
        await db.reminder.update({ where: { id }, data: { state: "sent", sentAt: now, chatMessageId: null, lastError: null } });
        summary.sent++;
      } else {
        await db.reminder.update({ where: { id }, data: { state: "unreachable", lastError: "contact has no Telegram chat" } });
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
      await db.reminder.update({ where: { id }, data: { state: "sent", sentAt: now, chatMessageId: result.messageId, lastError: null } });
      summary.sent++;
    } else if (result.outcome === "retry" && reminder.attempts < MAX_ATTEMPTS) {
      const wait = Math.max(result.retryAfterMs ?? 0, backoffMs(reminder.attempts));
      await db.reminder.update({ where: { id }, data: { state: "retrying", nextAttemptAt: new Date(now.getTime() + wait), lastError: result.error } });
      summary.retrying++;
    } else if (result.outcome === "unreachable") {
      await db.$transaction([
        db.reminder.update({ where: { id }, data: { state: "unreachable", lastError: result.error } }),
        ...(reminder.contactId === null
          ? []
          : [db.contact.update({ where: { id: reminder.contactId }, data: { status: "blocked", unreachableAt: now } })]),
      ]);
      summary.unreachable++;
    } else {
      await db.reminder.update({ where: { id }, data: { state: "failed", lastError: result.error } });
      summary.failed++;
    }
  }
  return summary;
}
