import type { Db, Prisma } from "@duban/db/client";
import { cancelWaitingReminders } from "@duban/db/repositories/reminder-outbox";
import { defaultDeadlines } from "@duban/domain/default-deadlines";
import { writeAudit } from "../audit/audit.ts";
import { defaultPlanId } from "../plans/plans.ts";
import { TaskEditError } from "./task-error.ts";

type Tx = Prisma.TransactionClient;

export interface TaskFields {
  number: string;
  title: string;
  body: string;
  deadlineText: string | null;
  leader: string | null;
  unitNote: string | null;
}

/** A task number must be unique among the plan's live tasks (active, or archived by the office). */
async function assertNumberFree(tx: Tx, planId: number, number: string, exceptId: number | null): Promise<void> {
  const clash = await tx.task.findFirst({ where: { planId, number, active: true, ...(exceptId === null ? {} : { id: { not: exceptId } }) }, select: { id: true } });
  if (clash) throw new TaskEditError("conflict", `任务编号“${number}”已被使用`);
}

/**
 * Adds a task to a plan (the default one — the latest active — unless `planId` is given), at the end of a group (or
 * ungrouped), with the quarterly progress round every task has. It counts as the office's
 * own, so a re-import keeps it.
 */
export async function createTask(
  db: Db,
  input: { planId?: number | null; groupId?: number | null; fields: Partial<TaskFields> & Pick<TaskFields, "number" | "title">; now: Date; actor: number },
): Promise<{ taskId: number }> {
  const planId = input.planId ?? (await defaultPlanId(db));
  if (planId === null) throw new TaskEditError("not-found", "还没有导入方案");
  return db.$transaction(async (tx) => {
    const plan = await tx.plan.findUnique({ where: { id: planId }, select: { id: true } });
    if (!plan) throw new TaskEditError("not-found", "方案不存在");
    if (input.groupId != null) {
      const group = await tx.taskGroup.findFirst({ where: { id: input.groupId, planId } });
      if (!group) throw new TaskEditError("not-found", "分组不存在");
    }
    await assertNumberFree(tx, planId, input.fields.number, null);
    // Position after every task a re-import would match; tasks an earlier re-import dropped make room
    // (negative ordinals keep them unique and out of position matching).
    const last = await tx.task.aggregate({ where: { planId, ordinal: { gte: 0 }, OR: [{ active: true }, { editedAt: { not: null } }] }, _max: { ordinal: true } });
    const ordinal = (last._max.ordinal ?? -1) + 1;
    await tx.$executeRaw`UPDATE "Task" SET "ordinal" = -"id" WHERE "planId" = ${planId} AND "ordinal" >= ${ordinal}`;
    const task = await tx.task.create({
      data: {
        planId,
        groupId: input.groupId ?? null,
        ordinal,
        number: input.fields.number,
        title: input.fields.title,
        body: input.fields.body ?? "",
        deadlineText: input.fields.deadlineText ?? null,
        leader: input.fields.leader ?? null,
        unitNote: input.fields.unitNote ?? null,
        editedAt: input.now,
      },
    });
    const [progress] = defaultDeadlines([{ number: task.number, title: task.title, cadences: [] }]);
    if (progress && progress.rule.kind === "quarterly") {
      const cycle = await tx.reportingCycle.upsert({
        where: { planId_key: { planId, key: progress.cycleKey } },
        create: { planId, key: progress.cycleKey, name: progress.cycleName, cadence: progress.cadence, createdAt: input.now },
        update: {},
      });
      await tx.deadline.create({
        data: { taskId: task.id, cycleId: cycle.id, title: progress.title, kind: "quarterly", offsetDays: progress.rule.offsetDays, dayBasis: progress.rule.dayBasis, createdAt: input.now },
      });
    }
    await writeAudit(tx, { actorType: "user", actorId: input.actor, action: "task.create", entity: "Task", entityId: task.id, detail: { number: task.number, title: task.title }, at: input.now });
    return { taskId: task.id };
  });
}

/** Changes a task's text fields; the task becomes the office's version (kept on re-import). */
export async function updateTask(db: Db, input: { taskId: number; fields: Partial<TaskFields>; now: Date; actor: number }): Promise<void> {
  await db.$transaction(async (tx) => {
    const task = await tx.task.findUnique({ where: { id: input.taskId } });
    if (!task) throw new TaskEditError("not-found", "任务不存在");
    const current: TaskFields = { number: task.number, title: task.title, body: task.body, deadlineText: task.deadlineText, leader: task.leader, unitNote: task.unitNote };
    const changed = (Object.keys(input.fields) as Array<keyof TaskFields>).filter((k) => input.fields[k] !== undefined && input.fields[k] !== current[k]);
    if (changed.length === 0) return;
    if (changed.includes("number")) await assertNumberFree(tx, task.planId, input.fields.number!, task.id);
    const data = Object.fromEntries(changed.map((k) => [k, input.fields[k]]));
    await tx.task.update({ where: { id: task.id }, data: { ...data, editedAt: input.now } });
    await writeAudit(tx, {
      actorType: "user",
      actorId: input.actor,
      action: "task.update",
      entity: "Task",
      entityId: task.id,
      detail: { number: task.number, changes: Object.fromEntries(changed.map((k) => [k, { from: current[k], to: input.fields[k] }])) },
      at: input.now,
    });
  });
}

/**
 * Archives a task (off the board, no more reminders; history kept) or brings it back. Archiving
 * is an office edit: a re-import leaves it archived.
 */
export async function setTaskArchived(db: Db, input: { taskId: number; archived: boolean; now: Date; actor: number }): Promise<void> {
  await db.$transaction(async (tx) => {
    const task = await tx.task.findUnique({ where: { id: input.taskId } });
    if (!task) throw new TaskEditError("not-found", "任务不存在");
    if (task.active === !input.archived) return;
    if (!input.archived) await assertNumberFree(tx, task.planId, task.number, task.id);
    await tx.task.update({ where: { id: task.id }, data: { active: !input.archived, editedAt: input.now } });
    if (input.archived) await cancelWaitingReminders(tx, { round: { deadline: { taskId: task.id } } }, "task archived");
    await writeAudit(tx, {
      actorType: "user",
      actorId: input.actor,
      action: input.archived ? "task.archive" : "task.restore",
      entity: "Task",
      entityId: task.id,
      detail: { number: task.number, title: task.title },
      at: input.now,
    });
  });
}
