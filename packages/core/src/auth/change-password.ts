import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";
import { passwordSchema } from "../users/schemas.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { sessionIdOf } from "./session.ts";

/** A signed-in user changes their own password; other sessions of that user end. */
export async function changeOwnPassword(
  db: Db,
  input: { userId: number; currentPassword: string; newPassword: string; keepSessionToken: string | null; now: Date },
): Promise<{ ok: boolean }> {
  const newPassword = passwordSchema.parse(input.newPassword);
  const user = await db.user.findUnique({ where: { id: input.userId } });
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) return { ok: false };
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: user.id, ...(input.keepSessionToken ? { id: { not: sessionIdOf(input.keepSessionToken) } } : {}) } });
    await writeAudit(tx, { actorType: "user", actorId: user.id, action: "auth.change-password", entity: "User", entityId: user.id, at: input.now });
  });
  return { ok: true };
}
