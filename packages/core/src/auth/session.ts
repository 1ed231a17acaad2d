import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@duban/db/client";

export const SESSION_COOKIE = "duban_session";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export type Role = "admin" | "staff" | "viewer";
export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  displayName: string | null;
}

/** The database stores only a hash of the cookie value, so a leaked table grants no session. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(db: Db, userId: number, now: Date, ip: string | null): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.session.create({ data: { id: sessionIdOf(token), userId, expiresAt, createdAt: now, ip } });
  return { token, expiresAt };
}

export async function resolveSession(db: Db, token: string | null | undefined, now: Date): Promise<SessionUser | null> {
  if (!token) return null;
  const session = await db.session.findUnique({ where: { id: sessionIdOf(token) }, include: { user: true } });
  if (!session || session.expiresAt <= now || session.user.disabled) return null;
  const { id, username, role, displayName } = session.user;
  return { id, username, role: role as Role, displayName };
}

export async function destroySession(db: Db, token: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionIdOf(token) } });
}
