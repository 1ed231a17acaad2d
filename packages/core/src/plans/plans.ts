import type { Db, Prisma } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";

type Client = Db | Prisma.TransactionClient;

/** A use-case refusal the api maps to NOT_FOUND. */
export class PlanScopeError extends Error {
  readonly code = "not-found";
}

/**
 * The plan a request without a plan id means: the most recently imported active plan (so old
 * links keep working), else the most recent archived one; null when nothing is imported.
 */
export async function defaultPlanId(db: Pick<Client, "plan">): Promise<number | null> {
  const active = await db.plan.findFirst({ where: { archivedAt: null }, orderBy: [{ importedAt: "desc" }, { id: "desc" }], select: { id: true } });
  if (active) return active.id;
  const any = await db.plan.findFirst({ orderBy: [{ importedAt: "desc" }, { id: "desc" }], select: { id: true } });
  return any?.id ?? null;
}

/** The given plan (which must exist) or the default one. */
export async function resolvePlanId(db: Pick<Client, "plan">, planId?: number | null): Promise<number | null> {
  if (planId == null) return defaultPlanId(db);
  const plan = await db.plan.findUnique({ where: { id: planId }, select: { id: true } });
  if (!plan) throw new PlanScopeError(`方案 ${planId} 不存在`);
  return plan.id;
}

/** A request naming an impossible plan target. */
export class PlanTargetError extends Error {
  readonly code = "invalid-plan-target";
}

/** Refuses a task that is not part of the plan the caller asked about. */
export async function assertTaskInPlan(db: Pick<Client, "task">, planId: number, taskId: number): Promise<void> {
  const task = await db.task.findFirst({ where: { id: taskId, planId }, select: { id: true } });
  if (!task) throw new PlanScopeError(`任务 ${taskId} 不属于方案 ${planId}`);
}

/** Refuses a deadline that is not part of the plan the caller asked about. */
export async function assertDeadlineInPlan(db: Pick<Client, "deadline">, planId: number, deadlineId: number): Promise<void> {
  const deadline = await db.deadline.findFirst({ where: { id: deadlineId, task: { planId } }, select: { id: true } });
  if (!deadline) throw new PlanScopeError(`时间节点 ${deadlineId} 不属于方案 ${planId}`);
}

/** Refuses a round that is not part of the plan the caller asked about. */
export async function assertRoundInPlan(db: Pick<Client, "round">, planId: number, roundId: number): Promise<void> {
  const round = await db.round.findFirst({ where: { id: roundId, deadline: { task: { planId } } }, select: { id: true } });
  if (!round) throw new PlanScopeError(`轮次 ${roundId} 不属于方案 ${planId}`);
}

export interface PlanListItem {
  id: number;
  title: string;
  docNumber: string | null;
  issuer: string | null;
  issuedOn: string | null;
  importedAt: Date;
  archivedAt: Date | null;
  archived: boolean;
  tasks: number;
  units: number;
  /** Earliest due date still owed in an open round of the plan, or null. */
  nextDueAt: Date | null;
}

/**
 * Every plan of the office, newest import first, with its task and unit counts and next due
 * date: four grouped queries, however many plans there are.
 */
export async function listPlans(db: Db, now: Date): Promise<PlanListItem[]> {
  const [plans, taskCounts, unitRows, nextDue] = await Promise.all([
    db.plan.findMany({ orderBy: [{ importedAt: "desc" }, { id: "desc" }], select: { id: true, title: true, docNumber: true, issuer: true, issuedOn: true, importedAt: true, archivedAt: true } }),
    db.task.groupBy({ by: ["planId"], where: { active: true }, _count: { _all: true } }),
    db.$queryRaw<Array<{ planId: number | bigint; units: number | bigint }>>`SELECT t."planId" AS "planId", COUNT(DISTINCT a."unitId") AS "units"
         FROM "Assignment" a JOIN "Task" t ON t."id" = a."taskId"
        WHERE a."active" = true AND t."active" = true
        GROUP BY t."planId"`,
    db.$queryRaw<Array<{ planId: number | bigint; dueAt: Date | string | number }>>`SELECT t."planId" AS "planId", MIN(s."dueAt") AS "dueAt"
         FROM "Submission" s
         JOIN "Round" r ON r."id" = s."roundId"
         JOIN "Deadline" d ON d."id" = r."deadlineId"
         JOIN "Task" t ON t."id" = d."taskId"
        WHERE s."submittedAt" IS NULL AND r."opensAt" <= ${now} AND s."dueAt" >= ${now} AND d."active" = true AND t."active" = true
        GROUP BY t."planId"`,
  ]);
  const tasks = new Map(taskCounts.map((row) => [row.planId, row._count._all]));
  const units = new Map(unitRows.map((row) => [Number(row.planId), Number(row.units)]));
  const due = new Map(nextDue.map((row) => [Number(row.planId), toDate(row.dueAt)]));
  return plans.map((plan) => ({
    ...plan,
    archived: plan.archivedAt !== null,
    tasks: tasks.get(plan.id) ?? 0,
    units: units.get(plan.id) ?? 0,
    nextDueAt: due.get(plan.id) ?? null,
  }));
}

/** SQLite returns aggregates of DateTime columns as epoch milliseconds or text; PostgreSQL as Date. */
export function toDate(value: Date | string | number): Date {
  if (value instanceof Date) return value;
  if (typeof value === "number" || /^\d+$/.test(value)) return new Date(Number(value));
  return new Date(value);
}

export interface PlanActor {
  actorType: "user" | "system";
  actorId?: number | string | null;
}

/**
 * Archives a plan: the scheduler opens no more rounds for it and its reminders still waiting in
 * the outbox are cancelled; tasks, rounds and replies stay readable.
 */
export async function archivePlan(db: Db, input: { planId: number; now: Date; actor: PlanActor }): Promise<{ planId: number; cancelledReminders: number }> {
  return db.$transaction(async (tx) => {
    const plan = await tx.plan.findUnique({ where: { id: input.planId } });
    if (!plan) throw new PlanScopeError(`方案 ${input.planId} 不存在`);
    if (plan.archivedAt) return { planId: plan.id, cancelledReminders: 0 };
    await tx.plan.update({ where: { id: plan.id }, data: { archivedAt: input.now } });
    const cancelled = await tx.reminder.updateMany({
      where: { state: { in: ["pending", "retrying"] }, round: { deadline: { task: { planId: plan.id } } } },
      data: { state: "cancelled", lastError: "plan archived" },
    });
    await writeAudit(tx, { actorType: input.actor.actorType, actorId: input.actor.actorId ?? null, action: "plan.archive", entity: "Plan", entityId: plan.id, detail: { title: plan.title, cancelledReminders: cancelled.count }, at: input.now });
    return { planId: plan.id, cancelledReminders: cancelled.count };
  });
}

/** Restores an archived plan: the next scheduler pass opens its due rounds again. */
export async function restorePlan(db: Db, input: { planId: number; now: Date; actor: PlanActor }): Promise<{ planId: number }> {
  return db.$transaction(async (tx) => {
    const plan = await tx.plan.findUnique({ where: { id: input.planId } });
    if (!plan) throw new PlanScopeError(`方案 ${input.planId} 不存在`);
    if (!plan.archivedAt) return { planId: plan.id };
    await tx.plan.update({ where: { id: plan.id }, data: { archivedAt: null } });
    await writeAudit(tx, { actorType: input.actor.actorType, actorId: input.actor.actorId ?? null, action: "plan.restore", entity: "Plan", entityId: plan.id, detail: { title: plan.title }, at: input.now });
    return { planId: plan.id };
  });
}

/** Which plan an import updates: `planId` that plan, `newPlan` always a new one, else matched. */
export interface ImportTarget {
  planId?: number | null;
  newPlan?: boolean;
}

/**
 * The plan an imported text updates, or null for a new plan: the given plan; else the latest
 * plan with the same 文号; a document without 文号, the latest plan with the same title.
 */
export async function importTargetId(db: Pick<Client, "plan">, parsed: { title: string; docNumber: string | null }, target: ImportTarget): Promise<number | null> {
  if (target.planId != null && target.newPlan) throw new PlanTargetError("不能同时指定已有方案和新建方案（--plan 与 --new）");
  if (target.newPlan) return null;
  if (target.planId != null) return resolvePlanId(db, target.planId);
  const where = parsed.docNumber ? { docNumber: parsed.docNumber } : { title: parsed.title, docNumber: null };
  const match = await db.plan.findFirst({ where, orderBy: [{ importedAt: "desc" }, { id: "desc" }], select: { id: true } });
  return match?.id ?? null;
}
