import type { Db } from "../client.ts";

/** The grammY session store (read, write, delete by key) over the BotSession table. */
export function botSessionStore(db: Db) {
  return db.botSession;
}

/** Forgets chat sessions untouched since `before`. */
export async function forgetBotSessionsBefore(db: Db, before: Date): Promise<number> {
  const { count } = await db.botSession.deleteMany({ where: { updatedAt: { lt: before } } });
  return count;
}
