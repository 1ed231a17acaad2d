import type { Db, Prisma } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";
import { hashInviteToken, inviteTokenSchema, type InviteRole } from "./invite-token.ts";

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

export interface ClaimedInvite {
  id: number;
  unitId: number;
  name: string | null;
  unit: { id: number; name: string };
}

/** What binding the account did, inside the claim's transaction. */
export interface BoundAccount {
  contactId: number;
  name: string | null;
  language: string;
  moved: boolean;
  /** The unit the person came from, when moved. */
  from?: string | undefined;
}

export interface ClaimInviteInput {
  token: string;
  now: Date;
  /** For the audit row; absent for Telegram, whose rows stay as they were. */
  channel?: string;
  /** The contact this account already belongs to, if any (to tell "opened again" from "used by another"). */
  accountContact(db: Db): Promise<{ id: number; unitId: number; status: string; name: string | null; language: string } | null>;
  /** Binds the account to the invitation's unit and role; runs in the claim's transaction. */
  bind(tx: Prisma.TransactionClient, invite: ClaimedInvite, role: InviteRole): Promise<BoundAccount>;
}

/**
 * The invitation rules every channel shares: single use, expiring, revocable; the same person
 * opening it again is told it worked. The conditional update is the claim: of two people
 * opening one invitation at once, one wins. It is its own statement (not inside the binding
 * transaction) so that the loser fails fast instead of waiting on the winner's write lock; a
 * binding that fails gives the invitation back. How an account is bound is the channel's
 * (`redeemInvite` for Telegram, `redeemChannelInvite` for the others).
 */
export async function claimInvite(db: Db, input: ClaimInviteInput): Promise<RedeemInviteResult> {
  if (!inviteTokenSchema.safeParse(input.token).success) return { ok: false, reason: "invalid" };
  const invite = await db.invite.findUnique({ where: { tokenHash: hashInviteToken(input.token) }, include: { unit: true } });
  if (!invite) return { ok: false, reason: "invalid" };
  const role: InviteRole = invite.role === "head" ? "head" : "liaison";
  const unit = { id: invite.unit.id, name: invite.unit.name };

  if (invite.usedAt) {
    const contact = await input.accountContact(db);
    if (contact && contact.id === invite.usedBy && contact.status !== "revoked" && contact.unitId === invite.unitId) {
      return { ok: true, contactId: contact.id, unit, role, name: contact.name, language: contact.language, moved: false, already: true };
    }
    return { ok: false, reason: "used" };
  }
  if (invite.revokedAt) return { ok: false, reason: "revoked" };
  if (invite.expiresAt.getTime() <= input.now.getTime()) return { ok: false, reason: "expired" };

  const claim = await db.invite.updateMany({
    where: { id: invite.id, usedAt: null, revokedAt: null, expiresAt: { gt: input.now } },
    data: { usedAt: input.now },
  });
  if (claim.count !== 1) return { ok: false, reason: "used" };
  try {
    return await db.$transaction(async (tx): Promise<RedeemInviteResult> => {
      const bound = await input.bind(tx, { id: invite.id, unitId: invite.unitId, name: invite.name, unit }, role);
      await tx.invite.update({ where: { id: invite.id }, data: { usedBy: bound.contactId } });
      await writeAudit(tx, {
        actorType: "contact",
        actorId: bound.contactId,
        action: "invite.redeem",
        entity: "Invite",
        entityId: invite.id,
        detail: { unit: unit.name, role, ...(input.channel ? { channel: input.channel } : {}), moved: bound.moved, from: bound.moved ? bound.from : undefined },
        at: input.now,
      });
      return { ok: true, contactId: bound.contactId, unit, role, name: bound.name, language: bound.language, moved: bound.moved, already: false };
    });
  } catch (error) {
    // Binding failed: the invitation was not used after all.
    await db.invite.updateMany({ where: { id: invite.id, usedBy: null }, data: { usedAt: null } });
    throw error;
  }
}
