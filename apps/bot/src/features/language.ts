import { Composer } from "grammy";
import { setContactLanguage } from "@duban/core/units/contact-queries";
import type { BotContext, Language } from "../context.ts";
import { buttonsFor, contactOf } from "../flows.ts";
import { onAction } from "../middleware/callback-guard.ts";

/** /lang: Chinese (default) or English, stored on the contact so reminders follow it. */
export const language = new Composer<BotContext>();

async function setLanguage(ctx: BotContext, lang: Language): Promise<void> {
  const contact = contactOf(ctx);
  await setContactLanguage(ctx.duban.db, { contactId: contact.id, language: lang, now: ctx.duban.now });
  contact.language = lang;
  ctx.i18n.useLocale(lang);
  await ctx.reply(ctx.t("lang-set"));
}

language.command("lang", async (ctx) => {
  const wanted = ctx.match.trim().toLowerCase();
  if (wanted === "zh" || wanted === "en") {
    await setLanguage(ctx, wanted);
    return;
  }
  await ctx.reply(ctx.t("lang-choose"), {
    reply_markup: buttonsFor(ctx).list([
      { label: "中文", data: { action: "language", language: "zh" } },
      { label: "English", data: { action: "language", language: "en" } },
    ]),
  });
});

onAction(language, "language", async (ctx, data) => {
  await setLanguage(ctx, data.language);
});
