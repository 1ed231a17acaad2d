import { Composer } from "grammy";
import { NoticeError, recordNoticeReceipt } from "@duban/core/notices/notices";
import type { BotContext } from "../context.ts";
import { buttonsFor, contactOf } from "../flows.ts";
import { onAction } from "../middleware/callback-guard.ts";

/** 收到 under a 通知: records the receipt (签收) once and turns the button into 已签收. */
export const notices = new Composer<BotContext>();

onAction(notices, "notice-receipt", async (ctx, data) => {
  let recorded: boolean;
  try {
    ({ recorded } = await recordNoticeReceipt(ctx.duban.db, { noticeId: data.noticeId, contactId: contactOf(ctx).id, now: ctx.duban.now }));
  } catch (error) {
    if (error instanceof NoticeError) return ctx.t("notice-not-yours");
    throw error;
  }
  // The message may be too old to edit, or already show 已签收: the receipt is what counts.
  await ctx.editMessageReplyMarkup({ reply_markup: buttonsFor(ctx).noticeReceipt(data.noticeId, true) }).catch((error: unknown) => {
    ctx.duban.log.debug({ err: error }, "notice button not updated");
  });
  return ctx.t(recorded ? "notice-signed" : "notice-signed-already");
});
