import type { Composer, MiddlewareFn } from "grammy";
import { decodeCallbackData, type CallbackAction } from "../callback-data.ts";
import type { BotContext } from "../context.ts";

/**
 * Every button press passes here: a payload that is malformed or not signed by this bot, or
 * that was made for another contact, does nothing — the person is told so, and it is logged.
 */
export const callbackGuard: MiddlewareFn<BotContext> = async (ctx, next) => {
  const query = ctx.callbackQuery;
  if (!query) return next();
  const data = decodeCallbackData(query.data, ctx.duban.callbackSecret);
  if (!data) {
    ctx.duban.log.warn({ from: ctx.from?.id, data: query.data?.slice(0, 64) }, "invalid callback data refused");
    await ctx.answerCallbackQuery({ text: ctx.t("callback-invalid"), show_alert: true });
    return;
  }
  if (data.contactId !== ctx.duban.contact?.id) {
    ctx.duban.log.warn({ from: ctx.from?.id, contactId: ctx.duban.contact?.id, boundTo: data.contactId }, "foreign callback data refused");
    await ctx.answerCallbackQuery({ text: ctx.t("callback-foreign"), show_alert: true });
    return;
  }
  ctx.duban.callback = data;
  await next();
};

const answered = new WeakSet<BotContext>();

/** Answers the callback query once (a second answer is an error at Telegram). */
export async function answerOnce(ctx: BotContext, text?: string): Promise<void> {
  if (answered.has(ctx)) return;
  answered.add(ctx);
  await ctx.answerCallbackQuery(text ? { text } : undefined);
}

/**
 * Handles one button action. The handler may answer early with a toast (answerOnce) or return
 * one; the callback query is always answered so the button stops spinning.
 */
export function onAction<A extends CallbackAction["action"]>(
  composer: Composer<BotContext>,
  action: A,
  handler: (ctx: BotContext, data: Extract<CallbackAction, { action: A }>) => Promise<string | void>,
): void {
  composer.on("callback_query:data", async (ctx, next) => {
    const data = ctx.duban.callback;
    if (data?.action !== action) return next();
    const toast = await handler(ctx, data as Extract<CallbackAction, { action: A }>);
    await answerOnce(ctx, toast || undefined);
  });
}
