import type { Db } from "@duban/db/client";
import { cancelWaitingReminders } from "@duban/db/repositories/reminder-outbox";
import { claimInvite, type RedeemInviteResult } from "./claim-invite.ts";

export type { RedeemInviteResult } from "./claim-invite.ts";

export interface RedeemInviteInput {
  token: string;
  telegramUserId: string;
  telegramChatId: string;
  /** Display name from Telegram (first + last name, or @username). */
  telegramName: string | null;
  now: Date;
}

/**
 * Binds a Telegram user to the unit of a single-use invitation (the rules: `claimInvite`). One
 * person belongs to one unit: a second invitation for another unit moves them (their past
 * replies stay with the unit they answered for). A contact the office created beforehand with
 * the invitation's name and role is bound instead of creating a second one.
 */
export async function redeemInvite(db: Db, input: RedeemInviteInput): Promise<RedeemInviteResult> {
  return claimInvite(db, {
    token: input.token,
    now: input.now,
    accountContact: (db) => db.contact.findUnique({ where: { telegramUserId: input.telegramUserId } }),
    async bind(tx, invite, role) {
      const telegram = { telegramChatId: input.telegramChatId, telegramName: input.telegramName, status: "active", unreachableAt: null };
      const existing = await tx.contact.findUnique({ where: { telegramUserId: input.telegramUserId }, include: { unit: true } });
      let contactId: number;
      let moved = false;
      let name = invite.name;
      let language = "zh";
      if (existing) {
        moved = existing.unitId !== invite.unitId;
        name = invite.name ?? existing.name;
        language = existing.language;
        await tx.contact.update({ where: { id: existing.id }, data: { ...telegram, unitId: invite.unitId, role, name, updatedAt: input.now } });
        if (moved || existing.role !== role) {
          // Reminders queued for the old unit or role are no longer theirs to receive.
          await cancelWaitingReminders(tx, { contactId: existing.id }, "contact moved to another unit or role");
        }
        contactId = existing.id;
      } else {
        const prepared = invite.name
          ? await tx.contact.findFirst({ where: { unitId: invite.unitId, role, name: invite.name, telegramUserId: null, status: { not: "revoked" } } })
          : null;
        if (prepared) {
          await tx.contact.update({ where: { id: prepared.id }, data: { ...telegram, telegramUserId: input.telegramUserId, updatedAt: input.now } });
          contactId = prepared.id;
          language = prepared.language;
        } else {
          const created = await tx.contact.create({
            data: { ...telegram, unitId: invite.unitId, role, name, telegramUserId: input.telegramUserId, createdAt: input.now, updatedAt: input.now },
          });
          contactId = created.id;
        }
      }
      // The channel directory (ContactChannel) lists the Telegram account too; the bot still reads Contact.telegram*.
      await tx.contactChannel.upsert({
        where: { channel_externalId: { channel: "telegram", externalId: input.telegramUserId } },
        create: { contactId, channel: "telegram", externalId: input.telegramUserId, createdAt: input.now },
        update: { contactId },
      });
      return { contactId, name, language, moved, from: existing?.unit.name };
    },
  });
}
