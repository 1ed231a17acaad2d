import { z } from "zod";
import { addDays, daysInMonth, isoDateSchema, type Calendar } from "./calendar.ts";
import { parsePeriodKey, periodEnd, periodKeyOf, periodStart, type Cadence } from "./period.ts";

/**
 * When an assignment is due.
 * - once: a fixed date.
 * - quarterly: `offsetDays` days after the quarter's last day, counted in calendar days or in
 *   workdays ("每季度结束后10个工作日内": 2026Q3 → 2026-10-20 across the National Day holiday).
 * - annual: `month`/`day` of the year FOLLOWING the period (the 2026 white paper is due 2027-01-31).
 * With dayBasis "workday" a due date that falls on a rest day moves to the next workday;
 * with "calendar" it stays where it falls.
 */
export type DeadlineRule =
  | { kind: "once"; dueDate: string }
  | { kind: "quarterly"; offsetDays: number; dayBasis: DayBasis }
  | { kind: "annual"; month: number; day: number; dayBasis: DayBasis };

export type DayBasis = "calendar" | "workday";

// Non-leap month lengths: an annual rule must name a day that exists every year.
const annualDaySchema = z
  .object({
    kind: z.literal("annual"),
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
    dayBasis: z.enum(["calendar", "workday"]),
  })
  .refine((r) => r.day <= daysInMonth(2001, r.month), { message: "day does not exist in that month every year", path: ["day"] });

export const deadlineRuleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("once"), dueDate: isoDateSchema }),
  z.object({
    kind: z.literal("quarterly"),
    offsetDays: z.number().int().min(0).max(366),
    dayBasis: z.enum(["calendar", "workday"]),
  }),
  annualDaySchema,
]) satisfies z.ZodType<DeadlineRule>;

/** The cadence of the rounds a rule drives; null for a one-off deadline. */
export function cadenceOfRule(rule: DeadlineRule): Cadence | null {
  return rule.kind === "once" ? null : rule.kind;
}

/**
 * The due date of `rule` for a period. A one-off rule ignores the period (pass null); a quarterly
 * rule needs a quarter key ("2026Q3"), an annual rule a year key ("2026"); throws otherwise.
 */
export function dueDateFor(rule: DeadlineRule, periodKey: string | null, cal: Calendar): string {
  if (rule.kind === "once") return rule.dueDate;
  if (periodKey === null) throw new RangeError(`a ${rule.kind} deadline needs a period key`);
  const period = parsePeriodKey(periodKey);
  if (period.cadence !== rule.kind) throw new RangeError(`a ${rule.kind} deadline cannot be due for period "${periodKey}"`);

  if (rule.kind === "quarterly") {
    const end = periodEnd(periodKey);
    return rule.dayBasis === "workday" ? cal.addWorkdays(end, rule.offsetDays) : addDays(end, rule.offsetDays);
  }
  const date = `${period.year + 1}-${String(rule.month).padStart(2, "0")}-${String(rule.day).padStart(2, "0")}`;
  return rule.dayBasis === "workday" ? cal.workdayOnOrAfter(date) : date;
}

/**
 * Which period's round should be open on `date`. Decision: the round for period P opens on P's
 * first day and is due after P ends (offsetDays after the quarter, or on month/day of the next
 * year), so liaisons report progress during the quarter and the report about it after. On
 * 2026-08-15 the quarterly round "2026Q3" is open (due 2026-10-20 for 10 workdays), and on
 * 2026-10-01 "2026Q4" opens while 2026Q3 is still being collected. One-off deadlines have no
 * recurring round: null.
 */
export function periodForRoundOpening(rule: DeadlineRule, date: string): string | null {
  const cadence = cadenceOfRule(rule);
  return cadence === null ? null : periodKeyOf(date, cadence);
}

/** The date the round for a period opens (its first day); see periodForRoundOpening. */
export function roundOpensOn(periodKey: string): string {
  return periodStart(periodKey);
}

/** Rule wording lives in rule-text.ts, which the console bundles without zod or the calendar. */
export { describeRule } from "./rule-text.ts";
