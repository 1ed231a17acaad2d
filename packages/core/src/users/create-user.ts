import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";
import { hashPassword } from "../auth/password.ts";
import { createUserInput } from "./schemas.ts";

export class UserError extends Error {
  constructor(
    readonly code: "username-taken" | "not-found" | "last-admin" | "self",
    message: string,
  ) {
    super(message);
  }
}

/** `actor` is the office user doing it (null from the CLI or the env bootstrap). */
export async function createUser(
  db: Db,
  input: { username: string; password: string; role: "admin" | "staff" | "viewer"; displayName?: string | null; now: Date; actor: number | null },
): Promise<{ id: number; username: string; role: string; displayName: string | null }> {
  const parsed = createUserInput.parse(input);
  const existing = await db.user.findUnique({ where: { username: parsed.username } });
  if (existing) throw new UserError("username-taken", `用户名 ${parsed.username} 已存在`);
  const passwordHash = await hashPassword(parsed.password);
  const user = await db.user.create({
    data: { username: parsed.username, passwordHash, role: parsed.role, displayName: parsed.displayName ?? null, createdAt: input.now },
  });
  if (input.actor !== null) {
    await writeAudit(db, {
      actorType: "user",
      actorId: input.actor,
      action: "user.create",
      entity: "User",
      entityId: user.id,
      detail: { username: user.username, role: user.role },
      at: input.now,
    });
  }
  return { id: user.id, username: user.username, role: user.role, displayName: user.displayName };
}
