import { z } from "zod";
import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";
import { hashInviteToken, inviteLink, inviteRoleSchema, newInviteToken, type InviteRole } from "./invite-token.ts";

export const DEFAULT_INVITE_DAYS = 14;

/** Shared by the CLI (`invite create`), the console's router and the tests. */
export const createInviteInputSchema = z
  .object({
    unitId: z.number().int().positive().optional(),
    unitName: z.string().trim().min(1).optional(),
    role: inviteRoleSchema.default("liaison"),
    name: z.string().trim().max(50).nullish(),
    expiresInDays: z.number().int().min(1).max(90).default(DEFAULT_INVITE_DAYS),
  })
  .refine((v) => v.unitId !== undefined || v.unitName !== undefined, { message: "unitId or unitName is required", path: ["unitName"] });

export type CreateInviteInput = z.input<typeof createInviteInputSchema> & {
  /** The bot's @username, for the Telegram deep link; without it (a member joins on 企业微信 …) there is no link. */
  botUsername: string | null;
  now: Date;
  actor?: { actorType: "user" | "system"; actorId?: number | string | null };
};

export interface CreatedInvite {
  inviteId: number;
  /** Shown once; only its hash is stored. */
  token: string;
  /** Telegram's deep link (null without a bot); other channels bind with `bindCommand(token)`. */
  link: string | null;
  expiresAt: Date;
  unit: { id: number; name: string };
  role: InviteRole;
  name: string | null;
}

export class InviteError extends Error {
  constructor(
    readonly code: "unit-not-found" | "not-found" | "collective-unit",
    message: string,
    /** Unit names close to the one asked for, to help the operator. */
    readonly suggestions: string[] = [],
  ) {
    super(message);
  }
}

/**
 * Creates a single-use deep-link invitation binding whoever opens it to the unit as a
 * liaison (联络员) or head (一把手). The token is random (192 bits) and only its sha256 is kept.
 */
export async function createInvite(db: Db, input: CreateInviteInput): Promise<CreatedInvite> {
  const parsed = createInviteInputSchema.parse(input);
  const unit = parsed.unitId !== undefined
    ? await db.unit.findUnique({ where: { id: parsed.unitId } })
    : await db.unit.findUnique({ where: { name: parsed.unitName! } });
  if (!unit) {
    const wanted = parsed.unitName ?? String(parsed.unitId);
    const all = await db.unit.findMany({ select: { name: true }, orderBy: { id: "asc" } });
    const suggestions = all.map((u) => u.name).filter((n) => n.includes(wanted) || wanted.includes(n) || [...wanted].filter((ch) => n.includes(ch)).length >= Math.min(3, wanted.length));
    throw new InviteError("unit-not-found", `找不到单位“${wanted}”`, suggestions.slice(0, 5));
  }
  if (unit.collective) {
    // A collective (联席会议成员单位) is answered by its member units, each through its own liaison.
    throw new InviteError("collective-unit", `“${unit.name}”是成员单位的统称，请分别邀请各成员单位的联络员`);
  }
  const token = newInviteToken();
  const expiresAt = new Date(input.now.getTime() + parsed.expiresInDays * 24 * 3600 * 1000);
  const name = parsed.name?.trim() || null;
  const invite = await db.$transaction(async (tx) => {
    const row = await tx.invite.create({
      data: {
        tokenHash: hashInviteToken(token),
        unitId: unit.id,
        role: parsed.role,
        name,
        expiresAt,
        createdById: input.actor?.actorType === "user" && input.actor.actorId != null ? Number(input.actor.actorId) : null,
        createdAt: input.now,
      },
    });
    await writeAudit(tx, {
      actorType: input.actor?.actorType ?? "system",
      actorId: input.actor?.actorId ?? null,
      action: "invite.create",
      entity: "Invite",
      entityId: row.id,
      detail: { unit: unit.name, role: parsed.role, name, expiresAt },
      at: input.now,
    });
    return row;
  });
  return { inviteId: invite.id, token, link: input.botUsername ? inviteLink(input.botUsername, token) : null, expiresAt, unit: { id: unit.id, name: unit.name }, role: parsed.role, name };
}
