import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";

/** 24 random bytes = 192 bits, written base64url: 32 characters, all allowed in a /start parameter. */
const TOKEN_BYTES = 24;

export const inviteRoleSchema = z.enum(["liaison", "head"]);
export type InviteRole = z.infer<typeof inviteRoleSchema>;

/** What a deep-link start parameter may look like (Telegram allows A-Z a-z 0-9 _ -, up to 64). */
export const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export function newInviteToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/** Only this hash is stored: a leaked database does not leak usable invitations. */
export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function inviteLink(botUsername: string, token: string): string {
  return `https://t.me/${botUsername.replace(/^@/, "")}?start=${token}`;
}
