/**
 * 每日督办简报: what the office chat reads each working morning. Pure: the figures come in,
 * the text goes out; long lists are cut so one message stays readable (Telegram allows 4096).
 */
export interface OfficeDigest {
  /** Shanghai date, YYYY-MM-DD. */
  date: string;
  /** Per plan, the units that owe something past its due date, with how many items. */
  overdue: Array<{ plan: string; units: Array<{ unit: string; items: number }> }>;
  pendingExtensions: Array<{ unit: string; task: string }>;
  openBlockers: Array<{ unit: string; task: string }>;
  /** Rounds due today with how many units still owe them. */
  dueToday: Array<{ task: string; what: string; owed: number }>;
}

/** Lines per list before "等 N 项". */
export const DIGEST_LIST_LIMIT = 10;

function capped<T>(items: T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, DIGEST_LIST_LIMIT).map((item) => `· ${line(item)}`);
  if (items.length > DIGEST_LIST_LIMIT) shown.push(`· ……等共 ${items.length} 项`);
  return shown;
}

export function officeDigestText(d: OfficeDigest): string {
  const [, month, day] = d.date.split("-").map(Number);
  const lines = [`【督办日报】${month}月${day}日`];
  const overdueUnits = d.overdue.reduce((n, p) => n + p.units.length, 0);
  lines.push("", overdueUnits ? `一、逾期未报（${overdueUnits} 个单位）` : "一、逾期未报：无");
  for (const plan of d.overdue) {
    if (plan.units.length === 0) continue;
    lines.push(`《${plan.plan}》`, ...capped(plan.units, (u) => `${u.unit}（${u.items} 项）`));
  }
  lines.push("", d.pendingExtensions.length ? `二、待审批延期申请（${d.pendingExtensions.length}）` : "二、待审批延期申请：无");
  lines.push(...capped(d.pendingExtensions, (e) => `${e.unit} — ${e.task}`));
  lines.push("", d.openBlockers.length ? `三、有困难待协调（${d.openBlockers.length}）` : "三、有困难待协调：无");
  lines.push(...capped(d.openBlockers, (b) => `${b.unit} — ${b.task}`));
  lines.push("", d.dueToday.length ? `四、今日到期（${d.dueToday.length}）` : "四、今日到期：无");
  lines.push(...capped(d.dueToday, (r) => `${r.task} ${r.what}：${r.owed} 个单位未报`));
  return lines.join("\n");
}
