import { Composer } from "grammy";
import { findContactByTelegramUser } from "@duban/core/units/contact-queries";
import { redeemInvite } from "@duban/core/invites/redeem-invite";
import type { BotContext } from "../context.ts";

/** /start <token>: the invitation deep link binds the person to their unit. */
export const onboarding = new Composer<BotContext>();

onboarding.command("start", async (ctx) => {
  const token = ctx.match.trim();
  const { db, now, log } = ctx.duban;
  if (!token) {
    const contact = ctx.duban.contact;
    await ctx.reply(contact ? ctx.t("welcome-back", { unit: contact.unitName, role: ctx.t(`role-${contact.role}`) }) : ctx.t("stranger"));
    return;
  }
  const from = ctx.from!;
  const result = await redeemInvite(db, {
    token,
    telegramUserId: String(from.id),
    telegramChatId: String(ctx.chat.id),
    telegramName: [from.first_name, from.last_name].filter(Boolean).join(" ") || (from.username ? `@${from.username}` : null),
    now,
  });
  if (!result.ok) {
    // The reason goes to the log only: the person learns nothing about units or invitations.
    log.info({ from: from.id, reason: result.reason }, "invitation refused");
    await ctx.reply(ctx.t("invite-invalid"));
    return;
  }
  log.info({ from: from.id, contactId: result.contactId, unit: result.unit.name, moved: result.moved }, "invitation redeemed");
  ctx.duban.contact = await findContactByTelegramUser(db, String(from.id));
  ctx.duban.sessions.clear();
  ctx.i18n.useLocale(result.language === "en" ? "en" : "zh");
  const vars = {
    greeting: result.name ? ctx.t("greeting-named", { name: result.name }) : ctx.t("greeting"),
    unit: result.unit.name,
    role: ctx.t(`role-${result.role}`),
  };
  await ctx.reply(ctx.t(result.already ? "welcome-already" : result.moved ? "welcome-moved" : "welcome", vars));
});
