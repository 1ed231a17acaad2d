import type { Logger } from "pino";
import type { Db, Prisma } from "@duban/db/client";
import { createRoundOnce } from "@duban/db/repositories/rounds";
import { shanghaiDate, shanghaiInstant, type Calendar } from "@duban/domain/calendar";
import { dueDateFor, periodForRoundOpening, roundOpensOn } from "@duban/domain/due-date";
import { previousPeriodKey } from "@duban/domain/period";
import { ruleOfDeadline } from "../deadlines/deadline-rule.ts";

export const ONCE_PERIOD = "once";

/**
 * The units that owe a deadline: its assignment's unit, or every active assignment of the
 * task; a collective unit (联席会议成员单位) stands for its member units.
 */
export async function owingUnitIds(db: Db, deadline: { taskId: number; assignmentId: number | null }): Promise<number[]> {
  // Two queries whatever the task's size (no list of unit ids bound into one statement).
  const [assignments, memberships] = await Promise.all([
    db.assignment.findMany({
      where: deadline.assignmentId ? { id: deadline.assignmentId } : { taskId: deadline.taskId, active: true },
      orderBy: { ordinal: "asc" },
      select: { unitId: true },
    }),
    db.unitMember.findMany({ where: { collective: { collective: true } }, orderBy: { memberId: "asc" }, select: { collectiveId: true, memberId: true } }),
  ]);
  const members = new Map<number, number[]>();
  for (const m of memberships) members.set(m.collectiveId, [...(members.get(m.collectiveId) ?? []), m.memberId]);
  const ids = new Set<number>();
  for (const a of assignments) for (const id of members.get(a.unitId) ?? [a.unitId]) ids.add(id);
  return [...ids];
}

/**
 * Creates the round of every active deadline whose period has begun, exactly once per
 * (deadline, period) (see `createRoundOnce`).
 * Catch-up: after downtime the current period's round is created on the next pass, and the
 * previous period's too while it is still not past due.
 */
export async function ensureRounds(db: Db, now: Date, calendar: Calendar, log?: Pick<Logger, "error">): Promise<Array<{ roundId: number; deadlineId: number; periodKey: string }>> {
  const today = shanghaiDate(now);
  // An archived plan opens no more rounds.
  const deadlines = await db.deadline.findMany({ where: { active: true, task: { active: true, plan: { archivedAt: null } } }, include: { rounds: { select: { periodKey: true } } } });
  const created: Array<{ roundId: number; deadlineId: number; periodKey: string }> = [];
  for (const deadline of deadlines) {
    // One deadline that cannot open its round (a corrupt rule, a failing insert) is logged and
    // skipped: the others still open, and the next pass tries it again.
    try {
      created.push(...(await ensureRoundsOf(db, deadline, today, now, calendar)));
    } catch (error) {
      log?.error({ err: error, deadlineId: deadline.id }, "could not open a round of this deadline; the others go on");
    }
  }
  return created;
}

type DeadlineWithRounds = Prisma.DeadlineGetPayload<{ include: { rounds: { select: { periodKey: true } } } }>;

async function ensureRoundsOf(db: Db, deadline: DeadlineWithRounds, today: string, now: Date, calendar: Calendar) {
  const created: Array<{ roundId: number; deadlineId: number; periodKey: string }> = [];
  const rule = ruleOfDeadline(deadline);
  const wanted: Array<{ periodKey: string; opensOn: string; dueDate: string }> = [];
  if (rule.kind === "once") {
    wanted.push({ periodKey: ONCE_PERIOD, opensOn: shanghaiDate(deadline.createdAt), dueDate: rule.dueDate });
  } else {
    const current = periodForRoundOpening(rule, today)!;
    const previous = previousPeriodKey(current);
    const previousDue = dueDateFor(rule, previous, calendar);
    // The previous period still matters while it is not yet due (e.g. the Q3 report in early October).
    if (previousDue >= today) {
      wanted.push({ periodKey: previous, opensOn: roundOpensOn(previous), dueDate: previousDue });
    }
    wanted.push({ periodKey: current, opensOn: roundOpensOn(current), dueDate: dueDateFor(rule, current, calendar) });
  }
  for (const period of wanted) {
    if (deadline.rounds.some((r) => r.periodKey === period.periodKey)) continue;
    const roundId = await createRoundOnce(db, {
      deadlineId: deadline.id,
      periodKey: period.periodKey,
      opensAt: shanghaiInstant(period.opensOn, "00:00"),
      dueAt: shanghaiInstant(period.dueDate, deadline.dueTime),
      unitIds: await owingUnitIds(db, deadline),
      now,
    });
    // null: another instance created it first, exactly what the unique index is for.
    if (roundId !== null) created.push({ roundId, deadlineId: deadline.id, periodKey: period.periodKey });
  }
  return created;
}
