import type { MiddlewareFn } from "grammy";
import type { Db } from "@duban/db/client";
import { isUniqueViolation } from "@duban/core/prisma-errors";
import type { BotContext } from "../context.ts";

/** How long handled update ids are kept; Telegram never redelivers an update that old. */
export const PROCESSED_UPDATE_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * At most once: the update id is stored before the update is handled, and an id already
 * stored (Telegram redelivering after a timeout, a second instance polling) is skipped.
 * The price is that an update whose handling crashes is not retried — the liaison sees the
 * error message and can send again; nothing is ever recorded twice.
 */
export const dedupeUpdates: MiddlewareFn<BotContext> = async (ctx, next) => {
  try {
    await ctx.duban.db.processedUpdate.create({ data: { updateId: BigInt(ctx.update.update_id), at: ctx.duban.now } });
  } catch (error) {
    if (isUniqueViolation(error)) {
      ctx.duban.log.info({ updateId: ctx.update.update_id }, "duplicate update skipped");
      return;
    }
    throw error;
  }
  await next();
};

export async function pruneProcessedUpdates(db: Db, now: Date): Promise<number> {
  const { count } = await db.processedUpdate.deleteMany({ where: { at: { lt: new Date(now.getTime() - PROCESSED_UPDATE_RETENTION_MS) } } });
  return count;
}
