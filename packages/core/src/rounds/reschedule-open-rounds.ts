import type { Db, Prisma } from "@duban/db/client";
import { cancelWaitingReminders } from "@duban/db/repositories/reminder-outbox";
import { shanghaiDate, shanghaiInstant, shanghaiTime, type Calendar } from "@duban/domain/calendar";
import { roundMoves, submissionDueAt } from "@duban/domain/reschedule";
import { ruleOfDeadline } from "../deadlines/deadline-rule.ts";
import { LADDER_KINDS } from "../channels/messenger.ts";

type Tx = Db | Prisma.TransactionClient;

/** One round that followed the change, for the audit entry: Shanghai "YYYY-MM-DD HH:MM" old → new. */
export interface MovedRound {
  roundId: number;
  deadlineId: number;
  periodKey: string;
  from: string;
  to: string;
}


const shanghaiText = (instant: Date) => `${shanghaiDate(instant)} ${shanghaiTime(instant)}`;

/**
 * After the office changes a deadline's rule or the calendar: every round not yet past due
 * (due today or later, Shanghai) gets the due date `ensureRounds` would give it now, and so do
 * its submissions — except that a unit with an approved extension keeps the later of its
 * extension and the new date (`submissionDueAt`). Rounds already past due keep theirs.
 * Ladder rungs still waiting for a unit whose due date moved are cancelled; the round is marked
 * rescheduled so the ladder plans afresh for the new date under keys of its own. Sent
 * reminders stay as history. Call inside the transaction that made the change, with the
 * calendar as it now is; the caller audits the returned moves.
 */
export async function rescheduleOpenRounds(tx: Tx, input: { calendar: Calendar; now: Date; deadlineIds?: number[] }): Promise<MovedRound[]> {
  const startOfToday = shanghaiInstant(shanghaiDate(input.now), "00:00");
  const deadlines = await tx.deadline.findMany({
    where: { ...(input.deadlineIds ? { id: { in: input.deadlineIds } } : {}), rounds: { some: { dueAt: { gte: startOfToday } } } },
    include: { rounds: { where: { dueAt: { gte: startOfToday } }, orderBy: { id: "asc" } } },
    orderBy: { id: "asc" },
  });
  const moved: MovedRound[] = [];
  for (const deadline of deadlines) {
    const moves = roundMoves({ rule: ruleOfDeadline(deadline), dueTime: deadline.dueTime, rounds: deadline.rounds.map((r) => ({ roundId: r.id, periodKey: r.periodKey, dueAt: r.dueAt })), calendar: input.calendar, now: input.now });
    for (const move of moves) {
      await tx.round.update({ where: { id: move.roundId }, data: { dueAt: move.to, rescheduledAt: input.now } });
      // One after the other: queries inside one PostgreSQL transaction cannot run in parallel.
      const submissions = await tx.submission.findMany({ where: { roundId: move.roundId } });
      const extensions = await tx.extensionRequest.findMany({ where: { roundId: move.roundId, state: "approved", newDueAt: { not: null } } });
      const movedUnits: number[] = [];
      for (const submission of submissions) {
        const granted = extensions.filter((e) => e.unitId === submission.unitId).map((e) => e.newDueAt!.getTime());
        const dueAt = submissionDueAt(move.to, granted.length > 0 ? new Date(Math.max(...granted)) : null);
        if (dueAt.getTime() === submission.dueAt.getTime()) continue;
        await tx.submission.update({ where: { id: submission.id }, data: { dueAt } });
        movedUnits.push(submission.unitId);
      }
      if (movedUnits.length > 0) {
        await cancelWaitingReminders(tx, { roundId: move.roundId, unitId: { in: movedUnits }, kind: { in: LADDER_KINDS } }, `due date moved to ${shanghaiText(move.to)}`);
      }
      moved.push({ roundId: move.roundId, deadlineId: deadline.id, periodKey: move.periodKey, from: shanghaiText(move.from), to: shanghaiText(move.to) });
    }
  }
  return moved;
}
