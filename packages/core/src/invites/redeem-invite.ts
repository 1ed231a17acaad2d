import type { Db } from "@duban/db/client";
import { cancelWaitingReminders } from "@duban/db/repositories/reminder-outbox";
import { writeAudit } from "../audit.ts";
import { hashInviteToken, inviteTokenSchema, type InviteRole } from "./invite-token.ts";

export interface RedeemInviteInput {
  token: string;
  telegramUserId: string;
  telegramChatId: string;
  /** Display name from Telegram (first + last name, or @username). */
  telegramName: string | null;
  now: Date;
}

export type RedeemInviteResult =
  | {
      ok: true;
      contactId: number;
      unit: { id: number; name: string };
      role: InviteRole;
      name: string | null;
      language: string;
      /** The person was bound to another unit before and has moved. */
      moved: boolean;
      /** The same person opened the same link again: nothing changed. */
      already: boolean;
    }
  /** The reasons are for the log and the office; the person is told the same polite thing for all. */
  | { ok: false; reason: "invalid" | "used" | "expired" | "revoked" };

/**
 * Binds a Telegram user to the unit of a single-use invitation. One person belongs to one
 * unit: a second invitation for another unit moves them (their past replies stay with the
 * unit they answered for). A contact the office created beforehand with the invitation's name
 * and role is bound instead of creating a second one.
 */
export async function redeemInvite(db: Db, input: RedeemInviteInput): Promise<RedeemInviteResult> {
  if (!inviteTokenSchema.safeParse(input.token).success) return { ok: false, reason: "invalid" };
  const invite = await db.invite.findUnique({ where: { tokenHash: hashInviteToken(input.token) }, include: { unit: true } });
  if (!invite) return { ok: false, reason: "invalid" };
  const role: InviteRole = invite.role === "head" ? "head" : "liaison";

  if (invite.usedAt) {
    const contact = invite.usedBy ? await db.contact.findUnique({ where: { id: invite.usedBy } }) : null;
    if (contact && contact.telegramUserId === input.telegramUserId && contact.status !== "revoked" && contact.unitId === invite.unitId) {
      return { ok: true, contactId: contact.id, unit: { id: invite.unit.id, name: invite.unit.name }, role, name: contact.name, language: contact.language, moved: false, already: true };
    }
    return { ok: false, reason: "used" };
  }
  if (invite.revokedAt) return { ok: false, reason: "revoked" };
  if (invite.expiresAt.getTime() <= input.now.getTime()) return { ok: false, reason: "expired" };

  // The conditional update is the claim: of two people opening one link at once, one wins.
  // It is its own statement (not inside the binding transaction) so that the loser fails fast
  // instead of waiting on the winner's write lock.
  const claim = await db.invite.updateMany({
    where: { id: invite.id, usedAt: null, revokedAt: null, expiresAt: { gt: input.now } },
    data: { usedAt: input.now },
  });
  if (claim.count !== 1) return { ok: false, reason: "used" };
  try {
    return await bind(db, invite, role, input);
  } catch (error) {
    // Binding failed: the invitation was not used after all.
    await db.invite.updateMany({ where: { id: invite.id, usedBy: null }, data: { usedAt: null } });
    throw error;
  }
}

async function bind(
  db: Db,
  invite: { id: number; unitId: number; name: string | null; unit: { id: number; name: string } },
  role: InviteRole,
  input: RedeemInviteInput,
): Promise<RedeemInviteResult> {
  return db.$transaction(async (tx): Promise<RedeemInviteResult> => {
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
    await tx.invite.update({ where: { id: invite.id }, data: { usedBy: contactId } });
    // The channel directory (ContactChannel) lists the Telegram account too; the bot still reads Contact.telegram*.
    await tx.contactChannel.upsert({
      where: { channel_externalId: { channel: "telegram", externalId: input.telegramUserId } },
      create: { contactId, channel: "telegram", externalId: input.telegramUserId, createdAt: input.now },
      update: { contactId },
    });
    await writeAudit(tx, {
      actorType: "contact",
      actorId: contactId,
      action: "invite.redeem",
      entity: "Invite",
      entityId: invite.id,
      detail: { unit: invite.unit.name, role, moved, from: moved ? existing?.unit.name : undefined },
      at: input.now,
    });
    return { ok: true, contactId, unit: { id: invite.unit.id, name: invite.unit.name }, role, name, language, moved, already: false };
  });
}
