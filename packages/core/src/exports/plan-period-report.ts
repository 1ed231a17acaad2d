import type { Db } from "@duban/db/client";
import { addDays, shanghaiDate, shanghaiInstant } from "@duban/domain/calendar";
import { periodEnd, periodKeySchema, periodLabel, periodStart } from "@duban/domain/period";
import { classifyItem, type ScoreOutcome } from "@duban/domain/score";
import { loadBoard, BLOCKED_STATUS, type BoardCell } from "../board/board.ts";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { ONCE_PERIOD } from "../rounds/ensure-rounds.ts";
import type { ScoreDetail } from "../scores/compute-scores.ts";
import { userNames } from "../users/user-names.ts";
import { attachmentUrl, ExportError, joinSentences, meetsTarget, reporterLabel } from "./round-report-data.ts";

/** One submission a unit owed for the task in the period, judged as the 考核 scores judge it. */
export type PeriodObligation = Omit<ScoreDetail, "unit" | "taskNumber" | "taskTitle">;

export interface PeriodExtension {
  unitId: number;
  unit: string;
  taskNumber: string;
  taskTitle: string;
  reason: string;
  state: string;
  originalDueAt: Date;
  newDueAt: Date | null;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface PeriodBlocker {
  taskId: number;
  unitId: number;
  unit: string;
  taskNumber: string;
  taskTitle: string;
  at: Date;
  /** The liaison's note, else the reason given with an extension request in the period. */
  note: string;
  coordinatedAt: Date | null;
  coordinationNote: string | null;
}

/** 按时情况 in words: 按时 / 逾期N个工作日 / 未报（逾期N个工作日） / 免责 / 未到期. */
export function outcomeLabel(o: Pick<PeriodObligation, "outcome" | "workdaysLate" | "exemptionReason">): string {
  switch (o.outcome) {
    case "onTime":
      return "按时";
    case "late":
      return `逾期${o.workdaysLate}个工作日`;
    case "missing":
      return `未报（已逾期${o.workdaysLate}个工作日）`;
    case "exempt":
      return `免责${o.exemptionReason ? `（${o.exemptionReason}）` : ""}`;
    default:
      return "未到期";
  }
}

/**
 * A plan's whole period (2026Q3 or 2026): every task × unit of the board — its light, status and
 * progress taken from `loadBoard` itself, so the reports' figures are the board's — with the
 * period's submissions (on time or how late, extensions moving due dates), notes, indicator values
 * against targets, 有困难 reports and how they were coordinated, and attachment links. One-off
 * rounds count in the period their due date falls in. A fixed number of reads, whatever the size.
 */
export async function loadPlanPeriodReport(db: Db, input: { planId: number; periodKey: string; now: Date; baseUrl?: string | null }) {
  if (!periodKeySchema.safeParse(input.periodKey).success) throw new ExportError("bad-period", `期次"${input.periodKey}"无效，应为 2026Q3 或 2026`);
  const { planId, periodKey, now } = input;
  const plan = await db.plan.findUnique({ where: { id: planId }, include: { groups: { orderBy: { ordinal: "asc" } } } });
  if (!plan) throw new ExportError("not-found", "工作方案不存在");

  const start = shanghaiInstant(periodStart(periodKey), "00:00");
  const endExclusive = shanghaiInstant(addDays(periodEnd(periodKey), 1), "00:00");
  const yearStart = shanghaiInstant(`${periodKey.slice(0, 4)}-01-01`, "00:00");

  const [board, calendar, members, rounds] = await Promise.all([
    loadBoard(db, now, { planId }),
    loadCalendar(db),
    db.unitMember.findMany(),
    db.round.findMany({
      where: {
        deadline: { active: true, task: { planId, active: true } },
        OR: [{ periodKey }, { periodKey: ONCE_PERIOD, dueAt: { gte: start, lt: endExclusive } }],
      },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      include: {
        deadline: { select: { title: true, taskId: true } },
        submissions: { include: { exemption: { select: { reason: true } } } },
      },
    }),
  ]);
  const roundIds = rounds.map((r) => r.id);
  const [extensions, updates, indicators] = await Promise.all([
    db.extensionRequest.findMany({
      where: { roundId: { in: roundIds } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { unit: { select: { name: true } }, round: { select: { dueAt: true, deadline: { select: { taskId: true, task: { select: { number: true, title: true } } } } } } },
    }),
    db.statusUpdate.findMany({
      where: { task: { planId }, OR: [{ roundId: { in: roundIds } }, { createdAt: { gte: start, lt: endExclusive } }] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: {
        unit: { select: { name: true } },
        task: { select: { number: true, title: true } },
        contact: { select: { name: true, telegramName: true } },
        values: { select: { indicatorId: true, value: true } },
        attachments: { orderBy: { id: "asc" }, select: { id: true, kind: true, fileName: true } },
      },
    }),
    db.indicator.findMany({
      where: { active: true, task: { planId, active: true } },
      orderBy: [{ task: { ordinal: "asc" } }, { ordinal: "asc" }],
      include: {
        task: { select: { id: true, number: true, title: true } },
        // The year up to the period's end: the latest value per quarter makes the trend.
        values: { where: { createdAt: { gte: yearStart, lt: endExclusive } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { value: true, createdAt: true, statusUpdate: { select: { unitId: true } } } },
      },
    }),
  ]);
  const users = await userNames(db, [...updates.map((u) => u.userId), ...extensions.map((e) => e.decidedById)]);

  const membersOf = new Map<number, number[]>();
  for (const m of members) membersOf.set(m.collectiveId, [...(membersOf.get(m.collectiveId) ?? []), m.memberId]);
  const collective = new Set(board.units.filter((u) => u.collective).map((u) => u.id));
  const unitName = new Map(board.unitOptions.map((u) => [u.id, u.name]));
  const indicatorsOfTask = new Map<number, typeof indicators>();
  for (const i of indicators) indicatorsOfTask.set(i.task.id, [...(indicatorsOfTask.get(i.task.id) ?? []), i]);

  const obligationsByTask = new Map<number, PeriodObligation[]>();
  for (const r of rounds) {
    for (const s of r.submissions) {
      const scored = classifyItem({ submissionId: s.id, unitId: s.unitId, originalDueAt: r.dueAt, dueAt: s.dueAt, submittedAt: s.submittedAt, exempt: s.exemption !== null }, now, calendar);
      const list = obligationsByTask.get(r.deadline.taskId) ?? [];
      list.push({
        submissionId: s.id,
        unitId: s.unitId,
        deadline: r.deadline.title,
        periodKey: r.periodKey,
        originalDueAt: r.dueAt,
        dueAt: s.dueAt,
        submittedAt: s.submittedAt,
        outcome: scored.outcome,
        workdaysLate: scored.workdaysLate,
        extended: scored.extended,
        exemptionReason: s.exemption?.reason ?? null,
      });
      obligationsByTask.set(r.deadline.taskId, list);
    }
  }

  const extensionRows: PeriodExtension[] = extensions.map((e) => ({
    unitId: e.unitId,
    unit: e.unit.name,
    taskNumber: e.round.deadline.task.number,
    taskTitle: e.round.deadline.task.title,
    reason: e.reason,
    state: e.state,
    originalDueAt: e.round.dueAt,
    newDueAt: e.newDueAt,
    decisionReason: e.decisionReason,
    decidedBy: e.decidedById !== null ? (users.get(e.decidedById) ?? null) : null,
    decidedAt: e.decidedAt,
  }));
  const extensionTask = new Map(extensions.map((e, i) => [extensionRows[i]!, e.round.deadline.taskId]));

  const blockerRows: PeriodBlocker[] = updates
    .filter((u) => u.status === BLOCKED_STATUS)
    .map((u) => ({
      taskId: u.taskId,
      unitId: u.unitId,
      unit: u.unit.name,
      taskNumber: u.task.number,
      taskTitle: u.task.title,
      at: u.createdAt,
      note:
        u.note?.trim() ||
        joinSentences(extensionRows.filter((e) => e.unitId === u.unitId && extensionTask.get(e) === u.taskId).map((e) => e.reason)) ||
        "（未填写说明）",
      coordinatedAt: u.coordinatedAt,
      coordinationNote: u.coordinationNote,
    }));

  const groupOf = new Map(plan.groups.map((g) => [g.id, g]));
  const rows = board.rows.flatMap((row) =>
    row.cells.map((cell: BoardCell) => {
      const unitIds = new Set([cell.unitId, ...(collective.has(cell.unitId) ? (membersOf.get(cell.unitId) ?? []) : [])]);
      const mine = updates.filter((u) => u.taskId === row.taskId && unitIds.has(u.unitId));
      const latestValue = new Map<number, number>();
      for (const u of mine) for (const v of u.values) latestValue.set(v.indicatorId, v.value);
      const last = mine[mine.length - 1] ?? null;
      const group = row.groupId !== null ? groupOf.get(row.groupId) : undefined;
      return {
        taskId: row.taskId,
        taskNumber: row.number,
        taskTitle: row.title,
        group: group ? `${group.number}${group.heading}` : "",
        unitId: cell.unitId,
        unit: unitName.get(cell.unitId) ?? String(cell.unitId),
        role: cell.role,
        /** As the board shows it now. */
        light: cell.light,
        status: cell.status,
        progress: cell.progress,
        coordinated: cell.coordinated,
        obligations: (obligationsByTask.get(row.taskId) ?? []).filter((o) => unitIds.has(o.unitId)),
        extensions: extensionRows.filter((e) => unitIds.has(e.unitId) && extensionTask.get(e) === row.taskId),
        blockers: blockerRows.filter((b) => unitIds.has(b.unitId) && b.taskId === row.taskId),
        notes: joinSentences(mine.map((u) => u.note)),
        reportedBy: last ? reporterLabel({ userId: last.userId, contactName: last.contact ? (last.contact.name ?? last.contact.telegramName) : null }, users) : null,
        indicators: (indicatorsOfTask.get(row.taskId) ?? []).map((i) => {
          const value = latestValue.get(i.id) ?? null;
          return { name: i.name, comparator: i.comparator, target: i.value, measureUnit: i.measureUnit, value, met: value === null ? null : meetsTarget(i.comparator, value, i.value) };
        }),
        attachments: mine.flatMap((u) => u.attachments.map((a) => ({ id: a.id, name: a.fileName ?? a.kind, url: attachmentUrl(a.id, input.baseUrl) }))),
      };
    }),
  );

  const all = rows.flatMap((r) => r.obligations);
  const count = (o: ScoreOutcome) => all.filter((x) => x.outcome === o).length;
  const quarterKeys = periodKey.includes("Q")
    ? Array.from({ length: Number(periodKey.slice(5)) }, (_, i) => `${periodKey.slice(0, 4)}Q${i + 1}`)
    : [1, 2, 3, 4].map((q) => `${periodKey}Q${q}`);
  const quarterOf = (d: Date) => `${shanghaiDate(d).slice(0, 4)}Q${Math.floor((Number(shanghaiDate(d).slice(5, 7)) - 1) / 3) + 1}`;

  return {
    plan: { id: plan.id, title: plan.title, docNumber: plan.docNumber },
    periodKey,
    periodLabel: periodLabel(periodKey, "zh"),
    groups: plan.groups.map((g) => ({ id: g.id, title: `${g.number}${g.heading}` })),
    /** The board's counts for the plan, as of `now`. */
    counts: board.counts,
    figures: {
      owed: all.length - count("pending"),
      onTime: count("onTime"),
      late: count("late"),
      missing: count("missing"),
      exempt: count("exempt"),
      pending: count("pending"),
      extensionsApproved: extensionRows.filter((e) => e.state === "approved").length,
      extensionsRejected: extensionRows.filter((e) => e.state === "rejected").length,
      extensionsPending: extensionRows.filter((e) => e.state === "pending").length,
      blockers: blockerRows.length,
      blockersCoordinated: blockerRows.filter((b) => b.coordinatedAt !== null).length,
    },
    rows,
    extensions: extensionRows,
    blockers: blockerRows,
    indicators: indicators.map((i) => {
      const inPeriod = i.values.filter((v) => v.createdAt >= start);
      const latest = inPeriod[inPeriod.length - 1] ?? null;
      return {
        taskNumber: i.task.number,
        name: i.name,
        comparator: i.comparator,
        target: i.value,
        measureUnit: i.measureUnit,
        value: latest?.value ?? null,
        unit: latest ? (unitName.get(latest.statusUpdate.unitId) ?? null) : null,
        met: latest ? meetsTarget(i.comparator, latest.value, i.value) : null,
        /** Latest value reported in each quarter of the year up to the period (null: none that quarter). */
        trend: quarterKeys.map((q) => {
          const inQuarter = i.values.filter((v) => quarterOf(v.createdAt) === q);
          return { periodKey: q, value: inQuarter[inQuarter.length - 1]?.value ?? null };
        }),
      };
    }),
    generatedAt: now,
  };
}

export type PlanPeriodReport = Awaited<ReturnType<typeof loadPlanPeriodReport>>;
