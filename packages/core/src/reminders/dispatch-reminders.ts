import { randomUUID } from "node:crypto";
import type { Db } from "@duban/db/client";
import { claimReminders, deferClaims, dueReminders, recordDelivery, releaseClaim, staleClaims, unclaimReminders } from "@duban/db/repositories/reminder-outbox";
import { isGroupAddress, type DeliveryPacer } from "@duban/domain/channel-limits";
import type { Channel, Messenger, OutgoingMessage, ReminderKind, SendResult } from "../channels/messenger.ts";

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
  /** Chats served at once (default 16). */
  concurrency?: number;
  /** Reminders claimed at once (default 200). */
  batchSize?: number;
  /** Stop after this many batches (default: until nothing is due). */
  maxBatches?: number;
  /** Each channel's limits, kept before every send (without it: sent as fast as the messenger allows). */
  pacing?: DeliveryPacing;
}

/** The pacers of a process's delivery loop: one per channel, kept across batches (their state is the recent traffic). */
export interface DeliveryPacing {
  pacerOf(channel: Channel): DeliveryPacer;
  /** Wall clock in ms (default Date.now): the platforms count real time. */
  clock?: () => number;
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
  /** Put back to wait, unsent and no attempt counted: the recipient's channel limit said not yet. */
  deferred: number;
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

/** Messages to one recipient per batch: Telegram allows 1/s per chat and 20/min per group, so a claim never waits long. */
const PER_RECIPIENT = 5;
/** Chats sent to at once; the Api's throttler paces them to Telegram's rates. */
const DEFAULT_CONCURRENCY = 16;

type Claimed = Awaited<ReturnType<typeof claimReminders>>[number];
type Prepared = { id: number; attempts: number; contactId: number | null; message: OutgoingMessage; state: string };

/**
 * Sends what is due through the Messenger, batch after batch until nothing is due (or
 * `maxBatches`). Each batch is claimed with one atomic conditional update under a token of its
 * own, so two dispatchers never send the same reminder. Ladder reminders due to one person at
 * once are claimed together and, from DIGEST_MIN on, sent as one digest. Chats are served
 * concurrently, one message at a time per chat; a hung call holds only its own chat.
 */
export async function dispatchReminders(db: Db, messenger: Messenger, now: Date, options: DispatchOptions = {}): Promise<DispatchSummary> {
  const summary: DispatchSummary = { sent: 0, retrying: 0, failed: 0, unreachable: 0, cancelled: 0, answerLost: 0, deferred: 0, reclaimed: await reclaimStaleClaims(db, now) };
  const instance = options.instanceId ?? randomUUID();
  const seen = new Set<number>();
  for (let batch = 0; batch < (options.maxBatches ?? Infinity); batch++) {
    if (options.signal?.aborted) break;
    const due = (await dueReminders(db, now, options.batchSize ?? BATCH)).filter((r) => !seen.has(r.id));
    if (due.length === 0) break;
    const tried = await dispatchBatch(db, messenger, now, due, `${instance}:${batch}`, options, summary);
    for (const id of tried) seen.add(id);
  }
  return summary;
}

async function dispatchBatch(
  db: Db,
  messenger: Messenger,
  now: Date,
  due: Array<{ id: number; kind: string; contactId: number | null; state: string }>,
  token: string,
  options: DispatchOptions,
  summary: DispatchSummary,
): Promise<number[]> {
  // Messages in order of their oldest member: one per person for ladder reminders, else one per
  // reminder; at most PER_RECIPIENT messages per recipient in a batch (the rest wait for the next).
  const groups = new Map<string, number[]>();
  const perRecipient = new Map<string, number>();
  for (const r of due) {
    const key = r.kind === "reminder" && r.contactId !== null ? `contact:${r.contactId}` : `reminder:${r.id}`;
    const existing = groups.get(key);
    if (existing) {
      existing.push(r.id);
      continue;
    }
    const recipient = String(r.contactId);
    const count = perRecipient.get(recipient) ?? 0;
    if (count >= PER_RECIPIENT) continue;
    perRecipient.set(recipient, count + 1);
    groups.set(key, [r.id]);
  }
  const stateOf = new Map(due.map((r) => [r.id, r.state]));
  const tried = [...groups.values()].flat();
  const claimed = new Map((await claimReminders(db, tried, token, now)).map((r) => [r.id, r]));
  if (claimed.size === 0) return tried;

  // A unit that answered after planning needs no more chasing: one query for the batch.
  const rounds = [...new Set([...claimed.values()].flatMap((r) => (r.roundId === null ? [] : [r.roundId])))];
  const units = [...new Set([...claimed.values()].map((r) => r.unitId))];
  const submitted = new Set(
    (await db.submission.findMany({ where: { roundId: { in: rounds }, unitId: { in: units }, submittedAt: { not: null } }, select: { roundId: true, unitId: true } })).map((s) => `${s.roundId}/${s.unitId}`),
  );

  // Contacts not on Telegram are reached on their other channel: one query for the batch.
  const elsewhere = await otherChannels(db, [...claimed.values()].flatMap((r) => (r.contact && !r.contact.telegramChatId ? [r.contact.id] : [])));

  // Lanes: one per chat, sent in order; lanes run concurrently.
  const lanes = new Map<string, Prepared[][]>();
  for (const ids of groups.values()) {
    const ready: Prepared[] = [];
    for (const id of ids) {
      const row = claimed.get(id);
      if (!row) continue;
      const prepared = await prepare(db, row, stateOf.get(id) ?? "pending", submitted, elsewhere, now, options, summary);
      if (prepared) ready.push(prepared);
    }
    if (ready.length === 0) continue;
    const chat = `${ready[0]!.message.channel ?? "telegram"}:${ready[0]!.message.chatId}`;
    lanes.set(chat, [...(lanes.get(chat) ?? []), ready]);
  }

  const queue = [...lanes.values()];
  // Shutdown: what was claimed but not started goes back to waiting at once, as if never claimed.
  const notStarted = new Set(queue.flat(2));
  let released: Promise<void> = Promise.resolve();
  const release = () => {
    const rows = [...notStarted].map((p) => ({ id: p.id, state: p.state }));
    notStarted.clear();
    released = unclaimReminders(db, rows, token);
  };
  if (options.signal?.aborted) release();
  else options.signal?.addEventListener("abort", release, { once: true });
  // Waits for the channel's limits before a send: "go" once a slot is taken; "deferred" when the
  // recipient's limit is further off (the rows wait in the outbox); "stopped" on shutdown.
  // What the pacer compares for 钉钉's once-a-day rule: the text as it goes (a digest's together).
  const paceText = (send: Prepared[]) => send.map((p) => p.message.text).join("\n");
  const pace = async (send: Prepared[]): Promise<"go" | "deferred" | "stopped"> => {
    if (!options.pacing) return "go";
    const { channel = "telegram", chatId } = send[0]!.message;
    const pacer = options.pacing.pacerOf(channel);
    const clock = options.pacing.clock ?? Date.now;
    const text = paceText(send);
    for (;;) {
      if (options.signal?.aborted) return "stopped";
      const at = clock();
      const verdict = pacer.reserve({ recipient: chatId, group: isGroupAddress(channel, chatId), text, now: at });
      if (verdict.kind === "go") {
        await pause(verdict.at - at, options.signal);
        return "go";
      }
      if (verdict.kind === "wait") {
        await pause(verdict.until - at, options.signal);
        continue;
      }
      if (!send.every((p) => notStarted.delete(p))) return "stopped";
      const until = new Date(now.getTime() + Math.max(0, verdict.until - at));
      await deferClaims(db, send.map((p) => ({ id: p.id, state: p.state })), token, until, `${channel} limit: ${verdict.reason}`);
      summary.deferred += send.length;
      return "deferred";
    }
  };
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const ready of lane) {
        // A digest is one send; otherwise each reminder is its own, paced on its own.
        const digest = ready.length >= DIGEST_MIN && !!messenger.sendDigest;
        for (const send of digest ? [ready] : ready.map((p) => [p])) {
          if (!send.every((p) => notStarted.has(p))) continue;
          if ((await pace(send)) !== "go") continue;
          if (!send.every((p) => notStarted.delete(p))) continue;
          const result = digest ? await attempt(() => messenger.sendDigest!(send.map((p) => p.message))) : await attempt(() => messenger.send(send[0]!.message));
          // Nothing reached the recipient: the text is not "seen today" (钉钉), or its retry would wait a day.
          if (options.pacing && !result.ok && !(result.outcome === "retry" && result.maybeDelivered)) {
            const { channel = "telegram", chatId } = send[0]!.message;
            options.pacing.pacerOf(channel).notDelivered({ recipient: chatId, text: paceText(send) });
          }
          for (const p of send) await record(db, p, result, now, summary);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(queue.length, options.concurrency ?? DEFAULT_CONCURRENCY) }, worker));
  } finally {
    options.signal?.removeEventListener("abort", release);
    await released;
  }
  return tried;
}

/** Settles what needs no message (answered, no chat); returns what is to be sent, or null. */
async function prepare(
  db: Db,
  reminder: Claimed,
  state: string,
  submitted: Set<string>,
  elsewhere: Map<number, { channel: Channel; externalId: string }>,
  now: Date,
  options: DispatchOptions,
  summary: DispatchSummary,
): Promise<Prepared | null> {
  const id = reminder.id;
  const chasing = ["reminder", "urge", "escalation-head", "escalation-office"].includes(reminder.kind);
  if (chasing && submitted.has(`${reminder.roundId}/${reminder.unitId}`)) {
    await recordDelivery(db, id, { state: "cancelled", error: "unit already submitted" });
    summary.cancelled++;
    return null;
  }

  const other = reminder.contactId === null || reminder.contact?.telegramChatId ? undefined : elsewhere.get(reminder.contactId);
  const channel: Channel = other?.channel ?? "telegram";
  const chatId = reminder.contactId === null ? (options.officeChatId ?? null) : (reminder.contact?.telegramChatId ?? other?.externalId ?? null);
  if (chatId === null) {
    if (reminder.contactId === null) {
      // Office escalation without an office chat: it lives in the console's queue.
      await recordDelivery(db, id, { state: "sent", at: now, chatMessageId: null });
      summary.sent++;
    } else {
      await recordDelivery(db, id, { state: "unreachable", error: "contact has no chat on any channel", contactId: null, at: now });
      summary.unreachable++;
    }
    return null;
  }

  return {
    id,
    state,
    attempts: reminder.attempts,
    contactId: reminder.contactId,
    message: {
      reminderId: reminder.id,
      key: reminder.key,
      kind: reminder.kind as ReminderKind,
      channel,
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

/** Order of preference when a contact has several non-Telegram channels (Telegram, when bound, comes first). */
const CHANNEL_ORDER: Channel[] = ["wecom", "dingtalk", "feishu"];

async function otherChannels(db: Db, contactIds: number[]): Promise<Map<number, { channel: Channel; externalId: string }>> {
  const found = new Map<number, { channel: Channel; externalId: string }>();
  if (contactIds.length === 0) return found;
  const rows = await db.contactChannel.findMany({ where: { contactId: { in: contactIds }, channel: { in: CHANNEL_ORDER } }, select: { contactId: true, channel: true, externalId: true } });
  for (const channel of CHANNEL_ORDER) {
    for (const row of rows) if (row.channel === channel && !found.has(row.contactId)) found.set(row.contactId, { channel, externalId: row.externalId });
  }
  return found;
}

/** Sleeps `ms`, or less when the process is shutting down. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
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
