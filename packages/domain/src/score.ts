import { z } from "zod";
import { shanghaiDate, type Calendar } from "./calendar.ts";

/**
 * 考核 / 量化评分 — a unit's timeliness over a year.
 *
 * Every submission a unit owes (one per round) whose ORIGINAL due date falls in the year is an item.
 * Its due moment is the effective one: an approved extension (延期) moves it, so a report made
 * before the extended date is on time. An item is:
 * - exempt: the office exempted it (免责, with a reason) — it counts for nothing either way;
 * - onTime: submitted at or before its due moment;
 * - late: submitted after it, by `workdaysLate` = workdays (office calendar: holidays and 调休)
 *   after the due date up to the submission date, at least 1;
 * - missing: not submitted and its due moment has passed;
 * - pending: not submitted and not yet due — not owed yet, left out.
 *
 * owed = onTime + late + missing + exempt; counted = owed − exempt.
 * score = 100 × onTime / counted
 *         − latePenaltyPerWorkday × Σ min(workdaysLate, latePenaltyCapWorkdays)   (over late items)
 *         − missingPenalty × missing,
 * clamped to [0, 100] and rounded to one decimal; null when nothing is counted.
 */
export const scoreRuleSchema = z.object({
  /** Points taken per workday a submission came in late. */
  latePenaltyPerWorkday: z.number().min(0).max(100),
  /** A late submission costs at most this many workdays' penalty. */
  latePenaltyCapWorkdays: z.number().int().min(0).max(365),
  /** Points taken per submission never made. */
  missingPenalty: z.number().min(0).max(100),
});
export type ScoreRule = z.infer<typeof scoreRuleSchema>;

export const DEFAULT_SCORE_RULE: ScoreRule = { latePenaltyPerWorkday: 1, latePenaltyCapWorkdays: 5, missingPenalty: 5 };

export interface ScoreItem {
  submissionId: number;
  unitId: number;
  /** The round's due moment as first set; decides the year and quarter the item belongs to. */
  originalDueAt: Date;
  /** The submission's due moment now (moved by an approved extension). */
  dueAt: Date;
  submittedAt: Date | null;
  exempt: boolean;
}

export type ScoreOutcome = "onTime" | "late" | "missing" | "exempt" | "pending";

export interface ScoredItem extends ScoreItem {
  outcome: ScoreOutcome;
  /** Workdays late (late), or overdue so far (missing); 0 otherwise. */
  workdaysLate: number;
  extended: boolean;
}

export function classifyItem(item: ScoreItem, now: Date, calendar: Pick<Calendar, "workdaysBetween">): ScoredItem {
  const extended = item.dueAt.getTime() > item.originalDueAt.getTime();
  const base = { ...item, extended };
  const lateBy = (until: Date) => Math.max(1, calendar.workdaysBetween(shanghaiDate(item.dueAt), shanghaiDate(until)));
  if (item.submittedAt && item.submittedAt.getTime() > item.dueAt.getTime()) {
    return { ...base, outcome: item.exempt ? "exempt" : "late", workdaysLate: lateBy(item.submittedAt) };
  }
  if (item.submittedAt) return { ...base, outcome: item.exempt ? "exempt" : "onTime", workdaysLate: 0 };
  if (item.dueAt.getTime() < now.getTime()) return { ...base, outcome: item.exempt ? "exempt" : "missing", workdaysLate: lateBy(now) };
  return { ...base, outcome: "pending", workdaysLate: 0 };
}

export interface QuarterFigures {
  quarter: 1 | 2 | 3 | 4;
  owed: number;
  onTime: number;
  /** onTime / (owed − exempt), null when nothing counted. */
  onTimeRate: number | null;
}

export interface UnitScore {
  unitId: number;
  owed: number;
  onTime: number;
  late: number;
  missing: number;
  exempt: number;
  /** Σ workdays late over the late items (uncapped). */
  workdaysLate: number;
  extensionsApproved: number;
  blockersRaised: number;
  onTimeRate: number | null;
  score: number | null;
  quarters: QuarterFigures[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function scoreFromCounts(
  counts: { onTime: number; counted: number; missing: number; lateWorkdays: readonly number[] },
  rule: ScoreRule,
): number | null {
  if (counts.counted === 0) return null;
  const latePenalty = counts.lateWorkdays.reduce((sum, days) => sum + Math.min(days, rule.latePenaltyCapWorkdays) * rule.latePenaltyPerWorkday, 0);
  const raw = (100 * counts.onTime) / counts.counted - latePenalty - rule.missingPenalty * counts.missing;
  return round1(Math.min(100, Math.max(0, raw)));
}

function quarterOf(instant: Date): 1 | 2 | 3 | 4 {
  return (Math.floor((Number(shanghaiDate(instant).slice(5, 7)) - 1) / 3) + 1) as 1 | 2 | 3 | 4;
}

/**
 * Scores per unit for a year. `items` may hold other years' submissions: only those whose original
 * due date (Asia/Shanghai) falls in `year` count. `blockers` are the dates of 有困难 reports.
 * Units come back ranked: best score first (nothing counted last), then by name order of unitId.
 */
export function scoreUnits(input: {
  year: number;
  now: Date;
  rule: ScoreRule;
  calendar: Pick<Calendar, "workdaysBetween">;
  items: readonly ScoreItem[];
  blockers?: readonly { unitId: number; at: Date }[];
}): { units: UnitScore[]; items: ScoredItem[] } {
  const inYear = (d: Date) => shanghaiDate(d).startsWith(`${input.year}-`);
  const scored = input.items.filter((i) => inYear(i.originalDueAt)).map((i) => classifyItem(i, input.now, input.calendar));
  const byUnit = new Map<number, ScoredItem[]>();
  for (const item of scored) byUnit.set(item.unitId, [...(byUnit.get(item.unitId) ?? []), item]);
  const blockers = new Map<number, number>();
  for (const b of input.blockers ?? []) if (inYear(b.at)) blockers.set(b.unitId, (blockers.get(b.unitId) ?? 0) + 1);
  for (const unitId of blockers.keys()) if (!byUnit.has(unitId)) byUnit.set(unitId, []);

  const units: UnitScore[] = [...byUnit.entries()].map(([unitId, items]) => {
    const owedItems = items.filter((i) => i.outcome !== "pending");
    const count = (o: ScoreOutcome) => owedItems.filter((i) => i.outcome === o).length;
    const late = owedItems.filter((i) => i.outcome === "late");
    const onTime = count("onTime");
    const exempt = count("exempt");
    const counted = owedItems.length - exempt;
    const quarters = ([1, 2, 3, 4] as const).map((quarter) => {
      const q = owedItems.filter((i) => quarterOf(i.originalDueAt) === quarter);
      const qCounted = q.filter((i) => i.outcome !== "exempt").length;
      const qOnTime = q.filter((i) => i.outcome === "onTime").length;
      return { quarter, owed: q.length, onTime: qOnTime, onTimeRate: qCounted ? qOnTime / qCounted : null };
    });
    return {
      unitId,
      owed: owedItems.length,
      onTime,
      late: late.length,
      missing: count("missing"),
      exempt,
      workdaysLate: late.reduce((s, i) => s + i.workdaysLate, 0),
      extensionsApproved: items.filter((i) => i.extended).length,
      blockersRaised: blockers.get(unitId) ?? 0,
      onTimeRate: counted ? onTime / counted : null,
      score: scoreFromCounts({ onTime, counted, missing: count("missing"), lateWorkdays: late.map((i) => i.workdaysLate) }, input.rule),
      quarters,
    };
  });
  units.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.unitId - b.unitId);
  return { units, items: scored };
}
