import type { MiddlewareFn } from "grammy";
import type { Db } from "@duban/db/client";
import { findWriterOfNewUpdate } from "@duban/core/units/contact-queries";
import { forgetUpdatesBefore, markUpdateHandled } from "@duban/db/repositories/processed-updates";
import type { BotContext } from "../context.ts";
import { chatSessionKey } from "./chat-session.ts";

/** How long handled update ids are kept; Telegram never redelivers an update that old. */
export const PROCESSED_UPDATE_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * At most once: the update id is stored before the update is handled, and an id already
 * stored (Telegram redelivering after a timeout, a second instance polling) is skipped.
 * The price is that an update whose handling crashes is not retried — the liaison sees the
 * error message and can send again; nothing is ever recorded twice.
 * An update from a person also reads who is writing, with their chat's session, in the same
 * statement (`ctx.duban.writer`, used by loadContact).
 */
export const dedupeUpdates: MiddlewareFn<BotContext> = async (ctx, next) => {
  // Telegram's ids are positive safe integers; anything else was not sent by Telegram.
  if (!Number.isSafeInteger(ctx.update.update_id) || ctx.update.update_id < 0) {
    ctx.duban.log.warn({ updateId: String(ctx.update.update_id).slice(0, 40) }, "update without a valid update_id skipped");
    return;
  }
  const from = ctx.from && !ctx.from.is_bot ? ctx.from : null;
  let fresh: boolean;
  if (from) {
    const sessionKey = chatSessionKey(ctx) ?? null;
    const writer = await findWriterOfNewUpdate(ctx.duban.db, { updateId: ctx.update.update_id, at: ctx.duban.now, telegramUserId: String(from.id), sessionKey });
    fresh = writer !== null;
    if (writer) ctx.duban.writer = { ...writer, sessionKey };
  } else {
    fresh = await markUpdateHandled(ctx.duban.db, ctx.update.update_id, ctx.duban.now);
  }
  if (!fresh) {
    ctx.duban.log.info({ updateId: ctx.update.update_id }, "duplicate update skipped");
    return;
  }
  await next();
};

export function pruneProcessedUpdates(db: Db, now: Date): Promise<number> {
  return forgetUpdatesBefore(db, new Date(now.getTime() - PROCESSED_UPDATE_RETENTION_MS));
}
