import type { Db } from "@duban/db/client";
import { shanghaiDate, shanghaiTime } from "@duban/domain/calendar";
import { periodEnd, periodLabel, periodStart } from "@duban/domain/period";
import { ONCE_PERIOD } from "../ensure-rounds.ts";

export class ExportError extends Error {
  constructor(
    readonly code: "not-found",
    message: string,
  ) {
    super(message);
  }
}

/** Status words as the office writes them; unknown values pass through. */
export const STATUS_LABEL: Record<string, string> = {
  not_started: "未开始",
  in_progress: "推进中",
  done: "已完成",
  blocked: "有困难",
};

export function statusLabel(status: string | null | undefined): string {
  if (!status) return "";
  return STATUS_LABEL[status] ?? status;
}

export function formatShanghai(instant: Date | null | undefined): string {
  return instant ? `${shanghaiDate(instant)} ${shanghaiTime(instant)}` : "";
}

const COMPARATOR_OK: Record<string, (a: number, b: number) => boolean> = {
  ">=": (a, b) => a >= b,
  "≥": (a, b) => a >= b,
  ">": (a, b) => a > b,
  "<=": (a, b) => a <= b,
  "≤": (a, b) => a <= b,
  "<": (a, b) => a < b,
  "=": (a, b) => a === b,
};
const COMPARATOR_WORD: Record<string, string> = { ">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=" };

export function comparatorText(comparator: string): string {
  return COMPARATOR_WORD[comparator] ?? comparator;
}

/** Whether a reported value meets the indicator's target; null when the comparator is unknown. */
export function meetsTarget(comparator: string, value: number, target: number): boolean | null {
  const check = COMPARATOR_OK[comparator];
  return check ? check(value, target) : null;
}

/**
 * What a round's 台账 and its analysis draft are made of: every owing unit with its submission and
 * latest reply in the round, the plan's indicators with the latest value reported up to the
 * round's due moment, and the units still missing.
 */
export async function loadRoundReport(db: Db, roundId: number, now: Date) {
  const round = await db.round.findUnique({
    where: { id: roundId },
    include: {
      deadline: { include: { task: { include: { plan: true } }, cycle: true } },
      submissions: { include: { unit: true }, orderBy: { unitId: "asc" } },
    },
  });
  if (!round) throw new ExportError("not-found", "报送轮次不存在");
  const task = round.deadline.task;
  const replies = await db.statusUpdate.findMany({
    where: { roundId: round.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: {
      contact: { select: { name: true, telegramName: true } },
      values: { include: { indicator: true } },
      attachments: { select: { fileName: true, kind: true } },
    },
  });

  const once = round.periodKey === ONCE_PERIOD;
  const label = once ? round.deadline.title : periodLabel(round.periodKey, "zh");
  // Indicator values count when given inside the period (for a one-off round: up to its due moment).
  const from = once ? new Date(0) : new Date(`${periodStart(round.periodKey)}T00:00:00+08:00`);
  const until = once ? round.dueAt : new Date(Math.max(round.dueAt.getTime(), new Date(`${periodEnd(round.periodKey)}T23:59:59+08:00`).getTime()));
  const indicators = await db.indicator.findMany({
    where: { active: true, task: { planId: task.planId, active: true } },
    orderBy: [{ task: { ordinal: "asc" } }, { ordinal: "asc" }],
    include: {
      task: { select: { number: true, title: true } },
      values: {
        where: { createdAt: { gte: from, lte: until } },
        orderBy: { createdAt: "desc" },
        take: 1,
        include: { statusUpdate: { include: { unit: { select: { name: true } } } } },
      },
    },
  });

  const units = round.submissions.map((s) => {
    const mine = replies.filter((r) => r.unitId === s.unitId);
    const last = mine[mine.length - 1] ?? null;
    return {
      unitId: s.unitId,
      unit: s.unit.name,
      dueAt: s.dueAt,
      submittedAt: s.submittedAt,
      acknowledgedAt: s.acknowledgedAt,
      late: s.submittedAt ? s.submittedAt > s.dueAt : now > s.dueAt,
      status: last?.status ?? s.lastStatus,
      progress: last?.progress ?? null,
      contact: last?.contact ? (last.contact.name ?? last.contact.telegramName) : null,
      notes: mine.flatMap((r) => (r.note ? [r.note] : [])),
      values: mine.flatMap((r) => r.values.map((v) => ({ name: v.indicator.name, value: v.value, measureUnit: v.indicator.measureUnit }))),
      attachments: mine.flatMap((r) => r.attachments.map((a) => a.fileName ?? a.kind)),
    };
  });

  return {
    round: { id: round.id, periodKey: round.periodKey, periodLabel: label, dueAt: round.dueAt },
    planTitle: task.plan.title,
    task: { number: task.number, title: task.title },
    deadline: round.deadline.title,
    cycle: round.deadline.cycle?.name ?? null,
    units,
    missing: units.filter((u) => !u.submittedAt).map((u) => u.unit),
    late: units.filter((u) => u.submittedAt && u.late).map((u) => u.unit),
    blocked: units.filter((u) => u.status === "blocked"),
    indicators: indicators.map((i) => {
      const latest = i.values[0] ?? null;
      return {
        task: `${i.task.number}`,
        name: i.name,
        text: i.text,
        comparator: i.comparator,
        target: i.value,
        measureUnit: i.measureUnit,
        value: latest?.value ?? null,
        unit: latest?.statusUpdate.unit.name ?? null,
        met: latest ? meetsTarget(i.comparator, latest.value, i.value) : null,
      };
    }),
    generatedAt: now,
  };
}

export type RoundReport = Awaited<ReturnType<typeof loadRoundReport>>;

/** File names safe on every OS, keeping the Chinese. */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, "_");
}
