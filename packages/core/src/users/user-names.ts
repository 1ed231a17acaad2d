import type { Db } from "@duban/db/client";

/** How office users are named on screen: their display name, else their username. */
export async function userNames(db: Db, ids: Iterable<number | null | undefined>): Promise<Map<number, string>> {
  const wanted = [...new Set([...ids].filter((id): id is number => typeof id === "number" && Number.isInteger(id)))];
  if (wanted.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, username: true, displayName: true } });
  return new Map(users.map((u) => [u.id, u.displayName ?? u.username]));
}
