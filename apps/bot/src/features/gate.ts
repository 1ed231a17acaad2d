import { Composer } from "grammy";
import type { BotContext } from "../context.ts";

/**
 * Strangers (no invitation redeemed, or revoked) get one polite sentence and nothing else:
 * no task, unit or plan is ever shown to them.
 */
export const gate = new Composer<BotContext>();

gate.use(async (ctx, next) => {
  if (ctx.duban.contact) return next();
  ctx.duban.log.info({ from: ctx.from?.id }, "stranger refused");
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: ctx.t("stranger"), show_alert: true });
    return;
  }
  if (ctx.message) await ctx.reply(ctx.t("stranger"));
});
