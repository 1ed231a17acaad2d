import type { RecordedStatus } from "@duban/core/submissions/record-status";
import { NOTE_ECHO_LENGTH } from "@duban/domain/note-limit";
import { shanghaiDate, shanghaiTime } from "@duban/domain/calendar";
import type { Light } from "@duban/domain/light";
import { periodLabel } from "@duban/domain/period";
import type { Language } from "./context.ts";
import type { Translate } from "./i18n.ts";

const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "10月15日" (the year only when it is not the current one); "15 Oct". Shanghai calendar. */
export function formatDate(instant: Date, language: Language, now: Date): string {
  const [y, m, d] = shanghaiDate(instant).split("-").map(Number) as [number, number, number];
  const sameYear = shanghaiDate(now).slice(0, 4) === String(y);
  if (language === "en") return `${d} ${EN_MONTHS[m - 1]}${sameYear ? "" : ` ${y}`}`;
  return `${sameYear ? "" : `${y}年`}${m}月${d}日`;
}

export function formatDateTime(instant: Date, language: Language, now: Date): string {
  return `${formatDate(instant, language, now)} ${shanghaiTime(instant)}`;
}

export const LIGHT_ICON: Record<Light, string> = { red: "🔴", yellow: "🟡", green: "🟢" };

/** "季度进度 · 2026年第三季度": the deadline without the task number it repeats, and the period. */
export function roundWhat(round: { deadlineTitle: string; periodKey: string } | null, language: Language): string {
  if (!round) return "";
  const title = round.deadlineTitle.replace(/^任务[\d.]+\s*/, "") || round.deadlineTitle;
  const period = round.periodKey === "once" ? null : periodLabel(round.periodKey, language);
  return period ? `${title} · ${period}` : title;
}

export function bracketed(text: string, language: Language): string {
  if (!text) return "";
  return language === "zh" ? `（${text}）` : `(${text})`;
}

export function formatValue(value: number, measureUnit: string | null): string {
  const shown = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
  return `${shown}${measureUnit ?? ""}`;
}

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The confirmation after a reply: exactly what was stored. */
export function recordedText(t: Translate, language: Language, recorded: RecordedStatus, options: { carried?: boolean } = {}): string {
  const lines = [
    t("recorded-title", { number: recorded.task.number, title: recorded.task.title, what: bracketed(roundWhat(recorded.round, language), language) }),
    t("recorded-status", { status: t(`status-${recorded.status}`) }) + (options.carried ? t("recorded-carried-status") : ""),
  ];
  if (recorded.progress !== null) lines.push(t("recorded-progress", { progress: recorded.progress }));
  for (const v of recorded.values) lines.push(t("recorded-value", { name: v.name, value: formatValue(v.value, v.measureUnit) }));
  if (recorded.note) lines.push(t("recorded-note", { note: shorten(recorded.note, NOTE_ECHO_LENGTH) }));
  for (const a of recorded.attachments) lines.push(t("recorded-attachment", { name: a.fileName ?? t("attachment-photo") }));
  if (recorded.round) {
    if (recorded.submitted) lines.push(t("recorded-submitted"));
    else if (recorded.countsFrom) lines.push(t("recorded-progress-early", { date: formatDate(recorded.countsFrom, language, recorded.countsFrom) }));
    else if (!recorded.round.progressRound) lines.push(t("recorded-deliverable-open"));
  }
  return lines.join("\n");
}
