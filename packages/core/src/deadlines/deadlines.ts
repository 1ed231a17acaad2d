import type { Db } from "@duban/db/client";
import { cancelWaitingReminders } from "@duban/db/repositories/reminder-outbox";
import { timeOfDaySchema } from "@duban/domain/calendar";
import { deadlineRuleSchema, describeRule } from "@duban/domain/due-date";
import { ladderSchema } from "@duban/domain/reminder-ladder";
import { z } from "zod";
import { writeAudit } from "../audit/audit.ts";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { ladderOfDeadline, ruleOfDeadline } from "./deadline-rule.ts";
import { rescheduleOpenRounds } from "../rounds/reschedule-open-rounds.ts";

/** Shared by the console's form, the tRPC input and the CLI. */
export const deadlineInputSchema = z.object({
  taskId: z.number().int().positive(),
  assignmentId: z.number().int().positive().nullable().default(null),
  title: z.string().trim().min(1, "请填写名称").max(200),
  rule: deadlineRuleSchema,
  dueTime: timeOfDaySchema.default("17:30"),
  ladder: ladderSchema.nullable().default(null),
});
export type DeadlineInput = z.input<typeof deadlineInputSchema>;

type Actor = { actorType: "user" | "system"; actorId?: number | string | null };

/** An expected refusal; `code` lets the API answer it as a user mistake, not a server error. */
export class DeadlineError extends Error {
  constructor(
    readonly code: "assignment-not-of-task" | "not-found",
    message: string,
  ) {
    super(message);
  }
}

function columns(input: z.output<typeof deadlineInputSchema>) {
  const rule = input.rule;
  return {
    title: input.title,
    assignmentId: input.assignmentId,
    kind: rule.kind,
    dueDate: rule.kind === "once" ? rule.dueDate : null,
    offsetDays: rule.kind === "quarterly" ? rule.offsetDays : null,
    month: rule.kind === "annual" ? rule.month : null,
    day: rule.kind === "annual" ? rule.day : null,
    dayBasis: rule.kind === "once" ? "calendar" : rule.dayBasis,
    dueTime: input.dueTime,
    ladder: input.ladder ? JSON.stringify(input.ladder) : null,
  };
}

async function assertAssignmentOfTask(db: Db, taskId: number, assignmentId: number | null): Promise<void> {
  if (assignmentId === null) return;
  const assignment = await db.assignment.findUnique({ where: { id: assignmentId } });
  if (!assignment || assignment.taskId !== taskId) throw new DeadlineError("assignment-not-of-task", "责任单位不属于该任务");
}

export async function createDeadline(db: Db, raw: DeadlineInput, now: Date, actor: Actor) {
  const input = deadlineInputSchema.parse(raw);
  await assertAssignmentOfTask(db, input.taskId, input.assignmentId);
  const deadline = await db.deadline.create({ data: { taskId: input.taskId, ...columns(input), createdAt: now } });
  await writeAudit(db, { ...actor, action: "deadline.create", entity: "Deadline", entityId: deadline.id, detail: input, at: now });
  return deadline;
}

/**
 * A changed rule (date, offset, day basis, due time) applies to new rounds and to every round
 * not yet past due, with its submissions and waiting reminders (`rescheduleOpenRounds`); rounds
 * already past due keep their date for the record. The audit entry lists the rounds that moved.
 */
export async function updateDeadline(db: Db, id: number, raw: DeadlineInput, now: Date, actor: Actor) {
  const input = deadlineInputSchema.parse(raw);
  if (!(await db.deadline.findUnique({ where: { id } }))) throw new DeadlineError("not-found", "时间节点不存在");
  await assertAssignmentOfTask(db, input.taskId, input.assignmentId);
  return db.$transaction(async (tx) => {
    const deadline = await tx.deadline.update({ where: { id }, data: { taskId: input.taskId, ...columns(input) } });
    const movedRounds = await rescheduleOpenRounds(tx, { calendar: await loadCalendar(tx), now, deadlineIds: [id] });
    await writeAudit(tx, { ...actor, action: "deadline.update", entity: "Deadline", entityId: id, detail: { ...input, movedRounds }, at: now });
    return deadline;
  });
}

/** Deactivates: rounds, replies and reminders stay in history; no new rounds or reminders. */
export async function archiveDeadline(db: Db, id: number, now: Date, actor: Actor) {
  if (!(await db.deadline.findUnique({ where: { id } }))) throw new DeadlineError("not-found", "时间节点不存在");
  await db.deadline.update({ where: { id }, data: { active: false } });
  await cancelWaitingReminders(db, { round: { deadlineId: id } }, "deadline archived");
  await writeAudit(db, { ...actor, action: "deadline.archive", entity: "Deadline", entityId: id, at: now });
}

export async function listDeadlines(db: Db, options: { taskId?: number; planId?: number | null } = {}) {
  const rows = await db.deadline.findMany({
    where: { active: true, ...(options.taskId ? { taskId: options.taskId } : {}), ...(options.planId != null ? { task: { planId: options.planId } } : {}) },
    include: { task: true, assignment: { include: { unit: true } }, cycle: true },
    orderBy: [{ taskId: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => {
    const rule = ruleOfDeadline(row);
    return {
      id: row.id,
      taskId: row.taskId,
      taskNumber: row.task.number,
      taskTitle: row.task.title,
      assignmentId: row.assignmentId,
      unit: row.assignment?.unit.name ?? null,
      cycle: row.cycle?.name ?? null,
      title: row.title,
      rule,
      ruleText: describeRule(rule, "zh"),
      dueTime: row.dueTime,
      ladder: ladderOfDeadline(row),
      customLadder: row.ladder !== null,
    };
  });
}

