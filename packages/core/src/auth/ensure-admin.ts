import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";
import { createUser } from "../users/create-user.ts";

/**
 * First start: creates the admin from ADMIN_USERNAME/ADMIN_PASSWORD when no admin exists yet.
 * An existing account is never touched, so changing the env later cannot reset a password.
 * Returns whether it created the account.
 */
export async function ensureAdmin(
  db: Db,
  username: string,
  password: string,
  now: Date,
): Promise<boolean> {
  const existingAdmin = await db.user.findFirst({ where: { role: "admin", disabled: false } });
  if (existingAdmin) return false;
  const taken = await db.user.findUnique({ where: { username: username.trim() } });
  if (taken) return false;
  const user = await createUser(db, { username, password, role: "admin", displayName: null, now, actor: null });
  await writeAudit(db, { actorType: "system", action: "user.bootstrap-admin", entity: "User", entityId: user.id, detail: { username: user.username }, at: now });
  return true;
}
