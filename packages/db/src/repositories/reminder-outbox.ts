/**
 * The reminder outbox: every message Duban sends (ladder rungs, 催办, notices, decisions) is a
 * Reminder row under a deterministic unique key, and moves pending → sending → sent, or
 * retrying / failed / unreachable / cancelled. The state changes that decide "sent once" are
 * here, as conditional updates, so no caller can get them subtly wrong.
 */
import { providerOf, type Db, type Prisma } from "../client.ts";
import { isUniqueViolation } from "../errors.ts";

type Tx = Db | Prisma.TransactionClient;

export interface NewReminder {
  key: string;
  kind: string;
  roundId?: number | null;
  unitId: number;
  contactId: number | null;
  rung: string;
  /** When it is meant for (the rung's moment; now for urges and notices). */
  dueAt: Date;
  text: string;
  now: Date;
}

function rowOf(reminder: NewReminder) {
  const { now, ...rest } = reminder;
  return { ...rest, roundId: rest.roundId ?? null, nextAttemptAt: now, createdAt: now };
}

/**
 * Queues a reminder unless its key is already there (planned by another instance, or earlier
 * by this one): true when this call queued it. Outside a transaction only — a failed insert
 * would abort a PostgreSQL transaction; inside one use `queueReminders`, whose keys are new.
 */
export async function queueReminderOnce(db: Db, reminder: NewReminder): Promise<boolean> {
  try {
    await db.reminder.create({ data: rowOf(reminder) });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Rows per INSERT; each INSERT binds one value, its rows as JSON (SQLite's 999-value bound never applies). */
const REMINDER_CHUNK = 2000;

/** SQLite stores Prisma's DateTime as this text (and compares it as text): the same format here. */
const sqliteInstant = (d: Date) => d.toISOString().replace("Z", "+00:00");

/**
 * Queues many reminders, 2,000 rows per INSERT: the rows go as one JSON value, unpacked by the
 * database (`json_each` on SQLite, `json_to_recordset` on PostgreSQL), since binding 10 values a
 * row cost four times the CPU in the client for a 10,000-liaison catch-up. A key already there
 * (another instance planned it a moment ago) is skipped by the unique index (ON CONFLICT DO
 * NOTHING). Returns the keys this call queued.
 */
export async function queueRemindersOnce(db: Db, reminders: NewReminder[]): Promise<Set<string>> {
  const queued = new Set<string>();
  const postgres = providerOf(db) === "postgresql";
  for (let i = 0; i < reminders.length; i += REMINDER_CHUNK) {
    const rows = reminders.slice(i, i + REMINDER_CHUNK).map((r) => {
      const row = rowOf(r);
      const instant = postgres ? (d: Date) => d.toISOString() : sqliteInstant;
      return { ...row, dueAt: instant(row.dueAt), nextAttemptAt: instant(row.nextAttemptAt), createdAt: instant(row.createdAt) };
    });
    const json = JSON.stringify(rows);
    const inserted = postgres
      ? await db.$queryRaw<Array<{ key: string }>>`
          INSERT INTO "Reminder" ("key", "kind", "roundId", "unitId", "contactId", "rung", "dueAt", "text", "nextAttemptAt", "createdAt")
          SELECT x."key", x."kind", x."roundId", x."unitId", x."contactId", x."rung", x."dueAt", x."text", x."nextAttemptAt", x."createdAt"
            FROM json_to_recordset(${json}::json) AS x("key" text, "kind" text, "roundId" integer, "unitId" integer, "contactId" integer, "rung" text,
                 "dueAt" timestamp(3), "text" text, "nextAttemptAt" timestamp(3), "createdAt" timestamp(3))
          ON CONFLICT ("key") DO NOTHING RETURNING "key"`
      : await db.$queryRaw<Array<{ key: string }>>`
          INSERT INTO "Reminder" ("key", "kind", "roundId", "unitId", "contactId", "rung", "dueAt", "text", "nextAttemptAt", "createdAt")
          SELECT value ->> 'key', value ->> 'kind', value ->> 'roundId', value ->> 'unitId', value ->> 'contactId', value ->> 'rung',
                 value ->> 'dueAt', value ->> 'text', value ->> 'nextAttemptAt', value ->> 'createdAt'
            FROM json_each(${json}) WHERE true
          ON CONFLICT ("key") DO NOTHING RETURNING "key"`;
    for (const r of inserted) queued.add(r.key);
  }
  return queued;
}

/** Queues reminders whose keys are new by construction (a notice's or a decision's own id). */
export async function queueReminders(tx: Tx, reminders: NewReminder[]): Promise<void> {
  for (const reminder of reminders) await tx.reminder.create({ data: rowOf(reminder) });
}

/** Reminders ready to send now, oldest first: id, kind and recipient (to group one person's). */
export function dueReminders(db: Db, now: Date, limit: number): Promise<Array<{ id: number; kind: string; contactId: number | null; state: string }>> {
  return db.reminder.findMany({
    where: { state: { in: ["pending", "retrying"] }, nextAttemptAt: { lte: now } },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, kind: true, contactId: true, state: true },
  });
}

/**
 * Claims several reminders at once with one conditional update under a token of this batch's
 * own: the rows it matched are exactly this caller's (another instance's claim changed their
 * state first). Returns the claimed rows with what sending needs, in one more query.
 */
export async function claimReminders(db: Db, ids: number[], token: string, now: Date) {
  if (ids.length === 0) return [];
  await db.reminder.updateMany({
    where: { id: { in: ids }, state: { in: ["pending", "retrying"] }, nextAttemptAt: { lte: now } },
    data: { state: "sending", claimedBy: token, claimedAt: now, attempts: { increment: 1 } },
  });
  return db.reminder.findMany({
    where: { id: { in: ids }, state: "sending", claimedBy: token },
    include: { contact: true, round: { include: { deadline: { select: { taskId: true } } } } },
    orderBy: { id: "asc" },
  });
}

/**
 * Gives back claims that were never sent (shutdown came first): the rows wait as before, with
 * the attempt not counted. Only this batch's claims (token) that are still "sending".
 */
export async function unclaimReminders(db: Db, rows: Array<{ id: number; state: string }>, token: string): Promise<void> {
  for (const state of ["pending", "retrying"]) {
    const ids = rows.filter((r) => r.state === state).map((r) => r.id);
    if (ids.length === 0) continue;
    await db.reminder.updateMany({
      where: { id: { in: ids }, state: "sending", claimedBy: token },
      data: { state, claimedBy: null, claimedAt: null, attempts: { decrement: 1 } },
    });
  }
}

/**
 * Puts claims back to wait until `until` without counting an attempt: the channel's limits for
 * that recipient say not now (企业微信 drops what exceeds them, so it must not be sent early).
 * Only this batch's claims (token) that are still "sending".
 */
export async function deferClaims(db: Db, rows: Array<{ id: number; state: string }>, token: string, until: Date, reason: string): Promise<void> {
  for (const state of ["pending", "retrying"]) {
    const ids = rows.filter((r) => r.state === state).map((r) => r.id);
    if (ids.length === 0) continue;
    await db.reminder.updateMany({
      where: { id: { in: ids }, state: "sending", claimedBy: token },
      data: { state, claimedBy: null, claimedAt: null, attempts: { decrement: 1 }, nextAttemptAt: until, lastError: reason },
    });
  }
}

/** Claims one reminder for sending with an atomic conditional update: true for exactly one claimant. */
export async function claimReminder(db: Db, id: number, instance: string, now: Date): Promise<boolean> {
  const { count } = await db.reminder.updateMany({
    where: { id, state: { in: ["pending", "retrying"] }, nextAttemptAt: { lte: now } },
    data: { state: "sending", claimedBy: instance, claimedAt: now, attempts: { increment: 1 } },
  });
  return count === 1;
}

/** A claimed reminder with what sending needs: the contact and the round (with submissions). */
export function loadClaimedReminder(db: Db, id: number) {
  return db.reminder.findUniqueOrThrow({
    where: { id },
    include: { contact: true, round: { include: { deadline: true, submissions: true } } },
  });
}

/** Claims taken before `claimedBefore` and never finished (the sending process died). */
export function staleClaims(db: Db, claimedBefore: Date) {
  return db.reminder.findMany({ where: { state: "sending", claimedAt: { lt: claimedBefore } }, select: { id: true, key: true, claimedBy: true } });
}

/** Puts a dead claim back to retrying, once even if several instances try: true for the one that did. */
export async function releaseClaim(db: Db, claim: { id: number; claimedBy: string | null }, now: Date, reason: string): Promise<boolean> {
  const { count } = await db.reminder.updateMany({
    where: { id: claim.id, state: "sending", claimedBy: claim.claimedBy },
    data: { state: "retrying", nextAttemptAt: now, lastError: reason },
  });
  return count === 1;
}

export type DeliveryOutcome =
  | { state: "sent"; at: Date; chatMessageId: string | null }
  | { state: "retrying"; nextAttemptAt: Date; error: string }
  | { state: "failed" | "cancelled"; error: string }
  /** The contact blocked the bot or has no chat: the contact is marked unreachable too. */
  | { state: "unreachable"; error: string; contactId: number | null; at: Date };

/** Records how sending a claimed reminder ended. */
export async function recordDelivery(db: Db, id: number, outcome: DeliveryOutcome): Promise<void> {
  switch (outcome.state) {
    case "sent":
      await db.reminder.update({ where: { id }, data: { state: "sent", sentAt: outcome.at, chatMessageId: outcome.chatMessageId, lastError: null } });
      return;
    case "retrying":
      await db.reminder.update({ where: { id }, data: { state: "retrying", nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.error } });
      return;
    case "failed":
    case "cancelled":
      await db.reminder.update({ where: { id }, data: { state: outcome.state, lastError: outcome.error } });
      return;
    case "unreachable":
      await db.$transaction([
        db.reminder.update({ where: { id }, data: { state: "unreachable", lastError: outcome.error } }),
        ...(outcome.contactId === null ? [] : [db.contact.update({ where: { id: outcome.contactId }, data: { status: "blocked", unreachableAt: outcome.at } })]),
      ]);
      return;
  }
}

/** Cancels what is still waiting to be sent among `where` (a deadline archived, an extension approved…). */
export async function cancelWaitingReminders(tx: Tx, where: Prisma.ReminderWhereInput, reason: string): Promise<number> {
  const { count } = await tx.reminder.updateMany({ where: { ...where, state: { in: ["pending", "retrying"] } }, data: { state: "cancelled", lastError: reason } });
  return count;
}
