import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";
import { hashPassword } from "../auth/password.ts";
import { UserError } from "./create-user.ts";
import { resetPasswordInput, updateUserInput } from "./schemas.ts";

async function assertAnotherAdminRemains(db: Db, userId: number): Promise<void> {
  const others = await db.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
  if (others === 0) throw new UserError("last-admin", "至少需要保留一个启用的管理员");
}

/** Role, display name, disabled. Disabling a user ends their sessions. */
export async function updateUser(
  db: Db,
  input: { id: number; role?: "admin" | "staff" | "viewer"; displayName?: string | null; disabled?: boolean; now: Date; actor: number },
): Promise<void> {
  const parsed = updateUserInput.parse(input);
  const user = await db.user.findUnique({ where: { id: parsed.id } });
  if (!user) throw new UserError("not-found", "用户不存在");
  const losesAdmin = user.role === "admin" && ((parsed.role && parsed.role !== "admin") || parsed.disabled === true);
  if (losesAdmin) await assertAnotherAdminRemains(db, user.id);

  const data: { role?: string; displayName?: string | null; disabled?: boolean } = {};
  if (parsed.role !== undefined) data.role = parsed.role;
  if (parsed.displayName !== undefined) data.displayName = parsed.displayName ?? null;
  if (parsed.disabled !== undefined) data.disabled = parsed.disabled;
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data });
    if (data.disabled || (data.role && data.role !== user.role)) await tx.session.deleteMany({ where: { userId: user.id } });
    await writeAudit(tx, {
      actorType: "user",
      actorId: input.actor,
      action: "user.update",
      entity: "User",
      entityId: user.id,
      detail: { username: user.username, before: { role: user.role, displayName: user.displayName, disabled: user.disabled }, after: data },
      at: input.now,
    });
  });
}

/** Sets a new password and signs the user out everywhere. */
export async function resetPassword(db: Db, input: { id: number; password: string; now: Date; actor: number }): Promise<void> {
  const parsed = resetPasswordInput.parse(input);
  const user = await db.user.findUnique({ where: { id: parsed.id } });
  if (!user) throw new UserError("not-found", "用户不存在");
  const passwordHash = await hashPassword(parsed.password);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await writeAudit(tx, {
      actorType: "user",
      actorId: input.actor,
      action: "user.reset-password",
      entity: "User",
      entityId: user.id,
      detail: { username: user.username },
      at: input.now,
    });
  });
}
