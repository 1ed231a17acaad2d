import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";

/**
 * Telegram said 403 (the person blocked the bot) or reported that they left: the office sees
 * the contact as unreachable and the ladder stops planning reminders for them.
 */
export async function markContactUnreachable(
  db: Db,
  input: { contactId?: number; telegramChatId?: string; reason: string; now: Date },
): Promise<{ marked: boolean }> {
  const contact = input.contactId !== undefined
    ? await db.contact.findUnique({ where: { id: input.contactId } })
    : input.telegramChatId !== undefined
      ? await db.contact.findFirst({ where: { telegramChatId: input.telegramChatId, status: { not: "revoked" } } })
      : null;
  if (!contact || contact.status !== "active") return { marked: false };
  await db.contact.update({ where: { id: contact.id }, data: { status: "blocked", unreachableAt: input.now } });
  await writeAudit(db, { actorType: "system", action: "contact.unreachable", entity: "Contact", entityId: contact.id, detail: { reason: input.reason }, at: input.now });
  return { marked: true };
}

/** The person wrote to the bot again (or unblocked it): reachable once more. */
export async function markContactReachable(db: Db, input: { contactId: number; now: Date }): Promise<{ marked: boolean }> {
  const { count } = await db.contact.updateMany({ where: { id: input.contactId, status: "blocked" }, data: { status: "active", unreachableAt: null } });
  if (count === 1) {
    await writeAudit(db, { actorType: "contact", actorId: input.contactId, action: "contact.reachable", entity: "Contact", entityId: input.contactId, at: input.now });
  }
  return { marked: count === 1 };
}
