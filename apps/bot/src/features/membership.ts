import { Composer } from "grammy";
import { markContactReachable, markContactUnreachable } from "@duban/core/reminders/mark-contact-unreachable";
import type { BotContext } from "../context.ts";

/** Telegram tells the bot when a person blocks or unblocks it: the office sees who is unreachable. */
export const membership = new Composer<BotContext>();

membership.on("my_chat_member", async (ctx) => {
  const update = ctx.myChatMember;
  if (update.chat.type !== "private") return;
  const status = update.new_chat_member.status;
  if (status === "kicked" || status === "left") {
    await markContactUnreachable(ctx.duban.db, { telegramChatId: String(update.chat.id), reason: "blocked the bot", now: ctx.duban.now });
  } else if (status === "member" && ctx.duban.contact) {
    await markContactReachable(ctx.duban.db, { contactId: ctx.duban.contact.id, now: ctx.duban.now });
  }
});
