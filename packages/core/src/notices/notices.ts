import type { Db } from "@duban/db/client";
import { isUniqueViolation } from "@duban/db/errors";
import { queueReminders, queueRemindersOnce } from "@duban/db/repositories/reminder-outbox";
import { z } from "zod";
import { reachabilityOf } from "../units/units.ts";
import { userNames } from "../users/user-names.ts";

const id = z.number().int().positive().max(2_147_483_647);

/** Who a notice is for: every unit, chosen units, or the units of one plan; heads too if asked. */
export const noticeAudienceInput = z
  .object({
    /** null: every unit (with planId: that plan's units). */
    unitIds: z.array(id).min(1, "请至少选择一个单位").nullable(),
    planId: id.nullable().optional(),
    includeHeads: z.boolean().default(false),
  })
  .refine((v) => !(v.planId && v.unitIds), { message: "按方案发送时不能再指定单位", path: ["planId"] });
export type NoticeAudienceInput = z.input<typeof noticeAudienceInput>;

export const broadcastNoticeInput = z
  .object({
    title: z.string().trim().max(100).default(""),
    text: z.string().trim().min(1, "请填写通知内容").max(3000, "通知内容过长"),
    unitIds: z.array(id).min(1, "请至少选择一个单位").nullable(),
    planId: id.nullable().optional(),
    includeHeads: z.boolean().default(false),
  })
  .refine((v) => !(v.planId && v.unitIds), { message: "按方案发送时不能再指定单位", path: ["planId"] });
export type BroadcastNoticeInput = z.input<typeof broadcastNoticeInput>;

export class NoticeError extends Error {
  constructor(
    readonly code: "not-found" | "invalid",
    message: string,
  ) {
    super(message);
  }
}

const NOTICE_ACTION = "notice.broadcast";
const REMIND_ACTION = "notice.remind";

/** The outbox key of a notice to one contact; a re-send appends its ordinal (`:again2`). */
function noticeKey(noticeId: number, contactId: number, again?: number): string {
  return again ? `notice${noticeId}:c${contactId}:again${again}` : `notice${noticeId}:c${contactId}`;
}

/** The notice a "notice" outbox row belongs to (the bot's 收到 button names it). */
export function noticeIdOfKey(key: string): number | null {
  const match = /^notice(\d+):c\d+(?::again\d+)?$/.exec(key);
  return match ? Number(match[1]) : null;
}

function noticeText(title: string, text: string, again = false): string {
  const head = again ? "【通知·再次提醒】" : "【通知】";
  return title ? `${head}${title}\n${text}` : `${head}${text}`;
}

type Unreachable = { unit: string; contact: string | null; role: string; reason: "blocked" | "not-started" };

/**
 * The people a notice would reach: active liaisons (and heads) with a chat; the units with
 * nobody to reach (no liaison bound yet) and the people Telegram cannot reach are listed, so the
 * office sees them before sending. Collective units stand for their members.
 */
export async function noticeAudience(db: Db, raw: NoticeAudienceInput) {
  const input = noticeAudienceInput.parse(raw);
  let unitWhere: { id: { in: number[] } } | { collective: false };
  let planTitle: string | null = null;
  if (input.planId) {
    const plan = await db.plan.findUnique({ where: { id: input.planId }, select: { title: true } });
    if (!plan) throw new NoticeError("not-found", "方案不存在");
    planTitle = plan.title;
    const assigned = await db.assignment.findMany({
      where: { active: true, task: { planId: input.planId, active: true } },
      select: { unitId: true, unit: { select: { collective: true, members: { select: { memberId: true } } } } },
    });
    unitWhere = { id: { in: [...new Set(assigned.flatMap((a) => (a.unit.collective ? a.unit.members.map((m) => m.memberId) : [a.unitId])))] } };
  } else if (input.unitIds) {
    const chosen = await db.unit.findMany({ where: { id: { in: input.unitIds } }, select: { id: true, collective: true, members: { select: { memberId: true } } } });
    if (chosen.length !== new Set(input.unitIds).size) throw new NoticeError("not-found", "所选单位不存在");
    unitWhere = { id: { in: [...new Set(chosen.flatMap((u) => (u.collective ? u.members.map((m) => m.memberId) : [u.id])))] } };
  } else {
    unitWhere = { collective: false };
  }
  const roles = input.includeHeads ? ["liaison", "head"] : ["liaison"];
  const units = await db.unit.findMany({
    where: unitWhere,
    include: { contacts: { where: { role: { in: roles }, status: { not: "revoked" } }, orderBy: { id: "asc" } } },
    orderBy: { id: "asc" },
  });
  const recipients: Array<{ unitId: number; unit: string; contactId: number; contact: string | null; role: string }> = [];
  const unreachable: Unreachable[] = [];
  for (const unit of units) {
    for (const c of unit.contacts) {
      const reach = reachabilityOf(c);
      const contact = c.name ?? c.telegramName;
      if (reach === "ok") recipients.push({ unitId: unit.id, unit: unit.name, contactId: c.id, contact, role: c.role });
      else if (reach === "blocked" || reach === "not-started") unreachable.push({ unit: unit.name, contact, role: c.role, reason: reach });
    }
  }
  const reached = new Set(recipients.map((r) => r.unitId));
  return {
    planTitle,
    includeHeads: input.includeHeads,
    units: units.map((u) => ({ id: u.id, name: u.name })),
    recipients,
    unreachable,
    /** Units where nobody can receive it: no liaison bound, or all of them unreachable. */
    withoutContact: units.filter((u) => !reached.has(u.id)).map((u) => ({ id: u.id, name: u.name })),
  };
}

/** What the console shows before sending: how many people and units, who cannot be reached. */
export async function previewNotice(db: Db, raw: NoticeAudienceInput) {
  const audience = await noticeAudience(db, raw);
  return {
    recipients: audience.recipients.length,
    units: audience.units.length - audience.withoutContact.length,
    withoutContact: audience.withoutContact,
    unreachable: audience.unreachable,
    planTitle: audience.planTitle,
  };
}

/**
 * 通知: queues one "notice" reminder per reachable liaison (and unit head, if asked) of the chosen
 * units; the dispatcher delivers them, each with a 收到 button. The audit row is the notice
 * itself: its id is in every reminder key, so the same notice cannot be queued twice to one contact.
 */
export async function broadcastNotice(db: Db, raw: BroadcastNoticeInput, now: Date, actor: number) {
  const input = broadcastNoticeInput.parse(raw);
  const audience = await noticeAudience(db, { unitIds: input.unitIds, planId: input.planId ?? null, includeHeads: input.includeHeads });
  const { recipients, withoutContact } = audience;

  return db.$transaction(async (tx) => {
    const notice = await tx.auditEvent.create({
      data: {
        at: now,
        actorType: "user",
        actorId: String(actor),
        action: NOTICE_ACTION,
        entity: "Notice",
        detail: JSON.stringify({
          title: input.title,
          text: input.text,
          includeHeads: input.includeHeads,
          units: input.unitIds ? audience.units.map((u) => u.name) : "all",
          plan: audience.planTitle,
          unitIds: audience.units.map((u) => u.id),
          recipients: recipients.length,
          withoutContact: withoutContact.map((u) => u.name),
        }),
      },
    });
    await tx.auditEvent.update({ where: { id: notice.id }, data: { entityId: String(notice.id) } });
    await queueReminders(
      tx,
      recipients.map((r) => ({
        key: noticeKey(notice.id, r.contactId),
        kind: "notice",
        unitId: r.unitId,
        contactId: r.contactId,
        rung: "notice",
        dueAt: now,
        text: noticeText(input.title, input.text),
        now,
      })),
    );
    return { noticeId: notice.id, recipients: recipients.length, units: audience.units.length - withoutContact.length, withoutContact, unreachable: audience.unreachable };
  });
}

async function loadNotice(db: Db, noticeId: number) {
  const event = await db.auditEvent.findFirst({ where: { id: noticeId, action: NOTICE_ACTION } });
  if (!event) throw new NoticeError("not-found", "通知不存在");
  return { event, detail: JSON.parse(event.detail ?? "{}") as { title?: string; text?: string } };
}

/**
 * 签收: the contact tapped 收到 under a notice sent to them. Idempotent: a second tap (or a
 * replayed update) finds the receipt already there and changes nothing.
 */
export async function recordNoticeReceipt(db: Db, input: { noticeId: number; contactId: number; now: Date }): Promise<{ recorded: boolean; receivedAt: Date }> {
  const sent = await db.reminder.findUnique({ where: { key: noticeKey(input.noticeId, input.contactId) }, select: { unitId: true } });
  if (!sent) throw new NoticeError("not-found", "该通知不是发给您的");
  const existing = await db.noticeReceipt.findUnique({ where: { noticeId_contactId: { noticeId: input.noticeId, contactId: input.contactId } } });
  if (existing) return { recorded: false, receivedAt: existing.receivedAt };
  try {
    await db.noticeReceipt.create({ data: { noticeId: input.noticeId, contactId: input.contactId, unitId: sent.unitId, receivedAt: input.now } });
    return { recorded: true, receivedAt: input.now };
  } catch (error) {
    // Two taps at once: the other one recorded it.
    if (!isUniqueViolation(error)) throw error;
    const other = await db.noticeReceipt.findUniqueOrThrow({ where: { noticeId_contactId: { noticeId: input.noticeId, contactId: input.contactId } } });
    return { recorded: false, receivedAt: other.receivedAt };
  }
}

/**
 * 再次提醒未签收: the notice again, only to the people it went to in units where nobody has
 * signed yet (and who are still reachable). Each re-send has its ordinal in the keys: the console
 * asks for re-send n+1 after the n it has seen, so a double click (or a second office user on the
 * same view) queues it once — the second call finds the same keys taken and adds nothing.
 */
export async function remindUnreceived(db: Db, input: { noticeId: number; now: Date; actor: number; ordinal?: number }) {
  const { event, detail } = await loadNotice(db, input.noticeId);
  const [sent, receipts, previous] = await Promise.all([
    db.reminder.findMany({
      where: { kind: "notice", key: { startsWith: `notice${event.id}:c` }, rung: "notice" },
      select: { unitId: true, contact: { select: { id: true, status: true, telegramChatId: true, unreachableAt: true } } },
    }),
    db.noticeReceipt.findMany({ where: { noticeId: event.id }, select: { unitId: true } }),
    db.auditEvent.count({ where: { action: REMIND_ACTION, entityId: String(event.id) } }),
  ]);
  const signed = new Set(receipts.map((r) => r.unitId));
  const targets = sent.filter((r) => !signed.has(r.unitId) && r.contact && reachabilityOf(r.contact) === "ok");
  const again = input.ordinal ?? previous + 1;
  const queued = await queueRemindersOnce(
    db,
    targets.map((r) => ({
      key: noticeKey(event.id, r.contact!.id, again),
      kind: "notice",
      unitId: r.unitId,
      contactId: r.contact!.id,
      rung: `notice-again`,
      dueAt: input.now,
      text: noticeText(detail.title ?? "", detail.text ?? "", true),
      now: input.now,
    })),
  );
  if (queued.size > 0) {
    await db.auditEvent.create({
      data: { at: input.now, actorType: "user", actorId: String(input.actor), action: REMIND_ACTION, entity: "Notice", entityId: String(event.id), detail: JSON.stringify({ recipients: queued.size, units: new Set(targets.map((t) => t.unitId)).size }) },
    });
  }
  return { noticeId: event.id, recipients: queued.size };
}

/** Notices sent, newest first: delivery, and per unit who has signed (签收) and who has not. */
export async function listNotices(db: Db) {
  const events = await db.auditEvent.findMany({ where: { action: NOTICE_ACTION }, orderBy: { at: "desc" }, take: 100 });
  if (events.length === 0) return [];
  const since = events[events.length - 1]!.at;
  const [reminders, receipts, reminds] = await Promise.all([
    db.reminder.findMany({
      where: { kind: "notice", createdAt: { gte: since } },
      select: { key: true, rung: true, state: true, unitId: true, contactId: true, unit: { select: { name: true } }, contact: { select: { name: true, telegramName: true, role: true } } },
      orderBy: { id: "asc" },
    }),
    db.noticeReceipt.findMany({ where: { noticeId: { in: events.map((e) => e.id) } }, select: { noticeId: true, contactId: true, receivedAt: true } }),
    db.auditEvent.findMany({ where: { action: REMIND_ACTION, entityId: { in: events.map((e) => String(e.id)) } }, select: { entityId: true, at: true }, orderBy: { at: "asc" } }),
  ]);
  const byNotice = new Map<number, typeof reminders>();
  for (const r of reminders) {
    const noticeId = noticeIdOfKey(r.key);
    if (noticeId !== null) byNotice.set(noticeId, [...(byNotice.get(noticeId) ?? []), r]);
  }
  const receiptOf = new Map(receipts.map((r) => [`${r.noticeId}:${r.contactId}`, r.receivedAt]));
  const users = await userNames(db, events.map((e) => Number(e.actorId)));
  return events.map((e) => {
    const detail = JSON.parse(e.detail ?? "{}") as { title?: string; text?: string; units?: string[] | "all"; plan?: string | null; withoutContact?: string[] };
    const rows = byNotice.get(e.id) ?? [];
    const first = rows.filter((r) => r.rung === "notice");
    const units = new Map<number, { unit: string; receivedAt: Date | null; recipients: Array<{ contact: string | null; role: string | null; state: string; receivedAt: Date | null }> }>();
    for (const r of first) {
      const receivedAt = r.contactId === null ? null : (receiptOf.get(`${e.id}:${r.contactId}`) ?? null);
      const entry = units.get(r.unitId) ?? { unit: r.unit.name, receivedAt: null, recipients: [] };
      entry.recipients.push({ contact: r.contact?.name ?? r.contact?.telegramName ?? null, role: r.contact?.role ?? null, state: r.state, receivedAt });
      if (receivedAt && (!entry.receivedAt || receivedAt < entry.receivedAt)) entry.receivedAt = receivedAt;
      units.set(r.unitId, entry);
    }
    const unitRows = [...units.values()];
    return {
      id: e.id,
      at: e.at,
      by: users.get(Number(e.actorId)) ?? null,
      title: detail.title ?? "",
      text: detail.text ?? "",
      scope: detail.units ?? [],
      plan: detail.plan ?? null,
      withoutContact: detail.withoutContact ?? [],
      total: first.length,
      sent: first.filter((r) => r.state === "sent").length,
      failed: first.filter((r) => r.state === "failed" || r.state === "unreachable").length,
      /** Units that signed (any of their recipients tapped 收到) of the units it went to. */
      receivedUnits: unitRows.filter((u) => u.receivedAt).length,
      totalUnits: unitRows.length,
      units: unitRows,
      reminded: reminds.filter((r) => r.entityId === String(e.id)).map((r) => r.at),
    };
  });
}
