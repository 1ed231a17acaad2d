import { Composer } from "grammy";
import { roundForUnit, unitTasks } from "@duban/core/units/contact-queries";
import { languageOf, type BotContext } from "../context.ts";
import { clearSession, contactOf, hasContent, proceedWithTarget, proceedWithTask, taskList } from "../flows.ts";
import type { PendingReply } from "../reply-sessions.ts";
import { onAction } from "../middleware/callback-guard.ts";

/** /report: the same flow as a reminder, without one — task, (round,) status. */
export const report = new Composer<BotContext>();

/** What an earlier message left waiting for its task (a file above all): /report files it too. */
function waitingReply(ctx: BotContext): PendingReply | null {
  const session = ctx.duban.sessions.get();
  return session?.step === "pending" && hasContent(session.pending) ? session.pending : null;
}

report.command("report", async (ctx) => {
  const contact = contactOf(ctx);
  const waiting = waitingReply(ctx);
  if (!waiting) clearSession(ctx);
  const list = await unitTasks(ctx.duban.db, { unitId: contact.unitId, now: ctx.duban.now, lang: languageOf(ctx) });
  if (list.length === 0) {
    await ctx.reply(ctx.t("report-no-tasks"));
    return;
  }
  if (list.length === 1) {
    await proceedWithTask(ctx, list[0]!.taskId, waiting, waiting ? "what-status" : "report");
    return;
  }
  // Tasks with something owed first, the rest after, each in plan order.
  const ordered = [...list.filter((t) => t.pending.length > 0), ...list.filter((t) => t.pending.length === 0)];
  await ctx.reply(ctx.t("report-pick-task"), { reply_markup: taskList(ctx, ordered, "report") });
});

onAction(report, "report", async (ctx, data) => {
  const waiting = waitingReply(ctx);
  clearSession(ctx);
  await proceedWithTask(ctx, data.taskId, waiting, waiting ? "what-status" : "report");
});

/** The bot asked which task a message was about. */
onAction(report, "pick-task", async (ctx, data) => {
  const session = ctx.duban.sessions.get();
  const pending = session?.step === "pending" ? session.pending : null;
  await proceedWithTask(ctx, data.taskId, pending, "what-status");
});

/** The bot asked which round (several owed for the task). */
onAction(report, "pick-round", async (ctx, data) => {
  const contact = contactOf(ctx);
  const round = await roundForUnit(ctx.duban.db, { roundId: data.roundId, unitId: contact.unitId, lang: languageOf(ctx) });
  if (!round) {
    await ctx.reply(ctx.t("not-your-task"));
    return;
  }
  const session = ctx.duban.sessions.get();
  const pending = session?.step === "pending" && session.taskId === round.taskId ? session.pending : null;
  await proceedWithTarget(ctx, { taskId: round.taskId, roundId: round.roundId, reminderId: null }, pending, "what-status");
});
