import type { MiddlewareFn } from "grammy";
import { findWriter } from "@duban/core/units/contact-queries";
import { markContactReachable } from "@duban/core/reminders/mark-contact-unreachable";
import type { BotContext } from "../context.ts";
import { chatSessionKey } from "./chat-session.ts";

/**
 * Who is writing: their bound contact, or null for a stranger. Writing again ends "unreachable".
 * The chat's session row is read in the same statement (the session middleware uses it); both
 * were usually read already with the update's dedupe (`ctx.duban.writer`).
 */
export const loadContact: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.from && !ctx.from.is_bot) {
    const sessionKey = chatSessionKey(ctx) ?? null;
    const read = ctx.duban.writer?.sessionKey === sessionKey ? ctx.duban.writer : null;
    const { contact, session } = read ?? (await findWriter(ctx.duban.db, { telegramUserId: String(ctx.from.id), sessionKey }));
    if (contact?.status === "blocked" && ctx.update.my_chat_member === undefined) {
      await markContactReachable(ctx.duban.db, { contactId: contact.id, now: ctx.duban.now });
      contact.status = "active";
    }
    ctx.duban.contact = contact;
    if (sessionKey !== null && session !== undefined) ctx.duban.storedSession = { key: sessionKey, value: session };
  }
  await next();
};
