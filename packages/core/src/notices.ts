import type { Db } from "@duban/db/client";
import { queueReminders } from "@duban/db/repositories/reminder-outbox";
import { z } from "zod";
import { userNames } from "./users/user-names.ts";

export const broadcastNoticeInput = z.object({
  title: z.string().trim().max(100).default(""),
  text: z.string().trim().min(1, "请填写通知内容").max(3000, "通知内容过长"),
  /** null: every unit that has a liaison. */
  unitIds: z.array(z.number().int().positive()).min(1, "请至少选择一个单位").nullable(),
  includeHeads: z.boolean().default(false),
});
export type BroadcastNoticeInput = z.input<typeof broadcastNoticeInput>;

const NOTICE_ACTION = "notice.broadcast";

function noticeText(title: string, text: string): string {
  return title ? `【通知】${title}\n${text}` : `【通知】${text}`;
}

/**
 * 通知: queues one "notice" reminder per active liaison (and unit head, if asked) of the chosen
 * units; the dispatcher delivers them. The audit row is the notice itself: its id is in every
 * reminder key, so the same notice cannot be queued twice to one contact.
 */
export async function broadcastNotice(db: Db, raw: BroadcastNoticeInput, now: Date, actor: number) {
  const input = broadcastNoticeInput.parse(raw);
  const units = await db.unit.findMany({
    where: input.unitIds ? { id: { in: input.unitIds } } : {},
    include: { contacts: { where: { status: "active" } } },
    orderBy: { id: "asc" },
  });
  const roles = input.includeHeads ? ["liaison", "head"] : ["liaison"];
  const recipients = units.flatMap((u) => u.contacts.filter((c) => roles.includes(c.role)).map((c) => ({ unit: u, contact: c })));
  const withoutContact = units.filter((u) => !u.contacts.some((c) => roles.includes(c.role))).map((u) => ({ id: u.id, name: u.name }));

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
          units: input.unitIds ? units.map((u) => u.name) : "all",
          recipients: recipients.length,
          withoutContact: withoutContact.map((u) => u.name),
        }),
      },
    });
    await tx.auditEvent.update({ where: { id: notice.id }, data: { entityId: String(notice.id) } });
    await queueReminders(
      tx,
      recipients.map(({ unit, contact }) => ({
        key: `notice${notice.id}:c${contact.id}`,
        kind: "notice",
        unitId: unit.id,
        contactId: contact.id,
        rung: "notice",
        dueAt: now,
        text: noticeText(input.title, input.text),
        now,
      })),
    );
    return { noticeId: notice.id, recipients: recipients.length, units: units.length - withoutContact.length, withoutContact };
  });
}

/** Notices sent, newest first, with how many were delivered. */
export async function listNotices(db: Db) {
  const events = await db.auditEvent.findMany({ where: { action: NOTICE_ACTION }, orderBy: { at: "desc" }, take: 100 });
  const reminders = await db.reminder.findMany({
    where: { kind: "notice" },
    select: { key: true, state: true, unit: { select: { name: true } }, contact: { select: { name: true, telegramName: true } } },
  });
  const byNotice = new Map<string, typeof reminders>();
  for (const r of reminders) {
    const id = /^notice(\d+):/.exec(r.key)?.[1];
    if (id) byNotice.set(id, [...(byNotice.get(id) ?? []), r]);
  }
  const users = await userNames(db, events.map((e) => Number(e.actorId)));
  return events.map((e) => {
    const detail = JSON.parse(e.detail ?? "{}") as { title?: string; text?: string; units?: string[] | "all"; withoutContact?: string[] };
    const rows = byNotice.get(String(e.id)) ?? [];
    return {
      id: e.id,
      at: e.at,
      by: users.get(Number(e.actorId)) ?? null,
      title: detail.title ?? "",
      text: detail.text ?? "",
      units: detail.units ?? [],
      withoutContact: detail.withoutContact ?? [],
      total: rows.length,
      sent: rows.filter((r) => r.state === "sent").length,
      failed: rows.filter((r) => r.state === "failed" || r.state === "unreachable").length,
      recipients: rows.map((r) => ({ unit: r.unit.name, contact: r.contact?.name ?? r.contact?.telegramName ?? null, state: r.state })),
    };
  });
}
