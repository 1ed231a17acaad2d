import type { Db } from "@duban/db/client";
import { cancelWaitingReminders } from "@duban/db/repositories/reminder-outbox";
import type { Channel } from "../channels/messenger.ts";
import { claimInvite, type RedeemInviteResult } from "./claim-invite.ts";
import { inviteTokenSchema } from "./invite-token.ts";

export interface RedeemChannelInviteInput {
  token: string;
  /** A channel other than Telegram (Telegram binds through `redeemInvite`, which keeps Contact.telegram*). */
  channel: Exclude<Channel, "telegram">;
  /** The account on that channel: 企业微信 userid, 钉钉 userId, 飞书 open_id. */
  externalId: string;
  now: Date;
}

/** What the member sends the app to join (企业微信, 钉钉, 飞书): read back by `inviteTokenInText`. */
export const bindCommand = (token: string) => `绑定 ${token}`;

/** "绑定 <token>" (or "bind <token>"), as the liaison sends it to the app: the token, else null. */
export function inviteTokenInText(text: string): string | null {
  const match = /^\s*(?:绑定|bind)\s*[:：]?\s*(\S+)\s*$/i.exec(text);
  return match && inviteTokenSchema.safeParse(match[1]).success ? match[1]! : null;
}

/**
 * Binds a channel account to the unit of a single-use invitation, with the same rules as
 * Telegram's (`claimInvite`): single use, expiring, revocable; one account belongs to one
 * unit (a second invitation moves it); a contact the office prepared with the invitation's
 * name and role, not yet reachable anywhere, is bound instead of creating a second one.
 */
export async function redeemChannelInvite(db: Db, input: RedeemChannelInviteInput): Promise<RedeemInviteResult> {
  const account = { channel_externalId: { channel: input.channel, externalId: input.externalId } };
  return claimInvite(db, {
    token: input.token,
    now: input.now,
    channel: input.channel,
    accountContact: async (db) => (await db.contactChannel.findUnique({ where: account, include: { contact: true } }))?.contact ?? null,
    async bind(tx, invite, role) {
      const existing = await tx.contactChannel.findUnique({ where: account, include: { contact: { include: { unit: true } } } });
      if (existing) {
        const contact = existing.contact;
        const moved = contact.unitId !== invite.unitId;
        const name = invite.name ?? contact.name;
        await tx.contact.update({ where: { id: contact.id }, data: { unitId: invite.unitId, role, name, status: "active", unreachableAt: null, updatedAt: input.now } });
        if (moved || contact.role !== role) await cancelWaitingReminders(tx, { contactId: contact.id }, "contact moved to another unit or role");
        return { contactId: contact.id, name, language: contact.language, moved, from: contact.unit.name };
      }
      const prepared = invite.name
        ? await tx.contact.findFirst({ where: { unitId: invite.unitId, role, name: invite.name, telegramUserId: null, channels: { none: {} }, status: { not: "revoked" } } })
        : null;
      const contactId = prepared ? prepared.id : (await tx.contact.create({ data: { unitId: invite.unitId, role, name: invite.name, createdAt: input.now, updatedAt: input.now } })).id;
      await tx.contactChannel.create({ data: { contactId, channel: input.channel, externalId: input.externalId, createdAt: input.now } });
      return { contactId, name: invite.name, language: prepared?.language ?? "zh", moved: false };
    },
  });
}
