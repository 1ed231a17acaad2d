import type { Db } from "@duban/db/client";
import { cancelWaitingReminders } from "@duban/db/repositories/reminder-outbox";
import { writeAudit } from "../audit.ts";
import type { Channel } from "../messenger.ts";
import { hashInviteToken, inviteTokenSchema, type InviteRole } from "./invite-token.ts";
import type { RedeemInviteResult } from "./redeem-invite.ts";

export interface RedeemChannelInviteInput {
  token: string;
  /** A channel other than Telegram (Telegram binds through `redeemInvite`, which keeps Contact.telegram*). */
  channel: Exclude<Channel, "telegram">;
  /** The account on that channel: 企业微信 userid, 钉钉 userId, 飞书 open_id. */
  externalId: string;
  now: Date;
}

/** "绑定 <token>" (or "bind <token>"), as the liaison sends it to the app: the token, else null. */
export function inviteTokenInText(text: string): string | null {
  const match = /^\s*(?:绑定|bind)\s*[:：]?\s*(\S+)\s*$/i.exec(text);
  return match && inviteTokenSchema.safeParse(match[1]).success ? match[1]! : null;
}

/**
 * Binds a channel account to the unit of a single-use invitation, with the same rules as
 * Telegram's (`redeemInvite`): single use, expiring, revocable; one account belongs to one
 * unit (a second invitation moves it); a contact the office prepared with the invitation's
 * name and role, not yet reachable anywhere, is bound instead of creating a second one.
 */
export async function redeemChannelInvite(db: Db, input: RedeemChannelInviteInput): Promise<RedeemInviteResult> {
  if (!inviteTokenSchema.safeParse(input.token).success) return { ok: false, reason: "invalid" };
  const invite = await db.invite.findUnique({ where: { tokenHash: hashInviteToken(input.token) }, include: { unit: true } });
  if (!invite) return { ok: false, reason: "invalid" };
  const role: InviteRole = invite.role === "head" ? "head" : "liaison";
  const account = { channel_externalId: { channel: input.channel, externalId: input.externalId } };

  if (invite.usedAt) {
    const bound = await db.contactChannel.findUnique({ where: account, include: { contact: true } });
    const contact = bound?.contact;
    if (contact && contact.id === invite.usedBy && contact.status !== "revoked" && contact.unitId === invite.unitId) {
      return { ok: true, contactId: contact.id, unit: { id: invite.unit.id, name: invite.unit.name }, role, name: contact.name, language: contact.language, moved: false, already: true };
    }
    return { ok: false, reason: "used" };
  }
  if (invite.revokedAt) return { ok: false, reason: "revoked" };
  if (invite.expiresAt.getTime() <= input.now.getTime()) return { ok: false, reason: "expired" };

  // The conditional update is the claim, in its own statement, as in redeemInvite.
  const claim = await db.invite.updateMany({
    where: { id: invite.id, usedAt: null, revokedAt: null, expiresAt: { gt: input.now } },
    data: { usedAt: input.now },
  });
  if (claim.count !== 1) return { ok: false, reason: "used" };
  try {
    return await db.$transaction(async (tx): Promise<RedeemInviteResult> => {
      const existing = await tx.contactChannel.findUnique({ where: account, include: { contact: { include: { unit: true } } } });
      let contactId: number;
      let moved = false;
      let name = invite.name;
      let language = "zh";
      if (existing) {
        const contact = existing.contact;
        moved = contact.unitId !== invite.unitId;
        name = invite.name ?? contact.name;
        language = contact.language;
        await tx.contact.update({ where: { id: contact.id }, data: { unitId: invite.unitId, role, name, status: "active", unreachableAt: null, updatedAt: input.now } });
        if (moved || contact.role !== role) await cancelWaitingReminders(tx, { contactId: contact.id }, "contact moved to another unit or role");
        contactId = contact.id;
      } else {
        const prepared = invite.name
          ? await tx.contact.findFirst({ where: { unitId: invite.unitId, role, name: invite.name, telegramUserId: null, channels: { none: {} }, status: { not: "revoked" } } })
          : null;
        if (prepared) {
          contactId = prepared.id;
          language = prepared.language;
        } else {
          contactId = (await tx.contact.create({ data: { unitId: invite.unitId, role, name, createdAt: input.now, updatedAt: input.now } })).id;
        }
        await tx.contactChannel.create({ data: { contactId, channel: input.channel, externalId: input.externalId, createdAt: input.now } });
      }
      await tx.invite.update({ where: { id: invite.id }, data: { usedBy: contactId } });
      await writeAudit(tx, {
        actorType: "contact",
        actorId: contactId,
        action: "invite.redeem",
        entity: "Invite",
        entityId: invite.id,
        detail: { unit: invite.unit.name, role, channel: input.channel, moved, from: moved ? existing?.contact.unit.name : undefined },
        at: input.now,
      });
      return { ok: true, contactId, unit: { id: invite.unit.id, name: invite.unit.name }, role, name, language, moved, already: false };
    });
  } catch (error) {
    await db.invite.updateMany({ where: { id: invite.id, usedBy: null }, data: { usedAt: null } });
    throw error;
  }
}
