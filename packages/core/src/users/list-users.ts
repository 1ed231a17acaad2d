import type { Db } from "@duban/db/client";

export async function listUsers(db: Db) {
  const users = await db.user.findMany({ orderBy: { id: "asc" } });
  return users.map(({ id, username, displayName, role, disabled, createdAt }) => ({ id, username, displayName, role, disabled, createdAt }));
}
