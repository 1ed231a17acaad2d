import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";
import { InviteError } from "./create-invite.ts";

/** Withdraws an unused invitation; a used one stays for the record (revoke the contact instead). */
export async function revokeInvite(
  db: Db,
  input: { inviteId: number; now: Date; actor?: { actorType: "user" | "system"; actorId?: number | string | null } },
): Promise<{ revoked: boolean }> {
  const invite = await db.invite.findUnique({ where: { id: input.inviteId } });
  if (!invite) throw new InviteError("not-found", "邀请不存在");
  const { count } = await db.invite.updateMany({ where: { id: invite.id, usedAt: null, revokedAt: null }, data: { revokedAt: input.now } });
  if (count === 1) {
    await writeAudit(db, {
      actorType: input.actor?.actorType ?? "system",
      actorId: input.actor?.actorId ?? null,
      action: "invite.revoke",
      entity: "Invite",
      entityId: invite.id,
      at: input.now,
    });
  }
  return { revoked: count === 1 };
}
