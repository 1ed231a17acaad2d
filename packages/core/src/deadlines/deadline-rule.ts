import { deadlineRuleSchema, type DeadlineRule } from "@duban/domain/due-date";
import { DEFAULT_LADDER, ladderSchema, type Ladder } from "@duban/domain/reminder-ladder";

interface DeadlineRow {
  id: number;
  kind: string;
  dueDate: string | null;
  offsetDays: number | null;
  month: number | null;
  day: number | null;
  dayBasis: string;
  ladder: string | null;
}

/** The stored columns as a validated rule; a corrupt row is reported, not guessed at. */
export function ruleOfDeadline(row: DeadlineRow): DeadlineRule {
  const candidate =
    row.kind === "once"
      ? { kind: "once", dueDate: row.dueDate }
      : row.kind === "quarterly"
        ? { kind: "quarterly", offsetDays: row.offsetDays, dayBasis: row.dayBasis }
        : { kind: row.kind, month: row.month, day: row.day, dayBasis: row.dayBasis };
  const parsed = deadlineRuleSchema.safeParse(candidate);
  if (!parsed.success) throw new Error(`deadline ${row.id} has an invalid rule: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The deadline's own ladder, or the default. */
export function ladderOfDeadline(row: Pick<DeadlineRow, "ladder">): Ladder {
  if (!row.ladder) return { ...DEFAULT_LADDER, before: [...DEFAULT_LADDER.before] };
  return ladderSchema.parse(JSON.parse(row.ladder));
}
