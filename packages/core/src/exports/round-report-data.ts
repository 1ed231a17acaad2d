import type { Db } from "@duban/db/client";
import { shanghaiDate, shanghaiTime } from "@duban/domain/calendar";
import { periodEnd, periodLabel, periodStart } from "@duban/domain/period";
import { ONCE_PERIOD } from "../rounds/ensure-rounds.ts";
import { userNames } from "../users/user-names.ts";

export class ExportError extends Error {
  constructor(
    readonly code: "not-found" | "bad-period",
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

/**
 * Notes as one passage: each note's own closing punctuation dropped, joined by "；", closed by "。"
 * (so "……建设。" and "申请延期" read "……建设；申请延期。", not "建设。；申请延期；").
 */
export function joinSentences(parts: readonly (string | null | undefined)[]): string {
  const cleaned = parts.map((part) => (part ?? "").trim().replace(/[\s。；;，,、.！!？?…]+$/u, "")).filter(Boolean);
  return cleaned.length ? `${cleaned.join("；")}。` : "";
}

/** Where the console serves an attachment; absolute when the caller knows the console's address. */
export function attachmentUrl(id: number, baseUrl: string | null | undefined): string {
  return `${(baseUrl ?? "").replace(/\/+$/, "")}/files/attachments/${id}`;
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
 * Where a unit stands in a round. A reply does not always count as the submission (see
 * countsAsSubmission: a progress reply before the reporting window, or 推进中 in a deliverable
 * round), but it is still the unit's news, so the exports tell the three apart.
 */
export type ReplyState = "submitted" | "replied" | "none";

/** Who entered a reply: the liaison, or the office user who entered it for the unit (代为填报). */
export function reporterLabel(reply: { userId: number | null; contactName: string | null }, users: ReadonlyMap<number, string>): string | null {
  if (reply.userId !== null) {
    const user = users.get(reply.userId);
    return `办公室代为填报${user ? `（${user}）` : ""}`;
  }
  return reply.contactName;
}

/** The 报送情况 word both exports print for a unit. */
export function submissionStateLabel(u: { state: ReplyState; late: boolean }): string {
  if (u.state === "submitted") return u.late ? "逾期报送" : "已报送";
  if (u.state === "replied") return `已回复，未计入报送${u.late ? "，已逾期" : ""}`;
  return u.late ? "逾期未报" : "未报送";
}

/**
 * What a round's 台账 and its analysis draft are made of — the one model both are built from:
 * every owing unit with its submission and latest reply in the round (submitted or not), the
 * plan's indicators with the latest value reported in the period or in the round's replies, and
 * the units that replied without it counting yet and those that have not replied at all.
 */
export async function loadRoundReport(db: Db, roundId: number, now: Date, options: { baseUrl?: string | null } = {}) {
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
      attachments: { orderBy: { id: "asc" }, select: { id: true, fileName: true, kind: true } },
    },
  });
  const extensions = await db.extensionRequest.findMany({ where: { roundId: round.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });

  const users = await userNames(db, replies.map((r) => r.userId));

  const once = round.periodKey === ONCE_PERIOD;
  const label = once ? round.deadline.title : periodLabel(round.periodKey, "zh");
  // Indicator values count when given inside the period (for a one-off round: up to its due moment).
  const from = once ? new Date(0) : new Date(`${periodStart(round.periodKey)}T00:00:00+08:00`);
  const until = once ? round.dueAt : new Date(Math.max(round.dueAt.getTime(), new Date(`${periodEnd(round.periodKey)}T23:59:59+08:00`).getTime()));
  const indicators = await db.indicator.findMany({
    // The task's own indicators: a task's 台账 is about that task.
    where: { active: true, taskId: task.id },
    orderBy: [{ task: { ordinal: "asc" } }, { ordinal: "asc" }],
    include: {
      task: { select: { number: true, title: true } },
      values: {
        // The round's own replies count even when given outside the period, so a value a unit row shows is never missing here.
        where: { OR: [{ createdAt: { gte: from, lte: until } }, { statusUpdate: { roundId: round.id } }] },
        orderBy: { createdAt: "desc" },
        take: 1,
        include: { statusUpdate: { include: { unit: { select: { name: true } } } } },
      },
    },
  });

  const units = round.submissions.map((s) => {
    const mine = replies.filter((r) => r.unitId === s.unitId);
    const last = mine[mine.length - 1] ?? null;
    // The latest value per indicator across the unit's replies in the round.
    const values = new Map<number, { name: string; value: number; measureUnit: string | null }>();
    for (const r of mine) for (const v of r.values) values.set(v.indicatorId, { name: v.indicator.name, value: v.value, measureUnit: v.indicator.measureUnit });
    const state: ReplyState = s.submittedAt ? "submitted" : last ? "replied" : "none";
    return {
      unitId: s.unitId,
      unit: s.unit.name,
      dueAt: s.dueAt,
      state,
      submittedAt: s.submittedAt,
      acknowledgedAt: s.acknowledgedAt,
      repliedAt: last?.createdAt ?? null,
      late: s.submittedAt ? s.submittedAt > s.dueAt : now > s.dueAt,
      status: last?.status ?? s.lastStatus,
      progress: last?.progress ?? null,
      /** Who entered the latest reply: the liaison's name, or 办公室代为填报（user）. */
      reportedBy: last ? reporterLabel({ userId: last.userId, contactName: last.contact ? (last.contact.name ?? last.contact.telegramName) : null }, users) : null,
      notes: mine.flatMap((r) => (r.note ? [r.note] : [])),
      values: [...values.values()],
      attachments: mine.flatMap((r) => r.attachments.map((a) => ({ id: a.id, name: a.fileName ?? a.kind, url: attachmentUrl(a.id, options.baseUrl) }))),
      /** Due date as the round set it; `dueAt` is the unit's, moved by an approved extension. */
      originalDueAt: round.dueAt,
      extensions: extensions
        .filter((e) => e.unitId === s.unitId)
        .map((e) => ({ reason: e.reason, state: e.state, newDueAt: e.newDueAt, decisionReason: e.decisionReason })),
    };
  });

  return {
    round: { id: round.id, periodKey: round.periodKey, periodLabel: label, dueAt: round.dueAt },
    planTitle: task.plan.title,
    task: { number: task.number, title: task.title },
    deadline: round.deadline.title,
    cycle: round.deadline.cycle?.name ?? null,
    /** A progress round takes any status as the report, once its reporting window opens; other rounds wait for 已完成. */
    progressRound: round.deadline.cycle?.key === "progress",
    units,
    submitted: units.filter((u) => u.state === "submitted").map((u) => u.unit),
    /** Replied in the round, but the reply does not count as the submission (yet). */
    repliedNotSubmitted: units.filter((u) => u.state === "replied").map((u) => u.unit),
    /** No reply at all in the round: 未报送. */
    missing: units.filter((u) => u.state === "none").map((u) => u.unit),
    late: units.filter((u) => u.submittedAt && u.late).map((u) => u.unit),
    blocked: units.filter((u) => u.status === "blocked" || replies.some((r) => r.unitId === u.unitId && r.status === "blocked")),
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

/** An extension request in words: 已批准，延至 2026-10-20（理由：…；批复：…）. */
export function extensionLabel(e: RoundReport["units"][number]["extensions"][number]): string {
  const decision = e.state === "approved" && e.newDueAt ? `已批准，延至 ${shanghaiDate(e.newDueAt)}` : e.state === "rejected" ? "未批准" : "待审批";
  return `${decision}（理由：${e.reason}${e.decisionReason ? `；批复：${e.decisionReason}` : ""}）`;
}

/** What a unit said about its difficulty: its notes, else the reason it gave for an extension. */
export function difficultyText(u: RoundReport["units"][number]): string {
  return joinSentences(u.notes) || joinSentences(u.extensions.map((e) => e.reason)) || "（未填写说明）";
}

/** File names safe on every OS, keeping the Chinese. */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, "_");
}
