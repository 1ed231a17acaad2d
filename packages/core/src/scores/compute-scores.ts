import type { Db } from "@duban/db/client";
import { shanghaiInstant } from "@duban/domain/calendar";
import { scoreUnits, type ScoreOutcome, type ScoreRule } from "@duban/domain/score";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { BLOCKED_STATUS } from "../board/board.ts";
import { loadScoreRule } from "./score-rule.ts";

export interface ScoreDetail {
  submissionId: number;
  unitId: number;
  unit: string;
  taskNumber: string;
  taskTitle: string;
  deadline: string;
  periodKey: string;
  originalDueAt: Date;
  dueAt: Date;
  submittedAt: Date | null;
  outcome: ScoreOutcome;
  workdaysLate: number;
  extended: boolean;
  exemptionReason: string | null;
}

/**
 * 考核 for a year (optionally one plan): every submission of an active deadline whose round was due
 * in the year, scored by the domain rule with the office's settings. Three reads, whatever the
 * number of units: submissions (with their exemption), 有困难 reports, the calendar.
 */
export async function computeScores(db: Db, input: { year: number; planId?: number | null; now: Date; rule?: ScoreRule }) {
  const from = shanghaiInstant(`${input.year}-01-01`, "00:00");
  const until = shanghaiInstant(`${input.year + 1}-01-01`, "00:00");
  const taskWhere = { active: true, ...(input.planId ? { planId: input.planId } : {}) };
  const [calendar, rule, submissions, blockers] = await Promise.all([
    loadCalendar(db),
    input.rule ? Promise.resolve(input.rule) : loadScoreRule(db),
    db.submission.findMany({
      where: { round: { dueAt: { gte: from, lt: until }, deadline: { active: true, task: taskWhere } } },
      orderBy: { id: "asc" },
      include: {
        unit: { select: { name: true } },
        exemption: { select: { reason: true } },
        round: { select: { dueAt: true, periodKey: true, deadline: { select: { title: true, task: { select: { number: true, title: true } } } } } },
      },
    }),
    db.statusUpdate.findMany({
      where: { status: BLOCKED_STATUS, createdAt: { gte: from, lt: until }, task: taskWhere },
      select: { unitId: true, createdAt: true, unit: { select: { name: true } } },
    }),
  ]);

  const names = new Map<number, string>();
  for (const s of submissions) names.set(s.unitId, s.unit.name);
  for (const b of blockers) names.set(b.unitId, b.unit.name);
  const byId = new Map(submissions.map((s) => [s.id, s]));

  const result = scoreUnits({
    year: input.year,
    now: input.now,
    rule,
    calendar,
    items: submissions.map((s) => ({
      submissionId: s.id,
      unitId: s.unitId,
      originalDueAt: s.round.dueAt,
      dueAt: s.dueAt,
      submittedAt: s.submittedAt,
      exempt: s.exemption !== null,
    })),
    blockers: blockers.map((b) => ({ unitId: b.unitId, at: b.createdAt })),
  });

  const details: ScoreDetail[] = result.items.map((i) => {
    const s = byId.get(i.submissionId)!;
    return {
      submissionId: i.submissionId,
      unitId: i.unitId,
      unit: s.unit.name,
      taskNumber: s.round.deadline.task.number,
      taskTitle: s.round.deadline.task.title,
      deadline: s.round.deadline.title,
      periodKey: s.round.periodKey,
      originalDueAt: i.originalDueAt,
      dueAt: i.dueAt,
      submittedAt: i.submittedAt,
      outcome: i.outcome,
      workdaysLate: i.workdaysLate,
      extended: i.extended,
      exemptionReason: s.exemption?.reason ?? null,
    };
  });

  return {
    year: input.year,
    planId: input.planId ?? null,
    rule,
    units: result.units.map((u) => ({ ...u, unit: names.get(u.unitId) ?? String(u.unitId) })),
    items: details,
  };
}

export type Scores = Awaited<ReturnType<typeof computeScores>>;
