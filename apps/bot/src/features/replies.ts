import { Composer } from "grammy";
import type { Message } from "grammy/types";
import { acknowledgeReminder } from "@duban/core/acknowledge-reminder";
import { findReminderByMessage, tasksOfDigestMessage } from "@duban/core/contact-queries";
import type { AttachmentInput } from "@duban/core/record-status";
import type { BotContext } from "../context.ts";
import { addDetails, clearSession, contactOf, handleReply, submitExtension } from "../flows.ts";
import type { ReplyTarget } from "../reply-sessions.ts";

/**
 * Text, photos and files. In order: a reply to a reminder is filed under that reminder's task
 * and round; otherwise it continues the step the bot asked for (progress, details, the reason
 * for an extension); otherwise it is read on its own.
 */
export const replies = new Composer<BotContext>();

/** The reminder a message replies to, when it is one of this unit's reminders about a round. */
async function replyTarget(ctx: BotContext, message: Message): Promise<ReplyTarget | null> {
  const replied = message.reply_to_message;
  if (!replied) return null;
  const contact = contactOf(ctx);
  const reminder = await findReminderByMessage(ctx.duban.db, { chatId: String(message.chat.id), messageId: String(replied.message_id) });
  if (!reminder || reminder.unitId !== contact.unitId || reminder.taskId === null) return null;
  await acknowledgeReminder(ctx.duban.db, { reminderId: reminder.reminderId, contactId: contact.id, now: ctx.duban.now });
  return { taskId: reminder.taskId, roundId: reminder.roundId, reminderId: reminder.reminderId };
}

function attachmentOf(message: Message): AttachmentInput | null {
  if (message.photo && message.photo.length > 0) {
    // Telegram sends several sizes; the last is the largest.
    const photo = message.photo[message.photo.length - 1]!;
    return { kind: "photo", telegramFileId: photo.file_id, fileName: null, mimeType: "image/jpeg", size: photo.file_size ?? null };
  }
  if (message.document) {
    const d = message.document;
    return { kind: "document", telegramFileId: d.file_id, fileName: d.file_name ?? null, mimeType: d.mime_type ?? null, size: d.file_size ?? null };
  }
  return null;
}

async function handleMessage(ctx: BotContext, message: Message, text: string, attachment: AttachmentInput | null): Promise<void> {
  const contact = contactOf(ctx);
  const target = await replyTarget(ctx, message);
  if (target) {
    clearSession(ctx);
    await handleReply(ctx, text, attachment ? [attachment] : [], target);
    return;
  }
  // A reply to a digest is an answer about one of its tasks: asked among those.
  const digestTasks = message.reply_to_message
    ? await tasksOfDigestMessage(ctx.duban.db, { chatId: String(message.chat.id), messageId: String(message.reply_to_message.message_id), unitId: contact.unitId })
    : [];
  if (digestTasks.length > 0) {
    clearSession(ctx);
    await handleReply(ctx, text, attachment ? [attachment] : [], null, digestTasks);
    return;
  }
  const session = ctx.duban.sessions.get();
  if (session?.step === "progress" || session?.step === "details") {
    await addDetails(ctx, session, { text, ...(attachment ? { attachment } : {}) });
    return;
  }
  if (session?.step === "extension-reason") {
    if (attachment && !text.trim()) {
      await ctx.reply(ctx.t("ask-extension-text"));
      return;
    }
    await submitExtension(ctx, session, text);
    return;
  }
  clearSession(ctx);
  await handleReply(ctx, text, attachment ? [attachment] : [], null);
}

replies.on("message:text", async (ctx) => {
  if (ctx.message.text.startsWith("/")) {
    // A command this bot does not know.
    await ctx.reply(ctx.t("help"));
    return;
  }
  await handleMessage(ctx, ctx.message, ctx.message.text, null);
});

replies.on(["message:photo", "message:document"], async (ctx) => {
  await handleMessage(ctx, ctx.message, ctx.message.caption ?? "", attachmentOf(ctx.message));
});

replies.on("message", async (ctx) => {
  await ctx.reply(ctx.t("unclear-empty"));
});
