import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { contactOf } from "../flows.ts";

export const help = new Composer<BotContext>();

help.command("help", async (ctx) => {
  const contact = contactOf(ctx);
  const text = contact.role === "head" ? `${ctx.t("help")}\n\n${ctx.t("help-head")}` : ctx.t("help");
  // The step is left as it was: a file waiting for its task still waits, and is said to.
  const session = ctx.duban.sessions.get();
  const waiting = session?.step === "pending" ? session.pending.attachments.length : 0;
  await ctx.reply(waiting > 0 ? `${text}\n\n${ctx.t("files-waiting", { count: waiting })}` : text);
});
