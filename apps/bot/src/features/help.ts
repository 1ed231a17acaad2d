import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { contactOf } from "../flows.ts";

export const help = new Composer<BotContext>();

help.command("help", async (ctx) => {
  const contact = contactOf(ctx);
  await ctx.reply(contact.role === "head" ? `${ctx.t("help")}\n\n${ctx.t("help-head")}` : ctx.t("help"));
});
