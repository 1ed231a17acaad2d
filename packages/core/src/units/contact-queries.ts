import type { Db } from "@duban/db/client";
import { driverSql, sql } from "@duban/db/driver-sql";
import { shanghaiDate } from "@duban/domain/calendar";
import { lightOf, type Light } from "@duban/domain/light";
import { reportStatusSchema, type ReportStatus } from "@duban/domain/parse-reply";
import { periodLabel } from "@duban/domain/period";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { ONCE_PERIOD } from "../rounds/ensure-rounds.ts";
import { writeAudit } from "../audit/audit.ts";
import { shortPlanTitle } from "@duban/domain/short-title";

/**
 * What the bot reads about the person writing to it and their unit's work. Everything is
 * scoped to a unit: a liaison or head sees only their own unit's tasks.
 */

export interface ContactInfo {
  id: number;
  unitId: number;
  unitName: string;
  role: "liaison" | "head";
  name: string | null;
  language: "zh" | "en";
  /** "active" | "blocked" */
  status: string;
  telegramChatId: string | null;
}

/** The bound, not revoked contact of a Telegram user, or null for a stranger. */
export async function findContactByTelegramUser(db: Db, telegramUserId: string): Promise<ContactInfo | null> {
  const contact = await db.contact.findUnique({ where: { telegramUserId }, include: { unit: { select: { name: true } } } });
  if (!contact || contact.status === "revoked") return null;
  return {
    id: contact.id,
    unitId: contact.unitId,
    unitName: contact.unit.name,
    role: contact.role === "head" ? "head" : "liaison",
    name: contact.name,
    language: contact.language === "en" ? "en" : "zh",
    status: contact.status,
    telegramChatId: contact.telegramChatId,
  };
}

type WriterRow = { id: number | bigint | null; unitId: number | bigint | null; role: string | null; name: string | null; language: string | null; status: string | null; telegramChatId: string | null; unitName: string | null; session: string | null };

function writerOf(row: WriterRow | undefined, sessionKey: string | null): { contact: ContactInfo | null; session: string | null | undefined } {
  if (!row || row.id === null || row.status === "revoked") return { contact: null, session: undefined };
  return {
    contact: {
      id: Number(row.id),
      unitId: Number(row.unitId),
      unitName: row.unitName ?? "",
      role: row.role === "head" ? "head" : "liaison",
      name: row.name,
      language: row.language === "en" ? "en" : "zh",
      status: row.status ?? "active",
      telegramChatId: row.telegramChatId,
    },
    session: sessionKey === null ? undefined : row.session,
  };
}

/**
 * Who is writing to the bot and, in the same statement, the stored value of a key of theirs
 * (the bot's chat session): `session` is undefined when not read (a stranger), null when none.
 */
export async function findWriter(db: Db, input: { telegramUserId: string; sessionKey: string | null }): Promise<{ contact: ContactInfo | null; session: string | null | undefined }> {
  const rows = await db.$queryRaw<WriterRow[]>`
    SELECT c."id" AS "id", c."unitId" AS "unitId", c."role" AS "role", c."name" AS "name", c."language" AS "language", c."status" AS "status",
           c."telegramChatId" AS "telegramChatId", u."name" AS "unitName", s."value" AS "session"
      FROM "Contact" c
      JOIN "Unit" u ON u."id" = c."unitId"
      LEFT JOIN "BotSession" s ON s."key" = ${input.sessionKey ?? ""}
     WHERE c."telegramUserId" = ${input.telegramUserId}`;
  return writerOf(rows[0], input.sessionKey);
}

/**
 * The bot's first statement for an update from a person: stores the update id (the dedupe of
 * `markUpdateHandled`) and reads who is writing with their session (`findWriter`) in the same
 * statement, from the inserted row's RETURNING (SQLite and PostgreSQL both allow subqueries
 * there). null: the id was stored already, the update is a repeat and nothing was read.
 */
export async function findWriterOfNewUpdate(
  db: Db,
  input: { updateId: number; at: Date; telegramUserId: string; sessionKey: string | null },
): Promise<{ contact: ContactInfo | null; session: string | null | undefined } | null> {
  if (!Number.isSafeInteger(input.updateId) || input.updateId < 0) throw new RangeError("update_id must be a non-negative safe integer");
  const user = input.telegramUserId;
  // The first statement of every update: through the driver adapter (see driver-sql.ts).
  const rows = await (await driverSql(db)).query<WriterRow>(sql`
    INSERT INTO "ProcessedUpdate" ("updateId", "at") VALUES (${BigInt(input.updateId)}, ${input.at})
    ON CONFLICT ("updateId") DO NOTHING
    RETURNING (SELECT c."id" FROM "Contact" c WHERE c."telegramUserId" = ${user}) AS "id",
              (SELECT c."unitId" FROM "Contact" c WHERE c."telegramUserId" = ${user}) AS "unitId",
              (SELECT c."role" FROM "Contact" c WHERE c."telegramUserId" = ${user}) AS "role",
              (SELECT c."name" FROM "Contact" c WHERE c."telegramUserId" = ${user}) AS "name",
              (SELECT c."language" FROM "Contact" c WHERE c."telegramUserId" = ${user}) AS "language",
              (SELECT c."status" FROM "Contact" c WHERE c."telegramUserId" = ${user}) AS "status",
              (SELECT c."telegramChatId" FROM "Contact" c WHERE c."telegramUserId" = ${user}) AS "telegramChatId",
              (SELECT u."name" FROM "Contact" c JOIN "Unit" u ON u."id" = c."unitId" WHERE c."telegramUserId" = ${user}) AS "unitName",
              (SELECT s."value" FROM "BotSession" s WHERE s."key" = ${input.sessionKey ?? ""}) AS "session"`);
  return rows.length === 0 ? null : writerOf(rows[0], input.sessionKey);
}

/** /lang: the language of the bot's messages and of future reminders to this contact. */
export async function setContactLanguage(db: Db, input: { contactId: number; language: "zh" | "en"; now: Date }): Promise<void> {
  await db.contact.update({ where: { id: input.contactId }, data: { language: input.language, updatedAt: input.now } });
  await writeAudit(db, { actorType: "contact", actorId: input.contactId, action: "contact.language", entity: "Contact", entityId: input.contactId, detail: { language: input.language }, at: input.now });
}

export interface OpenRound {
  roundId: number;
  deadlineId: number;
  taskId: number;
  deadlineTitle: string;
  periodKey: string;
  /** "2026年第三季度", or null for a one-off deadline. */
  periodLabel: string | null;
  dueAt: Date;
  submittedAt: Date | null;
  acknowledgedAt: Date | null;
  /** The quarterly progress round (any status answers it) rather than a deliverable. */
  progressRound: boolean;
}

export interface UnitTask {
  planId: number;
  /** The plan's title shortened for a chat message (see shortPlanTitle). */
  planTitle: string;
  taskId: number;
  number: string;
  title: string;
  role: "lead" | "support";
  status: ReportStatus | null;
  progress: number | null;
  lastUpdateAt: Date | null;
  light: Light;
  /** Earliest submission still owed, or null when nothing is owed. */
  next: OpenRound | null;
  /** Submissions owed (not yet made) in rounds that have opened, earliest due first. */
  pending: OpenRound[];
  /** The most recently opened round of the task, submitted or not (where a late reply is filed). */
  latest: OpenRound | null;
}

/** The unit and the collectives (联席会议成员单位) it is a member of: their tasks are its tasks. */
async function unitScope(db: Db, unitId: number): Promise<number[]> {
  const memberships = await db.unitMember.findMany({ where: { memberId: unitId }, select: { collectiveId: true } });
  return [unitId, ...memberships.map((m) => m.collectiveId)];
}

function roundOf(s: {
  submittedAt: Date | null;
  acknowledgedAt: Date | null;
  dueAt: Date;
  round: { id: number; periodKey: string; deadlineId: number; deadline: { taskId: number; title: string; cycle: { key: string } | null } };
}, lang: "zh" | "en"): OpenRound {
  return {
    roundId: s.round.id,
    deadlineId: s.round.deadlineId,
    taskId: s.round.deadline.taskId,
    deadlineTitle: s.round.deadline.title,
    periodKey: s.round.periodKey,
    periodLabel: s.round.periodKey === ONCE_PERIOD ? null : periodLabel(s.round.periodKey, lang),
    dueAt: s.dueAt,
    submittedAt: s.submittedAt,
    acknowledgedAt: s.acknowledgedAt,
    progressRound: s.round.deadline.cycle?.key === "progress",
  };
}

/**
 * /tasks: the unit's tasks in every active plan (plans oldest import first, then plan order),
 * each with its plan, next deadline, latest status and light. Asked for one task, an archived
 * plan's task is still found (its history stays readable).
 */
export async function unitTasks(db: Db, input: { unitId: number; now: Date; lang?: "zh" | "en"; taskId?: number; planId?: number }): Promise<UnitTask[]> {
  const lang = input.lang ?? "zh";
  const scope = await unitScope(db, input.unitId);
  const assignments = await db.assignment.findMany({
    where: {
      unitId: { in: scope },
      active: true,
      task: {
        active: true,
        ...(input.taskId ? { id: input.taskId } : { plan: { archivedAt: null } }),
        ...(input.planId ? { planId: input.planId } : {}),
      },
    },
    include: { task: { select: { id: true, number: true, title: true, ordinal: true, plan: { select: { id: true, title: true, importedAt: true } } } } },
  });
  const tasks = new Map<number, { id: number; number: string; title: string; ordinal: number; role: "lead" | "support"; plan: { id: number; title: string; importedAt: Date } }>();
  for (const a of assignments) {
    const role = a.role === "lead" ? "lead" : "support";
    const known = tasks.get(a.task.id);
    if (!known || (role === "lead" && known.role !== "lead")) tasks.set(a.task.id, { ...a.task, role });
  }
  if (tasks.size === 0) return [];
  const taskIds = [...tasks.keys()];
  const [submissions, updates, calendar] = await Promise.all([
    db.submission.findMany({
      where: { unitId: input.unitId, round: { opensAt: { lte: input.now }, deadline: { active: true, taskId: { in: taskIds } } } },
      include: { round: { select: { id: true, periodKey: true, opensAt: true, deadlineId: true, deadline: { select: { taskId: true, title: true, cycle: { select: { key: true } } } } } } },
    }),
    db.statusUpdate.findMany({
      where: { unitId: input.unitId, taskId: { in: taskIds } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { taskId: true, status: true, progress: true, createdAt: true },
    }),
    loadCalendar(db),
  ]);

  return [...tasks.values()]
    .sort((a, b) => a.plan.importedAt.getTime() - b.plan.importedAt.getTime() || a.plan.id - b.plan.id || a.ordinal - b.ordinal)
    .map((task) => {
      const own = submissions.filter((s) => s.round.deadline.taskId === task.id);
      const pending = own
        .filter((s) => !s.submittedAt)
        .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.round.id - b.round.id)
        .map((s) => roundOf(s, lang));
      const newest = [...own].sort((a, b) => b.round.opensAt.getTime() - a.round.opensAt.getTime() || b.round.id - a.round.id)[0];
      const latestUpdate = updates.find((u) => u.taskId === task.id);
      const status = latestUpdate ? (reportStatusSchema.safeParse(latestUpdate.status).data ?? null) : null;
      const next = pending[0] ?? null;
      const light = lightOf({ now: input.now, dueAt: next?.dueAt ?? null, submitted: next === null, blocked: status === "blocked" }, calendar);
      return {
        planId: task.plan.id,
        planTitle: shortPlanTitle(task.plan.title),
        taskId: task.id,
        number: task.number,
        title: task.title,
        role: task.role,
        status,
        progress: latestUpdate?.progress ?? null,
        lastUpdateAt: latestUpdate?.createdAt ?? null,
        light,
        next,
        pending,
        latest: newest ? roundOf(newest, lang) : null,
      };
    });
}

export interface UnitTaskDetail extends UnitTask {
  body: string;
  indicators: Array<{
    id: number;
    name: string;
    text: string;
    comparator: string;
    target: number;
    measureUnit: string | null;
    /** The unit's latest reported value. */
    latest: { value: number; at: Date } | null;
  }>;
}

/** A task's detail for the unit, or null when the task is not the unit's. */
export async function unitTaskDetail(db: Db, input: { unitId: number; taskId: number; now: Date; lang?: "zh" | "en" }): Promise<UnitTaskDetail | null> {
  const [task] = await unitTasks(db, input);
  if (!task) return null;
  const row = await db.task.findUniqueOrThrow({
    where: { id: input.taskId },
    select: {
      body: true,
      indicators: {
        where: { active: true },
        orderBy: { ordinal: "asc" },
        include: { values: { where: { statusUpdate: { unitId: input.unitId } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1 } },
      },
    },
  });
  return {
    ...task,
    body: row.body,
    indicators: row.indicators.map((i) => ({
      id: i.id,
      name: i.name,
      text: i.text,
      comparator: i.comparator,
      target: i.value,
      measureUnit: i.measureUnit,
      latest: i.values[0] ? { value: i.values[0].value, at: i.values[0].createdAt } : null,
    })),
  };
}

/** Indicators of the given tasks, for matching "受检率96.5%" to its task. */
export async function taskIndicators(db: Db, taskIds: readonly number[]): Promise<Array<{ id: number; taskId: number; name: string; measureUnit: string | null }>> {
  if (taskIds.length === 0) return [];
  return db.indicator.findMany({
    where: { taskId: { in: [...taskIds] }, active: true },
    orderBy: [{ taskId: "asc" }, { ordinal: "asc" }],
    select: { id: true, taskId: true, name: true, measureUnit: true },
  });
}

export interface OverdueItem extends OpenRound {
  number: string;
  title: string;
  overdueWorkdays: number;
}

/** What the unit owes past its due moment, most overdue first (the unit head's view). */
export async function overdueItems(db: Db, input: { unitId: number; now: Date; lang?: "zh" | "en" }): Promise<OverdueItem[]> {
  const tasks = await unitTasks(db, input);
  const calendar = await loadCalendar(db);
  const today = shanghaiDate(input.now);
  return tasks
    .flatMap((t) =>
      t.pending
        .filter((r) => r.dueAt.getTime() < input.now.getTime())
        .map((r) => ({ ...r, number: t.number, title: t.title, overdueWorkdays: Math.max(0, calendar.workdaysBetween(shanghaiDate(r.dueAt), today)) })),
    )
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.roundId - b.roundId);
}

export interface ReminderTarget {
  reminderId: number;
  kind: string;
  contactId: number | null;
  unitId: number;
  roundId: number | null;
  taskId: number | null;
}

async function reminderTarget(db: Db, where: { id: number } | { chatMessageId: string; contact: { telegramChatId: string } }): Promise<ReminderTarget | null> {
  const reminder = await db.reminder.findFirst({
    where,
    orderBy: { id: "desc" },
    select: { id: true, kind: true, contactId: true, unitId: true, roundId: true, round: { select: { deadline: { select: { taskId: true } } } } },
  });
  if (!reminder) return null;
  return {
    reminderId: reminder.id,
    kind: reminder.kind,
    contactId: reminder.contactId,
    unitId: reminder.unitId,
    roundId: reminder.roundId,
    taskId: reminder.round?.deadline.taskId ?? null,
  };
}

export function findReminder(db: Db, reminderId: number): Promise<ReminderTarget | null> {
  return reminderTarget(db, { id: reminderId });
}

/**
 * The reminder a chat message is, so that replying to it files the answer under its task and
 * round. A digest (several reminders in one message) names no single task: null, and the reply
 * is read on its own (the task found from what it says, or asked).
 */
export async function findReminderByMessage(db: Db, input: { chatId: string; messageId: string }): Promise<ReminderTarget | null> {
  const reminders = await remindersOfMessage(db, input);
  if (reminders.length !== 1) return null;
  const { indicators: _, ...target } = reminders[0]!;
  return target;
}

/** A reminder a chat message carried, with its task's active indicators in order (what a reply may name). */
export interface CarriedReminder extends ReminderTarget {
  indicators: Array<{ id: number; taskId: number; name: string; measureUnit: string | null }>;
}

/**
 * The reminders a chat message carried (one, or several for a digest), with their tasks and the
 * tasks' indicators, in one statement: what a reply to that message is about.
 */
export async function remindersOfMessage(db: Db, input: { chatId: string; messageId: string }): Promise<CarriedReminder[]> {
  const rows = await (await driverSql(db)).query<
    { id: number | bigint; kind: string; contactId: number | bigint | null; unitId: number | bigint; roundId: number | bigint | null; taskId: number | bigint | null; indicatorId: number | bigint | null; indicatorName: string | null; measureUnit: string | null }
  >(sql`
    SELECT rm."id" AS "id", rm."kind" AS "kind", rm."contactId" AS "contactId", rm."unitId" AS "unitId", rm."roundId" AS "roundId", d."taskId" AS "taskId",
           i."id" AS "indicatorId", i."name" AS "indicatorName", i."measureUnit" AS "measureUnit"
      FROM "Reminder" rm
      JOIN "Contact" c ON c."id" = rm."contactId"
      LEFT JOIN "Round" r ON r."id" = rm."roundId"
      LEFT JOIN "Deadline" d ON d."id" = r."deadlineId"
      LEFT JOIN "Indicator" i ON i."taskId" = d."taskId" AND i."active" = true
     WHERE rm."chatMessageId" = ${input.messageId} AND c."telegramChatId" = ${input.chatId}
     ORDER BY rm."id" DESC, i."ordinal" ASC`);
  const n = (v: number | bigint | null) => (v === null ? null : Number(v));
  const reminders = new Map<number, CarriedReminder>();
  for (const r of rows) {
    const id = Number(r.id);
    let reminder = reminders.get(id);
    if (!reminder) {
      reminder = { reminderId: id, kind: r.kind, contactId: n(r.contactId), unitId: Number(r.unitId), roundId: n(r.roundId), taskId: n(r.taskId), indicators: [] };
      reminders.set(id, reminder);
    }
    if (r.indicatorId !== null) reminder.indicators.push({ id: Number(r.indicatorId), taskId: Number(r.taskId), name: r.indicatorName!, measureUnit: r.measureUnit });
  }
  return [...reminders.values()];
}

/** The tasks a digest message was about (several reminders sent as one); empty for any other message. */
export async function tasksOfDigestMessage(db: Db, input: { chatId: string; messageId: string; unitId: number }): Promise<number[]> {
  const reminders = await db.reminder.findMany({
    where: { chatMessageId: input.messageId, unitId: input.unitId, contact: { telegramChatId: input.chatId } },
    select: { round: { select: { deadline: { select: { taskId: true } } } } },
  });
  if (reminders.length < 2) return [];
  return [...new Set(reminders.flatMap((r) => (r.round ? [r.round.deadline.taskId] : [])))];
}

/** Round → its task, with whether the unit owes it (for /report and buttons that name a round). */
export async function roundForUnit(db: Db, input: { roundId: number; unitId: number; lang?: "zh" | "en" }): Promise<OpenRound | null> {
  const submission = await db.submission.findUnique({
    where: { roundId_unitId: { roundId: input.roundId, unitId: input.unitId } },
    include: { round: { select: { id: true, periodKey: true, deadlineId: true, deadline: { select: { taskId: true, title: true, cycle: { select: { key: true } } } } } } },
  });
  return submission ? roundOf(submission, input.lang ?? "zh") : null;
}

/** Number and title of a task, for confirmations. */
export async function taskLabel(db: Db, taskId: number): Promise<{ id: number; number: string; title: string } | null> {
  return db.task.findUnique({ where: { id: taskId }, select: { id: true, number: true, title: true } });
}
