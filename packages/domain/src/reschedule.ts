import { shanghaiDate, shanghaiInstant, type Calendar } from "./calendar.ts";
import { dueDateFor, type DeadlineRule } from "./due-date.ts";
import { cadenceOf, periodKeySchema } from "./period.ts";

/** A round as the rescheduling rule sees it: its period ("2026Q4", "2026", or a one-off's key) and due instant. */
export interface ScheduledRound {
  roundId: number;
  periodKey: string;
  dueAt: Date;
}

export interface RoundMove {
  roundId: number;
  periodKey: string;
  from: Date;
  to: Date;
}

/**
 * The due date `rule` gives a round of `periodKey`, or null when the round does not belong to
 * the rule any more (the deadline changed kind, e.g. quarterly rounds under a one-off rule):
 * those rounds were made by the old rule and keep their date.
 */
export function ruleDueDateOfRound(rule: DeadlineRule, periodKey: string, cal: Calendar): string | null {
  const recurring = periodKeySchema.safeParse(periodKey).success;
  if (rule.kind === "once") return recurring ? null : dueDateFor(rule, null, cal);
  if (!recurring || cadenceOf(periodKey) !== rule.kind) return null;
  return dueDateFor(rule, periodKey, cal);
}

/**
 * Which rounds move when a deadline's rule, due time or the calendar changes, and to when.
 * Decision: a round whose due date (Shanghai) is today or later follows the rule, computed as
 * when the round was created (`dueDateFor` at `dueTime`); a round already past due keeps its
 * date, because reminders, lights and reports about it have already happened against it.
 */
export function roundMoves(input: { rule: DeadlineRule; dueTime: string; rounds: readonly ScheduledRound[]; calendar: Calendar; now: Date }): RoundMove[] {
  const today = shanghaiDate(input.now);
  const moves: RoundMove[] = [];
  for (const round of input.rounds) {
    if (shanghaiDate(round.dueAt) < today) continue;
    const date = ruleDueDateOfRound(input.rule, round.periodKey, input.calendar);
    if (date === null) continue;
    const to = shanghaiInstant(date, input.dueTime);
    if (to.getTime() !== round.dueAt.getTime()) moves.push({ roundId: round.roundId, periodKey: round.periodKey, from: round.dueAt, to });
  }
  return moves;
}

/**
 * A unit's due instant in a moved round. Decision: an approved extension is a grant of more
 * time, so the unit keeps the later of its extension and the round's new due date — the office
 * moving the round later never leaves an extended unit due before everyone else, and moving it
 * earlier never takes the extension away.
 */
export function submissionDueAt(roundDueAt: Date, extendedTo: Date | null): Date {
  return extendedTo !== null && extendedTo.getTime() > roundDueAt.getTime() ? extendedTo : roundDueAt;
}
