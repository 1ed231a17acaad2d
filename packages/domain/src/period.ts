import { z } from "zod";
import { daysInMonth, isoDateSchema } from "./calendar.ts";

/** How often a reporting cycle opens a round: one round per quarter ("2026Q3") or per year ("2026"). */
export type Cadence = "quarterly" | "annual";
export const cadenceSchema = z.enum(["quarterly", "annual"]);

export type Quarter = 1 | 2 | 3 | 4;
export type Period = { cadence: "quarterly"; year: number; quarter: Quarter } | { cadence: "annual"; year: number };

const PERIOD_KEY = /^([1-9]\d{3})(?:Q([1-4]))?$/;

/** "2026Q3" (a quarter) or "2026" (a year). */
export const periodKeySchema = z.string().regex(PERIOD_KEY, { message: 'expected a period key like "2026Q3" or "2026"' });

export function parsePeriodKey(key: string): Period {
  const m = PERIOD_KEY.exec(periodKeySchema.parse(key));
  // The schema already matched, so the groups are present.
  const year = Number(m?.[1]);
  const quarter = m?.[2];
  return quarter === undefined ? { cadence: "annual", year } : { cadence: "quarterly", year, quarter: Number(quarter) as Quarter };
}

export function formatPeriodKey(period: Period): string {
  return period.cadence === "annual" ? String(period.year) : `${period.year}Q${period.quarter}`;
}

export function cadenceOf(key: string): Cadence {
  return parsePeriodKey(key).cadence;
}

export function periodKeyOf(date: string, cadence: Cadence): string {
  const { year, month } = splitDate(date);
  if (cadence === "annual") return String(year);
  return `${year}Q${Math.floor((month - 1) / 3) + 1}`;
}

export function periodStart(key: string): string {
  const p = parsePeriodKey(key);
  const month = p.cadence === "annual" ? 1 : (p.quarter - 1) * 3 + 1;
  return `${p.year}-${pad2(month)}-01`;
}

export function periodEnd(key: string): string {
  const p = parsePeriodKey(key);
  const month = p.cadence === "annual" ? 12 : p.quarter * 3;
  return `${p.year}-${pad2(month)}-${pad2(daysInMonth(p.year, month))}`;
}

export function nextPeriodKey(key: string): string {
  const p = parsePeriodKey(key);
  if (p.cadence === "annual") return formatPeriodKey({ cadence: "annual", year: p.year + 1 });
  return p.quarter === 4
    ? formatPeriodKey({ cadence: "quarterly", year: p.year + 1, quarter: 1 })
    : formatPeriodKey({ cadence: "quarterly", year: p.year, quarter: (p.quarter + 1) as Quarter });
}

export function previousPeriodKey(key: string): string {
  const p = parsePeriodKey(key);
  if (p.cadence === "annual") return formatPeriodKey({ cadence: "annual", year: p.year - 1 });
  return p.quarter === 1
    ? formatPeriodKey({ cadence: "quarterly", year: p.year - 1, quarter: 4 })
    : formatPeriodKey({ cadence: "quarterly", year: p.year, quarter: (p.quarter - 1) as Quarter });
}

const ZH_QUARTER = ["一", "二", "三", "四"] as const;

/** "2026年第三季度" / "2026年度"; "Q3 2026" / "Year 2026". */
export function periodLabel(key: string, lang: "zh" | "en" = "zh"): string {
  const p = parsePeriodKey(key);
  if (p.cadence === "annual") return lang === "zh" ? `${p.year}年度` : `Year ${p.year}`;
  return lang === "zh" ? `${p.year}年第${ZH_QUARTER[p.quarter - 1]}季度` : `Q${p.quarter} ${p.year}`;
}

/** Keys of every period that overlaps [fromDate, toDate], oldest first; empty when toDate < fromDate. */
export function periodKeysBetween(fromDate: string, toDate: string, cadence: Cadence): string[] {
  isoDateSchema.parse(fromDate);
  isoDateSchema.parse(toDate);
  if (toDate < fromDate) return [];
  const keys: string[] = [];
  const last = periodKeyOf(toDate, cadence);
  for (let key = periodKeyOf(fromDate, cadence); ; key = nextPeriodKey(key)) {
    keys.push(key);
    if (key === last) return keys;
  }
}

/** Whether a date lies inside a period. */
export function periodContains(key: string, date: string): boolean {
  isoDateSchema.parse(date);
  return periodStart(key) <= date && date <= periodEnd(key);
}

function splitDate(date: string): { year: number; month: number } {
  const valid = isoDateSchema.parse(date);
  return { year: Number(valid.slice(0, 4)), month: Number(valid.slice(5, 7)) };
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
