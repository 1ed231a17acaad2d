import { Composer } from "grammy";
import type { Message } from "grammy/types";
import { acknowledgeRound } from "@duban/core/reminders/acknowledge-reminder";
import { remindersOfMessage } from "@duban/core/units/contact-queries";
import type { AttachmentInput } from "@duban/core/submissions/record-status";
import type { BotContext } from "../context.ts";
import { addDetails, contactOf, handleReply, submitExtension } from "../flows.ts";
import type { ReplyTarget } from "../reply-sessions.ts";

/**
 * Text, photos and files. In order: a reply to a reminder is filed under that reminder's task
 * and round; otherwise it continues the step the bot asked for (progress, details, the reason
 * for an extension); otherwise it is read on its own.
 */
export const replies = new Composer<BotContext>();

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
  const { db, now } = ctx.duban;
  const replied = message.reply_to_message;
  // What the message replied to carried: one reminder, or several (a digest), with the tasks'
  // indicators; one statement.
  const carried = replied ? await remindersOfMessage(db, { chatId: String(message.chat.id), messageId: String(replied.message_id) }) : [];
  const own = carried.filter((r) => r.unitId === contact.unitId);
  const reminder = carried.length === 1 && own.length === 1 && own[0]!.taskId !== null ? own[0]! : null;
  // The bot asked which task, round or status of an earlier message: what it said waits, and
  // joins this message whatever it is (files are never dropped for the next message).
  const session = ctx.duban.sessions.get();
  const waiting = session?.step === "pending" ? session : null;
  const files = attachment ? [attachment] : [];
  if (reminder) {
    // A reply to a reminder is filed under its task and round. It is 签收 too: a recorded reply
    // acknowledges in its own transaction, anything else ("收到", a question back) here.
    const target: ReplyTarget = { taskId: reminder.taskId!, roundId: reminder.roundId, reminderId: reminder.reminderId };
    const recorded = await handleReply(ctx, text, files, target, { indicators: reminder.indicators, waiting });
    if (!recorded) await acknowledgeRound(db, { reminderId: reminder.reminderId, roundId: reminder.roundId, unitId: reminder.unitId, contactId: contact.id, now });
    return;
  }
  // A reply to a digest is an answer about one of its tasks: asked among those.
  const digestTasks = own.length > 1 ? [...new Set(own.flatMap((r) => (r.taskId !== null ? [r.taskId] : [])))] : [];
  if (digestTasks.length > 0) {
    await handleReply(ctx, text, files, null, { among: digestTasks, waiting });
    return;
  }
  if (session?.step === "progress" || session?.step === "details") {
    await addDetails(ctx, session, { text, ...(attachment ? { attachment } : {}) });
    return;
  }
  if (session?.step === "extension-reason") {
    if (attachment) {
      // A reason is text; the file is not dropped for that: it is filed with the task the
      // extension was for (status asked as for any file), and no request is sent without words.
      await ctx.reply(ctx.t("extension-file-kept"));
      await handleReply(ctx, text, files, { taskId: session.taskId, roundId: session.roundId, reminderId: null });
      return;
    }
    await submitExtension(ctx, session, text);
    return;
  }
  await handleReply(ctx, text, files, null, { waiting });
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
