import type { MiddlewareFn } from "grammy";
import { findContactByTelegramUser } from "@duban/core/contact-queries";
import { markContactReachable } from "@duban/core/mark-contact-unreachable";
import type { BotContext } from "../context.ts";

/** Who is writing: their bound contact, or null for a stranger. Writing again ends "unreachable". */
export const loadContact: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.from && !ctx.from.is_bot) {
    const contact = await findContactByTelegramUser(ctx.duban.db, String(ctx.from.id));
    if (contact?.status === "blocked" && ctx.update.my_chat_member === undefined) {
      await markContactReachable(ctx.duban.db, { contactId: contact.id, now: ctx.duban.now });
      contact.status = "active";
    }
    ctx.duban.contact = contact;
  }
  await next();
};
