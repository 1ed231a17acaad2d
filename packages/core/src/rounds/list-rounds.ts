import type { Db } from "@duban/db/client";
import { periodLabel } from "@duban/domain/period";
import { ONCE_PERIOD } from "./ensure-rounds.ts";

export interface RoundUnitView {
  unitId: number;
  unit: string;
  submittedAt: Date | null;
  late: boolean;
  acknowledgedAt: Date | null;
  lastStatus: string | null;
  dueAt: Date;
}

export interface RoundView {
  roundId: number;
  planId: number;
  period: string;
  periodLabel: string | null;
  cycle: string;
  deadlineId: number;
  deadline: string;
  taskId: number;
  taskNumber: string;
  taskTitle: string;
  dueAt: Date;
  expected: string[];
  submitted: string[];
  missing: string[];
  late: string[];
  units: RoundUnitView[];
}

/** Rounds (of one plan, or of all plans) with who has submitted, who is missing and who was late (newest period first). */
export async function listRounds(db: Db, options: { period?: string; roundId?: number; planId?: number | null; now?: Date } = {}): Promise<RoundView[]> {
  const rounds = await db.round.findMany({
    where: {
      ...(options.period ? { periodKey: options.period } : {}),
      ...(options.roundId ? { id: options.roundId } : {}),
      ...(options.planId != null ? { deadline: { task: { planId: options.planId } } } : {}),
    },
    include: {
      deadline: { include: { task: true, cycle: true } },
      submissions: { include: { unit: true }, orderBy: { unitId: "asc" } },
    },
    orderBy: [{ dueAt: "desc" }, { id: "asc" }],
  });
  const now = options.now ?? new Date();
  return rounds.map((round) => {
    const units = round.submissions.map((s) => ({
      unitId: s.unitId,
      unit: s.unit.name,
      submittedAt: s.submittedAt,
      late: s.submittedAt ? s.submittedAt > s.dueAt : now > s.dueAt,
      acknowledgedAt: s.acknowledgedAt,
      lastStatus: s.lastStatus,
      dueAt: s.dueAt,
    }));
    return {
      roundId: round.id,
      planId: round.deadline.task.planId,
      period: round.periodKey,
      periodLabel: round.periodKey === ONCE_PERIOD ? null : periodLabel(round.periodKey, "zh"),
      cycle: round.deadline.cycle?.name ?? "一次性时间节点",
      deadlineId: round.deadlineId,
      deadline: round.deadline.title,
      taskId: round.deadline.taskId,
      taskNumber: round.deadline.task.number,
      taskTitle: round.deadline.task.title,
      dueAt: round.dueAt,
      expected: units.map((u) => u.unit),
      submitted: units.filter((u) => u.submittedAt).map((u) => u.unit),
      missing: units.filter((u) => !u.submittedAt).map((u) => u.unit),
      late: units.filter((u) => u.late).map((u) => u.unit),
      units,
    };
  });
}
