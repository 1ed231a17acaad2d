import type { Ladder } from "@duban/domain/reminder-ladder";
/** Shanghai wall-clock formatting, whatever the browser's time zone. */
const dateTime = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });

export function fmtDateTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  return dateTime.format(new Date(value));
}

export function fmtDate(value: string | Date | null | undefined): string {
  if (!value) return "—";
  return dateOnly.format(new Date(value));
}

export const STATUS_ZH: Record<string, string> = { not_started: "未开始", in_progress: "推进中", done: "已完成", blocked: "有困难" };
export const STATUS_EN: Record<string, string> = { not_started: "Not started", in_progress: "In progress", done: "Done", blocked: "Blocked" };

export function statusText(status: string | null | undefined, lang: "zh" | "en"): string {
  if (!status) return lang === "en" ? "No report" : "未报";
  return (lang === "en" ? STATUS_EN : STATUS_ZH)[status] ?? status;
}

export function downloadBase64(file: { fileName: string; mimeType: string; base64: string }): void {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const a = document.createElement("a");
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const ZH_QUARTER = ["一", "二", "三", "四"];

/** "2026Q3" → 2026年第三季度 / Q3 2026; "2026" → 2026年度; "once" → 一次性. Anything else as is. */
export function periodText(key: string | null | undefined, lang: "zh" | "en"): string {
  if (!key) return "—";
  if (key === "once") return lang === "en" ? "One-off" : "一次性";
  const quarter = /^(\d{4})Q([1-4])$/.exec(key);
  if (quarter) return lang === "en" ? `Q${quarter[2]} ${quarter[1]}` : `${quarter[1]}年第${ZH_QUARTER[Number(quarter[2]) - 1]}季度`;
  if (/^\d{4}$/.test(key)) return lang === "en" ? `Year ${key}` : `${key}年度`;
  return key;
}

/** A reminder rung ("before-3", "due", "overdue-2", "head-3", "office-5") in words. */
export function rungText(rung: string, lang: "zh" | "en"): string {
  const m = /^(before|overdue|head|office)-(\d+)$/.exec(rung);
  if (rung === "due") return lang === "en" ? "On the due day" : "截止当日";
  if (!m) return rung;
  const n = m[2];
  if (lang === "en") return { before: `${n} workdays before`, overdue: `${n} workdays overdue`, head: `To head, ${n} workdays overdue`, office: `To office, ${n} workdays overdue` }[m[1] as "before"];
  return { before: `截止前 ${n} 个工作日`, overdue: `逾期第 ${n} 个工作日`, head: `逾期 ${n} 个工作日·抄送一把手`, office: `逾期 ${n} 个工作日·报办公室` }[m[1] as "before"];
}

export type { Ladder } from "@duban/domain/reminder-ladder";

/** A custom reminder ladder in short: "−7/−3/−1 · 0 · +2…30 · 一把手+3 · 办公室+5 @09:00" (workdays). */
export function ladderText(l: Ladder, lang: "zh" | "en"): string {
  const [head, office] = lang === "en" ? ["head", "office"] : ["一把手", "办公室"];
  return `−${l.before.join("/−")}${l.onDueDay ? " · 0" : ""} · +${l.overdueEvery}…${l.overdueMax}${l.headAfter ? ` · ${head}+${l.headAfter}` : ""}${l.officeAfter ? ` · ${office}+${l.officeAfter}` : ""} @${l.sendAt}`;
}

/**
 * 名次 by score: equal scores share a place (1, 1, 3) and a unit with nothing scored has none,
 * rather than a place that only reflects its position in the list.
 */
export function scoreRanks(scores: ReadonlyArray<number | null>): Array<number | null> {
  return scores.map((score) => (score === null ? null : 1 + scores.filter((other) => other !== null && other > score).length));
}
