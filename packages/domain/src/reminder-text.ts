import { shortPlanTitle } from "./short-title.ts";

/**
 * The words of a reminder. Pure, so the CLI preview, the console preview and the bot show
 * exactly the same message. Chinese by default; English for contacts who chose /lang en.
 */
export interface ReminderTextInput {
  lang: "zh" | "en";
  kind: "reminder" | "escalation-head" | "escalation-office" | "urge";
  rung: string;
  unitName: string;
  taskNumber: string;
  taskTitle: string;
  /** The plan the task belongs to (an office drives several); shortened in the text. */
  planTitle?: string | null;
  deadlineTitle: string;
  periodLabel: string | null;
  /** YYYY-MM-DD */
  dueDate: string;
  /** Workdays overdue (0 when not yet due). */
  overdueWorkdays: number;
  /**
   * Workdays still left when the message goes out; for a "before-N" rung sent late (after
   * downtime) this, not N, is what the liaison is told. Defaults to N.
   */
  workdaysLeft?: number;
}

/** Workdays left for a "before-N" rung (what was said, or what is true when sent late); null otherwise. */
function daysLeft(input: ReminderTextInput): number | null {
  const m = /^before-(\d+)$/.exec(input.rung);
  return m ? (input.workdaysLeft ?? Number(m[1])) : null;
}

function dueClauseZh(input: ReminderTextInput): string {
  const left = daysLeft(input);
  if (left !== null && left > 0) return `距截止还有 ${left} 个工作日（${input.dueDate} 截止）`;
  if (input.rung === "due" || left === 0) return `今天（${input.dueDate}）截止`;
  if (input.overdueWorkdays > 0) return `已逾期 ${input.overdueWorkdays} 个工作日（原定 ${input.dueDate} 截止）`;
  return `${input.dueDate} 截止`;
}

function dueClauseEn(input: ReminderTextInput): string {
  const left = daysLeft(input);
  if (left !== null && left > 0) return `due in ${left} workday(s), on ${input.dueDate}`;
  if (input.rung === "due" || left === 0) return `due today (${input.dueDate})`;
  if (input.overdueWorkdays > 0) return `${input.overdueWorkdays} workday(s) overdue (was due ${input.dueDate})`;
  return `due ${input.dueDate}`;
}

export function reminderText(input: ReminderTextInput): string {
  const plan = input.planTitle ? shortPlanTitle(input.planTitle) : null;
  const period = input.periodLabel ? `（${input.periodLabel}）` : "";
  if (input.lang === "en") {
    const periodEn = input.periodLabel ? ` (${input.periodLabel})` : "";
    const head = {
      reminder: "Reminder",
      urge: "Urgent reminder from the office",
      "escalation-head": `Escalation: ${input.unitName} has not reported`,
      "escalation-office": `Escalation: ${input.unitName} has not reported`,
    }[input.kind];
    return `${head}\n${plan ? `[${plan}] ` : ""}Task ${input.taskNumber}: ${input.taskTitle}\n${input.deadlineTitle}${periodEn}, ${dueClauseEn(input)}.\nPlease report the status with the buttons below, or reply to this message.`;
  }
  const head = {
    reminder: "【督办提醒】",
    urge: "【催办】联席会议办公室提醒您尽快报送",
    "escalation-head": `【督办抄送】${input.unitName}尚未报送，请督促落实`,
    "escalation-office": `【督办升级】${input.unitName}尚未报送`,
  }[input.kind];
  const ask = input.kind === "escalation-office" ? "请联系该单位督促落实。" : "请点击下方按钮报送进展，或直接回复本消息。";
  return `${head}\n${plan ? `《${plan}》` : ""}任务${input.taskNumber}：${input.taskTitle}\n${input.deadlineTitle}${period}，${dueClauseZh(input)}。\n${ask}`;
}

/** The task line `reminderText` wrote, split into the plan's short title (if named) and the rest. */
function taskLineParts(text: string): { plan: string | null; task: string } {
  const line = text.split("\n")[1] ?? "";
  const match = /^《(.+?)》(任务.*)$/.exec(line) ?? /^\[(.+?)\] (Task .*)$/.exec(line);
  return match ? { plan: match[1]!, task: match[2]! } : { plan: null, task: line };
}

/**
 * A digest item's short name for a button, from the text `reminderText` wrote: the task
 * ("任务8" / "Task 8") and, when room is left, the deadline's title ("任务8 季度进度"), within
 * `max` characters (企业微信's buttons take 10).
 */
export function digestItemLabel(text: string, max: number): string {
  const task = taskLineParts(text).task.split(/[：:]/)[0]!.trim();
  const what = (text.split("\n")[2] ?? "").split(/[，,（(]/)[0]!.trim();
  const label = what && task.length + 1 + what.length <= max ? `${task} ${what}` : task;
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/**
 * Reminders of a digest grouped by the plan their text names, plans in order of first appearance
 * (reminders naming no plan first); within a plan the order is kept.
 */
export function digestGroups<T>(items: readonly T[], textOf: (item: T) => string): Array<{ plan: string | null; items: T[] }> {
  const groups = new Map<string | null, T[]>();
  for (const item of items) {
    const { plan } = taskLineParts(textOf(item));
    groups.set(plan, [...(groups.get(plan) ?? []), item]);
  }
  return [...groups].map(([plan, grouped]) => ({ plan, items: grouped })).sort((a, b) => Number(a.plan !== null) - Number(b.plan !== null));
}

/**
 * One message for several reminders due to one person at once (a unit with many tasks would
 * otherwise get a dozen messages the same morning): a heading and, per reminder, its task and
 * due line, taken from the texts `reminderText` wrote. A liaison answers for several plans:
 * the items are grouped under each plan's short title.
 */
export function reminderDigestText(lang: "zh" | "en", texts: readonly string[]): string {
  const lines = digestGroups(texts, (text) => text).flatMap(({ plan, items }) => [
    ...(plan === null ? [] : [lang === "en" ? `📁 [${plan}]` : `📁《${plan}》`]),
    ...items.map((text) => {
      const due = text.split("\n")[2] ?? "";
      return `· ${taskLineParts(text).task}\n  ${due.replace(/[。.]$/, "")}`;
    }),
  ]);
  if (lang === "en") {
    return [`Reminder: ${texts.length} items for your unit`, ...lines, "Tap a task below to report on it, or reply to this message."].join("\n");
  }
  return [`【督办提醒】本单位有 ${texts.length} 项事项待报送：`, ...lines, "请点击下方任务逐项报送进展，或直接回复本消息。"].join("\n");
}
