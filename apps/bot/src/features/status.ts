import { Composer } from "grammy";
import { ReminderAccessError } from "@duban/core/reminders/acknowledge-reminder";
import { roundForUnit } from "@duban/core/units/contact-queries";
import { snoozeReminder } from "@duban/core/reminders/snooze-reminder";
import type { StatusRef } from "../callback-data.ts";
import { languageOf, type BotContext } from "../context.ts";
import { formatDateTime } from "../format.ts";
import { buttonsFor, clearSession, contactOf, recordAndConfirm, submitExtension } from "../flows.ts";
import { answerOnce, onAction } from "../middleware/callback-guard.ts";
import { emptyPending, type PendingReply, type ReplySession, type ReplyTarget } from "../reply-sessions.ts";

/**
 * The buttons under reminders and questions: a status (recorded at once), 稍后提醒,
 * 申请延期, and the follow-up's 跳过 / 完成报送.
 */
export const status = new Composer<BotContext>();

async function targetOf(ctx: BotContext, ref: Exclude<StatusRef, { kind: "reminder" }>): Promise<ReplyTarget | null> {
  const contact = contactOf(ctx);
  if (ref.kind === "round") {
    const round = await roundForUnit(ctx.duban.db, { roundId: ref.id, unitId: contact.unitId });
    return round ? { taskId: round.taskId, roundId: round.roundId, reminderId: null } : null;
  }
  return { taskId: ref.id, roundId: null, reminderId: null };
}

/**
 * What goes with a tapped status: all the liaison wrote when the bot was asking about this very
 * target; else only files still waiting for their task (with their note) — the liaison chose this
 * task for them by tapping. Facts of a question about another task are not carried.
 */
function carried(session: ReplySession | null, isThisTarget: (s: Extract<ReplySession, { step: "pending" }>) => boolean): PendingReply | null {
  if (session?.step !== "pending") return null;
  if (isThisTarget(session)) return session.pending;
  const { attachments, note } = session.pending;
  return attachments.length > 0 ? { ...emptyPending("telegram-button"), attachments, note } : null;
}

onAction(status, "status", async (ctx, data) => {
  const session = ctx.duban.sessions.get();
  if (data.ref.kind === "reminder") {
    // The reminder names task and round: both are read (and checked) while recording.
    const reminderId = data.ref.id;
    const pending = carried(session, (s) => s.reminderId === reminderId);
    const recorded = await recordAndConfirm(ctx, { reminderId }, data.status, pending ? { ...pending, status: data.status } : null, { toast: ctx.t("done-toast") });
    return recorded ? undefined : ctx.t("callback-invalid");
  }
  const target = await targetOf(ctx, data.ref);
  if (!target) {
    await ctx.reply(ctx.t("not-your-task"));
    return ctx.t("callback-invalid");
  }
  // What the liaison wrote before the bot asked for the status is recorded with it.
  const pending = carried(session, (s) => s.taskId === target.taskId && s.roundId === target.roundId);
  await answerOnce(ctx, ctx.t("done-toast"));
  await recordAndConfirm(ctx, target, data.status, pending ? { ...pending, status: data.status } : null);
});

onAction(status, "snooze", async (ctx, data) => {
  const contact = contactOf(ctx);
  try {
    const { until } = await snoozeReminder(ctx.duban.db, { reminderId: data.reminderId, contactId: contact.id, now: ctx.duban.now, workingHours: ctx.duban.workingHours });
    // Files still waiting for their task are not dropped by a 稍后提醒 on some card: they wait on.
    const session = ctx.duban.sessions.get();
    const waiting = session?.step === "pending" ? session.pending.attachments.length : 0;
    if (waiting === 0) clearSession(ctx);
    const answer = until ? ctx.t("snoozed", { when: formatDateTime(until, languageOf(ctx), ctx.duban.now) }) : ctx.t("snooze-submitted");
    await ctx.reply(waiting > 0 ? `${answer}\n${ctx.t("files-waiting", { count: waiting })}` : answer);
  } catch (error) {
    if (!(error instanceof ReminderAccessError)) throw error;
    await ctx.reply(ctx.t("not-your-task"));
  }
});

onAction(status, "extension", async (ctx, data) => {
  const contact = contactOf(ctx);
  const round = await roundForUnit(ctx.duban.db, { roundId: data.roundId, unitId: contact.unitId });
  if (!round) {
    await ctx.reply(ctx.t("not-your-task"));
    return;
  }
  if (round.submittedAt) {
    await ctx.reply(ctx.t("extension-submitted"));
    return;
  }
  const session = ctx.duban.sessions.get();
  const statusUpdateId = session && (session.step === "details" || session.step === "progress") ? session.statusUpdateId : null;
  // "申请延期，理由…" typed, then this item picked from the list: the reason is already there.
  if (session?.step === "extension-pick" && session.reason) {
    await submitExtension(ctx, { roundId: round.roundId, taskId: round.taskId, statusUpdateId: null }, session.reason);
    return;
  }
  ctx.duban.sessions.set({ step: "extension-reason", roundId: round.roundId, taskId: round.taskId, statusUpdateId });
  await ctx.reply(ctx.t("ask-extension-reason"));
});

onAction(status, "skip", async (ctx) => {
  const contact = contactOf(ctx);
  const session = ctx.duban.sessions.get();
  if (session?.step !== "progress") {
    await ctx.reply(ctx.t("callback-expired"));
    return;
  }
  ctx.duban.sessions.set({ ...session, step: "details" });
  await ctx.reply(`${ctx.t("skipped")}\n${ctx.t("ask-details")}`, {
    reply_markup: buttonsFor(ctx).details(session.roundId !== null && !session.submitted ? session.roundId : null),
  });
});

onAction(status, "finish", async (ctx) => {
  // "Report complete" only when it counted as the unit's report; otherwise it is only recorded.
  const session = ctx.duban.sessions.get();
  const submitted = session?.step === "details" || session?.step === "progress" ? session.submitted || session.roundId === null : true;
  clearSession(ctx);
  await ctx.reply(ctx.t(submitted ? "finished" : "finished-recorded"));
});
