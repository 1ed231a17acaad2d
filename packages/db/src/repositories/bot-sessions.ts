import type { Db } from "../client.ts";
import { driverSql, sql, type SqlRunner } from "../driver-sql.ts";

/**
 * The grammY session store (read, write, delete by key; the shape of grammY's StorageAdapter)
 * over the BotSession table, one statement each, values as JSON (what @grammyjs/storage-prisma
 * stored, so existing rows read the same). `updatedAt` is the wall clock, as Prisma's @updatedAt.
 * On every reply: through the client's driver adapter (see driver-sql.ts).
 */
export function botSessionStorage<T>(db: Db) {
  return {
    async read(key: string): Promise<T | undefined> {
      const rows = await (await driverSql(db)).query<{ value: string }>(sql`SELECT "value" FROM "BotSession" WHERE "key" = ${key}`);
      return rows[0]?.value ? (JSON.parse(rows[0].value) as T) : undefined;
    },
    async write(key: string, data: T): Promise<void> {
      await writeBotSession(await driverSql(db), key, data);
    },
    async delete(key: string): Promise<void> {
      await writeBotSession(await driverSql(db), key, undefined);
    },
  };
}

/**
 * Stores (or, for undefined, deletes) one session on a runner: on its own, or as one statement
 * of another write's transaction (a reply and the step it leads to, committed together).
 */
export async function writeBotSession(run: SqlRunner, key: string, data: unknown): Promise<void> {
  if (data === undefined) {
    await run.execute(sql`DELETE FROM "BotSession" WHERE "key" = ${key}`);
    return;
  }
  await run.execute(sql`
    INSERT INTO "BotSession" ("key", "value", "updatedAt") VALUES (${key}, ${JSON.stringify(data)}, ${new Date()})
    ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`);
}

/** Forgets chat sessions untouched since `before`. */
export async function forgetBotSessionsBefore(db: Db, before: Date): Promise<number> {
  const { count } = await db.botSession.deleteMany({ where: { updatedAt: { lt: before } } });
  return count;
}
