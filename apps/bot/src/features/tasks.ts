import { Composer } from "grammy";
import { overdueItems, unitTaskDetail, unitTasks, type UnitTask } from "@duban/core/units/contact-queries";
import { languageOf, type BotContext } from "../context.ts";
import { bracketed, formatDate, formatValue, LIGHT_ICON, roundWhat, shorten } from "../format.ts";
import { buttonsFor, contactOf, taskList } from "../flows.ts";
import { onAction } from "../middleware/callback-guard.ts";

/** /tasks (the unit's tasks with deadline, status and light), a task's detail, /overdue. */
export const tasks = new Composer<BotContext>();

const COMPARATOR: Record<string, string> = { ">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=" };

function taskLine(ctx: BotContext, task: UnitTask): string {
  const language = languageOf(ctx);
  const state = task.status
    ? ctx.t("task-line-reported", { status: `${ctx.t(`status-${task.status}`)}${task.progress !== null ? ` ${task.progress}%` : ""}` })
    : ctx.t("task-line-not-reported");
  const due = !task.next
    ? ctx.t("task-line-clear")
    : ctx.t(task.next.dueAt < ctx.duban.now ? "task-line-overdue" : "task-line-due", { due: formatDate(task.next.dueAt, language, ctx.duban.now) });
  const heading = ctx.t("task-heading", { number: task.number, title: shorten(task.title, 20), what: bracketed(ctx.t(`assignment-${task.role}`), language) });
  return `${LIGHT_ICON[task.light]} ${heading}\n      ${state} · ${due}`;
}

tasks.command("tasks", async (ctx) => {
  const contact = contactOf(ctx);
  const list = await unitTasks(ctx.duban.db, { unitId: contact.unitId, now: ctx.duban.now, lang: languageOf(ctx) });
  if (list.length === 0) {
    await ctx.reply(ctx.t("tasks-empty"));
    return;
  }
  // A unit owing tasks in several plans sees them grouped under each plan's short title
  // (unitTasks returns them plan by plan).
  const plans = new Set(list.map((t) => t.planId));
  const body: string[] = [];
  for (const [index, task] of list.entries()) {
    if (plans.size > 1 && task.planId !== list[index - 1]?.planId) {
      if (index > 0) body.push("");
      body.push(ctx.t("tasks-plan-heading", { plan: task.planTitle }));
    }
    body.push(taskLine(ctx, task));
  }
  const text = [ctx.t("tasks-title", { unit: contact.unitName, count: list.length }), "", ...body, "", ctx.t("tasks-hint")].join("\n");
  await ctx.reply(text, { reply_markup: taskList(ctx, list, "task") });
});

onAction(tasks, "task", async (ctx, data) => {
  const contact = contactOf(ctx);
  const language = languageOf(ctx);
  const detail = await unitTaskDetail(ctx.duban.db, { unitId: contact.unitId, taskId: data.taskId, now: ctx.duban.now, lang: language });
  if (!detail) {
    await ctx.reply(ctx.t("task-not-yours"));
    return;
  }
  const lines = [
    `${LIGHT_ICON[detail.light]} ${ctx.t("task-heading", { number: detail.number, title: detail.title, what: "" })}`,
    shorten(detail.body, 300),
    "",
    ctx.t("task-detail-role", { role: ctx.t(`assignment-${detail.role}`) }),
  ];
  if (detail.indicators.length > 0) {
    lines.push(ctx.t("task-detail-indicators"));
    for (const i of detail.indicators) {
      const latest = i.latest ? bracketed(ctx.t("task-detail-latest-value", { value: formatValue(i.latest.value, i.measureUnit) }), language) : "";
      lines.push(`· ${i.name} ${COMPARATOR[i.comparator] ?? i.comparator}${formatValue(i.target, i.measureUnit)}${latest}`);
    }
  }
  if (detail.pending.length > 0) {
    lines.push(ctx.t("task-detail-pending"));
    for (const r of detail.pending) lines.push(`· ${roundWhat(r, language)} — ${formatDate(r.dueAt, language, ctx.duban.now)}`);
  } else {
    lines.push(ctx.t("task-detail-none-pending"));
  }
  if (detail.status) {
    lines.push(ctx.t("task-line-reported", { status: `${ctx.t(`status-${detail.status}`)}${detail.progress !== null ? ` ${detail.progress}%` : ""}` }));
  }
  await ctx.reply(lines.join("\n"), {
    reply_markup: buttonsFor(ctx).list([{ label: ctx.t("button-report"), data: { action: "report", taskId: detail.taskId } }]),
  });
});

tasks.command("overdue", async (ctx) => {
  const contact = contactOf(ctx);
  const language = languageOf(ctx);
  const items = await overdueItems(ctx.duban.db, { unitId: contact.unitId, now: ctx.duban.now, lang: language });
  if (items.length === 0) {
    await ctx.reply(ctx.t("overdue-none"));
    return;
  }
  const lines = [ctx.t("overdue-title", { unit: contact.unitName, count: items.length }), ""];
  for (const item of items) {
    lines.push(`🔴 ${ctx.t("overdue-line", { number: item.number, title: shorten(item.title, 20), what: roundWhat(item, language), due: formatDate(item.dueAt, language, ctx.duban.now), days: item.overdueWorkdays })}`);
  }
  const distinct = [...new Map(items.map((i) => [i.taskId, { taskId: i.taskId, number: i.number, title: i.title }])).values()];
  await ctx.reply(lines.join("\n"), { reply_markup: taskList(ctx, distinct, "report") });
});
