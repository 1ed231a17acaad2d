import { z } from "zod";
import { NOTE_MAX_LENGTH } from "@duban/domain/note-limit";
import type { Db, Prisma } from "@duban/db/client";
import { shanghaiDate } from "@duban/domain/calendar";
import { keptProgress } from "@duban/domain/kept-progress";
import { reportStatusSchema, type ReportStatus } from "@duban/domain/parse-reply";
import type { Calendar } from "@duban/domain/calendar";
import { DEFAULT_WORKING_HOURS, reportingWindowOpens, type WorkingHours } from "@duban/domain/reminder-ladder";
import { driverTransaction, join, sql, type SqlRunner } from "@duban/db/driver-sql";
import { auditStatement, writeAudit } from "../audit/audit.ts";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { ladderOfDeadline } from "../deadlines/deadline-rule.ts";

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
  /** The bytes, from a channel that keeps files only for days (see channels/liaison-conversation.ts). */
  content: z.instanceof(Uint8Array<ArrayBuffer>).nullish(),
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
  /** The task; may be left out when a reminder names it (a tap on a reminder's button). */
  taskId: z.number().int().positive().nullish(),
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
  })
  .refine((i) => i.taskId != null || i.reminderId != null, { message: "taskId or reminderId", path: ["taskId"] });
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

/** What one reply needs to know, read in one statement (see replyContext). */
interface ReplyContextRow {
  contactStatus: string | null;
  contactUnitId: number | bigint | null;
  unitFound: number | bigint | null;
  reminderUnitId: number | bigint | null;
  reminderRoundId: number | bigint | null;
  roundId: number | bigint | null;
  periodKey: string | null;
  roundTaskId: number | bigint | null;
  deadlineTitle: string | null;
  ladder: string | null;
  cycleKey: string | null;
  taskId: number | bigint | null;
  taskNumber: string | null;
  taskTitle: string | null;
  assigned: number | bigint;
  submissionId: number | bigint | null;
  dueAt: Date | string | null;
  submittedAt: Date | string | null;
  acknowledgedAt: Date | string | null;
  urged: number | bigint;
  lastStatus: string | null;
  lastProgress: number | bigint | null;
  calendarCount: number | bigint;
  calendarSum: number | bigint | null;
  calendarMax: number | bigint | null;
}

const num = (v: number | bigint | null): number | null => (v === null ? null : Number(v));
const date = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(/^\d+$/.test(v) ? Number(v) : v));

/**
 * Everything recording a reply checks and shows, in one portable statement: the contact (or
 * the office's unit), the reminder and its round, the round's deadline, cycle and task, whether
 * the task is the unit's (directly or through a collective), the unit's submission, whether the
 * office urged it (looked up only where it matters: a progress round not yet submitted), the
 * unit's last report on the task, and a fingerprint of the office calendar. Each part is an
 * index lookup (no scan of a task's assignments or a round's reminders).
 */
async function replyContext(tx: SqlRunner, input: { contactId: number | null; unitId: number | null; reminderId: number | null; roundId: number | null; taskId: number | null }): Promise<ReplyContextRow> {
  const rows = await tx.query<ReplyContextRow>(sql`
    WITH p AS (SELECT CAST(${input.contactId} AS INTEGER) AS "contactId", CAST(${input.unitId} AS INTEGER) AS "unitId",
                      CAST(${input.reminderId} AS INTEGER) AS "reminderId", CAST(${input.roundId} AS INTEGER) AS "roundId", CAST(${input.taskId} AS INTEGER) AS "taskId"),
    who AS (SELECT c."status" AS "contactStatus", c."unitId" AS "contactUnitId", COALESCE(c."unitId", p."unitId") AS "unitId",
                   rm."unitId" AS "reminderUnitId", rm."roundId" AS "reminderRoundId", COALESCE(rm."roundId", p."roundId") AS "roundId", p."taskId" AS "givenTaskId"
              FROM p LEFT JOIN "Contact" c ON c."id" = p."contactId" LEFT JOIN "Reminder" rm ON rm."id" = p."reminderId"),
    ctx AS (SELECT who.*, r."periodKey" AS "periodKey", d."taskId" AS "roundTaskId", d."title" AS "deadlineTitle", d."ladder" AS "ladder", cy."key" AS "cycleKey",
                   COALESCE(who."givenTaskId", d."taskId") AS "taskId"
              FROM who LEFT JOIN "Round" r ON r."id" = who."roundId" LEFT JOIN "Deadline" d ON d."id" = r."deadlineId" LEFT JOIN "ReportingCycle" cy ON cy."id" = d."cycleId")
    SELECT ctx."contactStatus", ctx."contactUnitId", u."id" AS "unitFound", ctx."reminderUnitId", ctx."reminderRoundId",
           ctx."roundId", ctx."periodKey", ctx."roundTaskId", ctx."deadlineTitle", ctx."ladder", ctx."cycleKey",
           t."id" AS "taskId", t."number" AS "taskNumber", t."title" AS "taskTitle",
           (SELECT COUNT(*) FROM "Assignment" a WHERE a."taskId" = ctx."taskId" AND a."unitId" = ctx."unitId" AND a."active" = true)
             + (SELECT COUNT(*) FROM "UnitMember" m JOIN "Assignment" a ON a."taskId" = ctx."taskId" AND a."unitId" = m."collectiveId" AND a."active" = true
                 WHERE m."memberId" = ctx."unitId") AS "assigned",
           s."id" AS "submissionId", s."dueAt" AS "dueAt", s."submittedAt" AS "submittedAt", s."acknowledgedAt" AS "acknowledgedAt",
           CASE WHEN ctx."cycleKey" = 'progress' AND s."submittedAt" IS NULL
                THEN (SELECT COUNT(*) FROM "Reminder" x WHERE x."roundId" = ctx."roundId" AND x."unitId" = ctx."unitId" AND x."kind" = 'urge' AND x."state" <> 'cancelled')
                ELSE 0 END AS "urged",
           (SELECT l."status" FROM "StatusUpdate" l WHERE l."unitId" = ctx."unitId" AND l."taskId" = ctx."taskId" ORDER BY l."createdAt" DESC, l."id" DESC LIMIT 1) AS "lastStatus",
           (SELECT l."progress" FROM "StatusUpdate" l WHERE l."unitId" = ctx."unitId" AND l."taskId" = ctx."taskId" ORDER BY l."createdAt" DESC, l."id" DESC LIMIT 1) AS "lastProgress",
           (SELECT COUNT(*) FROM "CalendarOverride") AS "calendarCount",
           (SELECT SUM(CASE WHEN o."kind" = 'holiday' THEN o."id" ELSE -o."id" END) FROM "CalendarOverride" o) AS "calendarSum",
           (SELECT MAX(o."id") FROM "CalendarOverride" o) AS "calendarMax"
      FROM ctx
      LEFT JOIN "Unit" u ON u."id" = ctx."unitId"
      LEFT JOIN "Task" t ON t."id" = ctx."taskId"
      LEFT JOIN "Submission" s ON s."roundId" = ctx."roundId" AND s."unitId" = ctx."unitId"`);
  return rows[0]!;
}

/**
 * The office calendar per client, reused while the calendar's fingerprint (rows, and their ids
 * signed by kind: an override is added, removed or flips between holiday and workday) is the
 * same: a reply needs it only to know whether a progress round collects answers yet.
 */
const calendars = new WeakMap<object, { fingerprint: string; calendar: Calendar }>();

async function officeCalendar(db: Db, row: ReplyContextRow): Promise<Calendar> {
  const fingerprint = `${row.calendarCount}:${row.calendarSum ?? 0}:${row.calendarMax ?? 0}`;
  const cached = calendars.get(db);
  if (cached?.fingerprint === fingerprint) return cached.calendar;
  // Read beside the reply's transaction (the office's calendar, which a reply never writes): a
  // newer calendar than the fingerprint is simply read again at the next reply.
  const calendar = await loadCalendar(db);
  calendars.set(db, { fingerprint, calendar });
  return calendar;
}

/**
 * Records one status reply for the contact's unit: the update with its progress, indicator
 * values, note and attachments; the unit's submission for the round (see countsAsSubmission);
 * 签收; and the audit log — all in one transaction. Checks and what the answer shows are read
 * in one statement (replyContext), so a reply costs a handful of statements, sent through the
 * client's driver adapter (driverTransaction: the bot's hottest path).
 */
export async function recordStatus(
  db: Db,
  rawInput: RecordStatusInput,
  options: {
    /** Runs last inside the reply's transaction, with what was recorded: the caller's own write that must commit with it. */
    inTransaction?: (recorded: RecordedStatus, tx: SqlRunner) => Promise<void>;
  } = {},
): Promise<RecordedStatus> {
  const input = recordStatusInputSchema.parse(rawInput);
  const now = rawInput.now;
  return driverTransaction(db, async (tx) => {
    const row = await replyContext(tx, {
      contactId: input.contactId ?? null,
      unitId: input.contactId != null ? null : input.unitId!,
      reminderId: input.reminderId ?? null,
      roundId: input.roundId ?? null,
      taskId: input.taskId ?? null,
    });
    if (input.contactId != null && (row.contactStatus === null || row.contactStatus === "revoked")) throw new RecordStatusError("contact-inactive", "联络人不存在或已停用");
    const unitId = input.contactId != null ? num(row.contactUnitId)! : input.unitId!;
    if (num(row.unitFound) === null) throw new RecordStatusError("not-found", "单位不存在");
    if (input.reminderId && (row.reminderUnitId === null || num(row.reminderUnitId) !== unitId)) throw new RecordStatusError("round-mismatch", "该提醒不属于本单位");
    const taskId = num(row.taskId);
    if (taskId === null || Number(row.assigned) === 0) throw new RecordStatusError("not-your-task", "该任务不属于本单位");
    const roundId = num(row.roundId);
    if (roundId !== null && (row.periodKey === null || num(row.roundTaskId) !== taskId)) throw new RecordStatusError("round-mismatch", "报送轮次与任务不符");
    const progressRound = row.cycleKey === "progress";
    const indicators = await indicatorsOf(tx, taskId, input.values);

    const progress = keptProgress(input.status, input.progress ?? null, row.lastStatus === null ? null : { status: row.lastStatus, progress: num(row.lastProgress) });
    const contactId = input.contactId ?? null;
    // The hot writes are plain SQL: a model call costs Prisma about twice a raw statement.
    const userId = contactId !== null ? null : input.userId!;
    const [inserted] = await tx.query<{ id: number | bigint }>(sql`
      INSERT INTO "StatusUpdate" ("taskId", "unitId", "contactId", "userId", "roundId", "reminderId", "status", "progress", "note", "source", "createdAt")
      VALUES (${taskId}, ${unitId}, ${contactId}, ${userId}, ${roundId}, ${input.reminderId ?? null}, ${input.status}, ${progress}, ${input.note?.trim() || null}, ${input.source}, ${now})
      RETURNING "id"`);
    const update = { id: Number(inserted!.id) };
    if (input.values.length > 0) {
      await tx.execute(sql`
        INSERT INTO "IndicatorValue" ("statusUpdateId", "indicatorId", "value", "createdAt")
        VALUES ${join(input.values.map((v) => sql`(${update.id}, ${v.indicatorId}, ${v.value}, ${now})`))}`);
    }
    if (input.attachments.length > 0) {
      await tx.execute(sql`
        INSERT INTO "Attachment" ("statusUpdateId", "kind", "telegramFileId", "fileName", "mimeType", "size", "content", "createdAt")
        VALUES ${join(input.attachments.map((a) => sql`(${update.id}, ${a.kind}, ${a.telegramFileId}, ${a.fileName ?? null}, ${a.mimeType ?? null}, ${a.size ?? null}, ${a.content ?? null}, ${now})`))}`);
    }

    let outcome: { submitted: boolean; newlySubmitted: boolean; countsFrom: Date | null } = NO_SUBMISSION;
    const submissionId = num(row.submissionId);
    if (roundId !== null && submissionId !== null) {
      const submittedAt = date(row.submittedAt);
      // The reporting window matters only for a progress round's first answer that is not 已完成.
      let windowOpen = true;
      let opens: Date | null = null;
      if (progressRound && submittedAt === null && input.status !== "done") {
        const calendar = await officeCalendar(db, row);
        opens = reportingWindowOpens(shanghaiDate(date(row.dueAt)!), ladderOfDeadline({ ladder: row.ladder }), calendar, rawInput.workingHours ?? DEFAULT_WORKING_HOURS);
        // The office urging the unit (催办) asks for the report now: the window is open for it.
        windowOpen = now >= opens || Number(row.urged) > 0;
      }
      const submits = countsAsSubmission({ progressRound, windowOpen }, input.status);
      const newlySubmitted = submits && submittedAt === null;
      await tx.execute(sql`
        UPDATE "Submission" SET "lastStatus" = ${input.status}, "acknowledgedAt" = ${date(row.acknowledgedAt) ?? now}, "submittedAt" = COALESCE("submittedAt", ${newlySubmitted ? now : null})
         WHERE "id" = ${submissionId}`);
      const submitted = newlySubmitted || submittedAt !== null;
      outcome = { submitted, newlySubmitted, countsFrom: !submitted && progressRound && !windowOpen ? opens : null };
    }
    await tx.execute(auditStatement({
      actorType: contactId !== null ? "contact" : "user",
      actorId: contactId ?? input.userId!,
      action: "status.record",
      entity: "StatusUpdate",
      entityId: update.id,
      detail: { taskId, roundId, status: input.status, progress, values: input.values.length, attachments: input.attachments.length, source: input.source, submitted: outcome.newlySubmitted },
      at: now,
    }));
    const note = input.note?.trim() || null;
    const recorded: RecordedStatus = {
      statusUpdateId: update.id,
      task: { id: taskId, number: row.taskNumber!, title: row.taskTitle! },
      round: roundId === null ? null : { id: roundId, deadlineTitle: row.deadlineTitle!, periodKey: row.periodKey!, progressRound },
      status: input.status,
      progress,
      note,
      values: input.values.map((v) => {
        const indicator = indicators.get(v.indicatorId)!;
        return { indicatorId: v.indicatorId, name: indicator.name, value: v.value, measureUnit: indicator.measureUnit };
      }),
      attachments: input.attachments.map((a) => ({ kind: a.kind, fileName: a.fileName ?? null })),
      ...outcome,
    };
    await options.inTransaction?.(recorded, tx);
    return recorded;
  });
}

/** The task's indicators named by the values (one query, only when there are values); refuses another task's. */
async function indicatorsOf(tx: SqlRunner, taskId: number, values: ReadonlyArray<{ indicatorId: number }>): Promise<Map<number, { name: string; measureUnit: string | null }>> {
  if (values.length === 0) return new Map();
  const ids = [...new Set(values.map((v) => v.indicatorId))];
  const found = (await tx.query<{ id: number | bigint; name: string; measureUnit: string | null }>(sql`
    SELECT "id", "name", "measureUnit" FROM "Indicator" WHERE "taskId" = ${taskId} AND "id" IN (${join(ids)})`)).map((i) => ({ ...i, id: Number(i.id) }));
  if (found.length !== ids.length) throw new RecordStatusError("indicator-mismatch", "指标不属于该任务");
  return new Map(found.map((i) => [i.id, i]));
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
