import { z } from "zod";
import { NOTE_MAX_LENGTH } from "@duban/domain/note-limit";
import type { Db, Prisma } from "@duban/db/client";
import { shanghaiDate } from "@duban/domain/calendar";
import { keptProgress } from "@duban/domain/kept-progress";
import { reportStatusSchema, type ReportStatus } from "@duban/domain/parse-reply";
import { DEFAULT_WORKING_HOURS, reportingWindowOpens, type WorkingHours } from "@duban/domain/reminder-ladder";
import { writeAudit } from "./audit.ts";
import { loadCalendar } from "./calendar-source.ts";
import { ladderOfDeadline } from "./deadline-rule.ts";

/**
 * 进度填报: a liaison's (or head's) status reply, recorded for their unit.
 *
 * When does a reply count as the unit's submission for a round?
 * - In a progress round (the quarterly 季度进度填报, cycle key "progress") the office asks
 *   "where do you stand?", so any status answers it: 推进中 60% is a complete report.
 * - In every other round the office waits for a deliverable (每季度质量分析报告, 年度白皮书, a
 *   one-off 时间节点): only 已完成 submits it. 推进中 or 有困难 is recorded, acknowledges the
 *   reminder and shows on the board, but the ladder keeps reminding until it is done.
 * - A progress reply counts only once the round collects answers (its reporting window, from the
 *   first reminder rung, or from the office's 催办 to the unit): a reply early in the quarter is
 *   kept as information, so the unit is still asked for its quarterly report when the time comes.
 * Any reply also counts as 签收 (acknowledged) for that round.
 */
export function countsAsSubmission(round: { progressRound: boolean; windowOpen: boolean }, status: ReportStatus): boolean {
  return status === "done" || (round.progressRound && round.windowOpen);
}

export const attachmentInputSchema = z.object({
  kind: z.enum(["photo", "document"]),
  telegramFileId: z.string().min(1).max(300),
  fileName: z.string().max(255).nullish(),
  mimeType: z.string().max(120).nullish(),
  size: z.number().int().nonnegative().nullish(),
});
export type AttachmentInput = z.infer<typeof attachmentInputSchema>;

const valueInputSchema = z.object({ indicatorId: z.number().int().positive(), value: z.number().finite() });

export const recordStatusInputSchema = z
  .object({
  /** A liaison or head answering in chat… */
  contactId: z.number().int().positive().nullish(),
  /** …or an office user entering it for a unit (e.g. after a phone call). */
  unitId: z.number().int().positive().nullish(),
  userId: z.number().int().positive().nullish(),
  taskId: z.number().int().positive(),
  /** The round the reply answers; taken from the reminder when one is given. */
  roundId: z.number().int().positive().nullish(),
  reminderId: z.number().int().positive().nullish(),
  status: reportStatusSchema,
  progress: z.number().int().min(0).max(100).nullish(),
  note: z.string().trim().max(NOTE_MAX_LENGTH).nullish(),
  values: z.array(valueInputSchema).max(20).default([]),
  attachments: z.array(attachmentInputSchema).max(10).default([]),
  /** "telegram-button" | "telegram-text" | "telegram-reply" | "console" … */
  source: z.string().min(1).max(40),
  })
  .refine((i) => (i.contactId != null) !== (i.unitId != null && i.userId != null), {
    message: "either contactId, or unitId with userId (office entry)",
    path: ["contactId"],
  });
/** `workingHours` (WORKING_HOURS) places the first ladder rung, which opens a progress round's reporting window. */
export type RecordStatusInput = z.input<typeof recordStatusInputSchema> & { now: Date; workingHours?: WorkingHours };

export class RecordStatusError extends Error {
  constructor(
    readonly code: "contact-inactive" | "not-your-task" | "round-mismatch" | "indicator-mismatch" | "not-found" | "not-yours",
    message: string,
  ) {
    super(message);
  }
}

export interface RecordedStatus {
  statusUpdateId: number;
  task: { id: number; number: string; title: string };
  round: { id: number; deadlineTitle: string; periodKey: string; progressRound: boolean } | null;
  status: ReportStatus;
  progress: number | null;
  note: string | null;
  values: Array<{ indicatorId: number; name: string; value: number; measureUnit: string | null }>;
  attachments: Array<{ kind: string; fileName: string | null }>;
  /** The unit's submission for the round is made (now or before). */
  submitted: boolean;
  /** This reply is the one that made it. */
  newlySubmitted: boolean;
  /** A progress reply too early to count: when the round starts collecting answers. */
  countsFrom: Date | null;
}

type Tx = Prisma.TransactionClient;

async function activeContact(tx: Tx, contactId: number) {
  const contact = await tx.contact.findUnique({ where: { id: contactId } });
  if (!contact || contact.status === "revoked") throw new RecordStatusError("contact-inactive", "联络人不存在或已停用");
  return contact;
}

async function assertTaskOfUnit(tx: Tx, taskId: number, unitId: number): Promise<void> {
  const memberships = await tx.unitMember.findMany({ where: { memberId: unitId }, select: { collectiveId: true } });
  const assignment = await tx.assignment.findFirst({ where: { taskId, active: true, unitId: { in: [unitId, ...memberships.map((m) => m.collectiveId)] } } });
  if (!assignment) throw new RecordStatusError("not-your-task", "该任务不属于本单位");
}

async function assertIndicators(tx: Tx, taskId: number, values: ReadonlyArray<{ indicatorId: number }>): Promise<void> {
  if (values.length === 0) return;
  const ids = [...new Set(values.map((v) => v.indicatorId))];
  const found = await tx.indicator.count({ where: { id: { in: ids }, taskId } });
  if (found !== ids.length) throw new RecordStatusError("indicator-mismatch", "指标不属于该任务");
}

/** Marks the unit's submission acknowledged, and submitted when the status counts; returns what it did. */
async function applyToSubmission(tx: Tx, input: { roundId: number; unitId: number; status: ReportStatus; progressRound: boolean; now: Date; workingHours: WorkingHours | undefined }) {
  const submission = await tx.submission.findUnique({
    where: { roundId_unitId: { roundId: input.roundId, unitId: input.unitId } },
    include: { round: { select: { deadline: { select: { ladder: true } } } } },
  });
  if (!submission) return NO_SUBMISSION;
  const calendar = await loadCalendar(tx);
  const opens = reportingWindowOpens(shanghaiDate(submission.dueAt), ladderOfDeadline(submission.round.deadline), calendar, input.workingHours ?? DEFAULT_WORKING_HOURS);
  // The office urging the unit (催办) asks for the report now: the window is open for it.
  const urged = input.now < opens && (await tx.reminder.count({ where: { roundId: input.roundId, unitId: input.unitId, kind: "urge", state: { not: "cancelled" } } })) > 0;
  const windowOpen = input.now >= opens || urged;
  const submits = countsAsSubmission({ progressRound: input.progressRound, windowOpen }, input.status);
  const newlySubmitted = submits && submission.submittedAt === null;
  await tx.submission.update({
    where: { id: submission.id },
    data: {
      lastStatus: input.status,
      acknowledgedAt: submission.acknowledgedAt ?? input.now,
      ...(newlySubmitted ? { submittedAt: input.now } : {}),
    },
  });
  const submitted = newlySubmitted || submission.submittedAt !== null;
  return { submitted, newlySubmitted, countsFrom: !submitted && input.progressRound && !windowOpen ? opens : null };
}

const NO_SUBMISSION = { submitted: false, newlySubmitted: false, countsFrom: null } as const;

async function describe(tx: Tx, statusUpdateId: number, outcome: { submitted: boolean; newlySubmitted: boolean; countsFrom: Date | null }): Promise<RecordedStatus> {
  const update = await tx.statusUpdate.findUniqueOrThrow({
    where: { id: statusUpdateId },
    include: {
      task: { select: { id: true, number: true, title: true } },
      round: { select: { id: true, periodKey: true, deadline: { select: { title: true, cycle: { select: { key: true } } } } } },
      values: { orderBy: { id: "asc" }, include: { indicator: { select: { name: true, measureUnit: true } } } },
      attachments: { orderBy: { id: "asc" }, select: { kind: true, fileName: true } },
    },
  });
  return {
    statusUpdateId: update.id,
    task: update.task,
    round: update.round
      ? { id: update.round.id, deadlineTitle: update.round.deadline.title, periodKey: update.round.periodKey, progressRound: update.round.deadline.cycle?.key === "progress" }
      : null,
    status: reportStatusSchema.parse(update.status),
    progress: update.progress,
    note: update.note,
    values: update.values.map((v) => ({ indicatorId: v.indicatorId, name: v.indicator.name, value: v.value, measureUnit: v.indicator.measureUnit })),
    attachments: update.attachments,
    ...outcome,
  };
}

/**
 * Records one status reply for the contact's unit: the update with its progress, indicator
 * values, note and attachments; the unit's submission for the round (see countsAsSubmission);
 * 签收; and the audit log — all in one transaction.
 */
export async function recordStatus(db: Db, rawInput: RecordStatusInput): Promise<RecordedStatus> {
  const input = recordStatusInputSchema.parse(rawInput);
  const now = rawInput.now;
  return db.$transaction(async (tx) => {
    const contact = input.contactId != null ? await activeContact(tx, input.contactId) : null;
    const unitId = contact?.unitId ?? input.unitId!;
    if (!contact && !(await tx.unit.findUnique({ where: { id: unitId } }))) throw new RecordStatusError("not-found", "单位不存在");
    await assertTaskOfUnit(tx, input.taskId, unitId);

    let roundId = input.roundId ?? null;
    if (input.reminderId) {
      const reminder = await tx.reminder.findUnique({ where: { id: input.reminderId }, select: { unitId: true, roundId: true } });
      if (!reminder || reminder.unitId !== unitId) throw new RecordStatusError("round-mismatch", "该提醒不属于本单位");
      roundId = reminder.roundId ?? roundId;
    }
    let progressRound = false;
    if (roundId !== null) {
      const round = await tx.round.findUnique({ where: { id: roundId }, select: { deadline: { select: { taskId: true, cycle: { select: { key: true } } } } } });
      if (!round || round.deadline.taskId !== input.taskId) throw new RecordStatusError("round-mismatch", "报送轮次与任务不符");
      progressRound = round.deadline.cycle?.key === "progress";
    }
    await assertIndicators(tx, input.taskId, input.values);

    // 推进中 again without a percentage keeps the unit's last known one (see keptProgress).
    const last = input.progress == null && input.status !== "done" && input.status !== "not_started"
      ? await tx.statusUpdate.findFirst({ where: { unitId, taskId: input.taskId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { status: true, progress: true } })
      : null;
    const progress = keptProgress(input.status, input.progress ?? null, last);
    const update = await tx.statusUpdate.create({
      data: {
        taskId: input.taskId,
        unitId,
        contactId: contact?.id ?? null,
        userId: contact ? null : input.userId!,
        roundId,
        reminderId: input.reminderId ?? null,
        status: input.status,
        progress,
        note: input.note?.trim() || null,
        source: input.source,
        createdAt: now,
        values: { create: input.values.map((v) => ({ indicatorId: v.indicatorId, value: v.value, createdAt: now })) },
        attachments: { create: input.attachments.map((a) => ({ ...a, createdAt: now })) },
      },
    });
    const outcome = roundId === null
      ? NO_SUBMISSION
      : await applyToSubmission(tx, { roundId, unitId, status: input.status, progressRound, now, workingHours: rawInput.workingHours });
    await writeAudit(tx, {
      actorType: contact ? "contact" : "user",
      actorId: contact ? contact.id : input.userId!,
      action: "status.record",
      entity: "StatusUpdate",
      entityId: update.id,
      detail: { taskId: input.taskId, roundId, status: input.status, progress, values: input.values.length, attachments: input.attachments.length, source: input.source, submitted: outcome.newlySubmitted },
      at: now,
    });
    return describe(tx, update.id, outcome);
  });
}

export const amendStatusInputSchema = z.object({
  statusUpdateId: z.number().int().positive(),
  contactId: z.number().int().positive(),
  status: reportStatusSchema.nullish(),
  progress: z.number().int().min(0).max(100).nullish(),
  /** Appended to the note already there. */
  note: z.string().trim().max(NOTE_MAX_LENGTH).nullish(),
  values: z.array(valueInputSchema).max(20).default([]),
  attachments: z.array(attachmentInputSchema).max(10).default([]),
});
export type AmendStatusInput = z.input<typeof amendStatusInputSchema> & { now: Date; workingHours?: WorkingHours };

/**
 * Adds what a liaison sends after a status (progress, values, a note, a file) to that same
 * update, so one answer stays one row on the board. Only its author may amend it.
 */
export async function amendStatusUpdate(db: Db, rawInput: AmendStatusInput): Promise<RecordedStatus> {
  const input = amendStatusInputSchema.parse(rawInput);
  const now = rawInput.now;
  return db.$transaction(async (tx) => {
    const existing = await tx.statusUpdate.findUnique({
      where: { id: input.statusUpdateId },
      include: { round: { select: { deadline: { select: { cycle: { select: { key: true } } } } } } },
    });
    if (!existing) throw new RecordStatusError("not-found", "填报记录不存在");
    if (existing.contactId !== input.contactId) throw new RecordStatusError("not-yours", "只能补充本人的填报");
    await activeContact(tx, input.contactId);
    await assertIndicators(tx, existing.taskId, input.values);

    const status = input.status ?? reportStatusSchema.parse(existing.status);
    const progress = input.progress ?? (status === "done" && existing.progress === null ? 100 : existing.progress);
    const note = input.note ? (existing.note ? `${existing.note}\n${input.note}` : input.note) : existing.note;
    await tx.statusUpdate.update({
      where: { id: existing.id },
      data: {
        status,
        progress,
        note,
        values: { create: input.values.map((v) => ({ indicatorId: v.indicatorId, value: v.value, createdAt: now })) },
        attachments: { create: input.attachments.map((a) => ({ ...a, createdAt: now })) },
      },
    });
    const outcome = existing.roundId === null
      ? NO_SUBMISSION
      : await applyToSubmission(tx, { roundId: existing.roundId, unitId: existing.unitId, status, progressRound: existing.round?.deadline.cycle?.key === "progress", now, workingHours: rawInput.workingHours });
    await writeAudit(tx, {
      actorType: "contact",
      actorId: input.contactId,
      action: "status.amend",
      entity: "StatusUpdate",
      entityId: existing.id,
      detail: {
        status: input.status ?? undefined,
        progress: input.progress ?? undefined,
        note: input.note ? true : undefined,
        values: input.values.length || undefined,
        attachments: input.attachments.length || undefined,
        submitted: outcome.newlySubmitted || undefined,
      },
      at: now,
    });
    return describe(tx, existing.id, outcome);
  });
}

/** The status a unit last reported for a task (to carry over when a reply only gives a value). */
export async function lastReportedStatus(db: Db, input: { unitId: number; taskId: number }): Promise<ReportStatus | null> {
  const last = await db.statusUpdate.findFirst({ where: { unitId: input.unitId, taskId: input.taskId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { status: true } });
  return last ? (reportStatusSchema.safeParse(last.status).data ?? null) : null;
}
