import type { Db, Prisma } from "@duban/db/client";
import { cancelWaitingReminders } from "@duban/db/repositories/reminder-outbox";
import { normalizeUnitName } from "@duban/domain/parse-plan";
import { isCollectiveUnit } from "@duban/domain/plan-units";
import { writeAudit } from "../audit/audit.ts";
import { TaskEditError } from "./task-error.ts";

type Tx = Prisma.TransactionClient;
export type AssignmentRole = "lead" | "support";

async function liveTask(tx: Tx, taskId: number) {
  const task = await tx.task.findUnique({ where: { id: taskId } });
  if (!task) throw new TaskEditError("not-found", "任务不存在");
  return task;
}

/** An existing unit by id, or one found or created by name (typed by the office). */
async function unitFor(tx: Tx, unit: { unitId: number } | { name: string }, now: Date) {
  if ("unitId" in unit) {
    const row = await tx.unit.findUnique({ where: { id: unit.unitId } });
    if (!row) throw new TaskEditError("not-found", "单位不存在");
    return row;
  }
  const name = normalizeUnitName(unit.name.trim());
  if (name === "") throw new TaskEditError("invalid", "单位名称不能为空");
  return tx.unit.upsert({ where: { name }, create: { name, collective: isCollectiveUnit(name), createdAt: now }, update: {} });
}

/**
 * Puts a unit on a task with a role (or changes its role when already there). The unit owes the
 * task's rounds that are still open, like the units assigned at import.
 */
export async function assignUnitToTask(
  db: Db,
  input: { taskId: number; unit: { unitId: number } | { name: string }; role: AssignmentRole; now: Date; actor: number },
): Promise<{ unitId: number }> {
  return db.$transaction(async (tx) => {
    const task = await liveTask(tx, input.taskId);
    const unit = await unitFor(tx, input.unit, input.now);
    const existing = await tx.assignment.findUnique({ where: { taskId_unitId: { taskId: task.id, unitId: unit.id } } });
    if (existing?.active && existing.role === input.role) return { unitId: unit.id };
    const last = await tx.assignment.aggregate({ where: { taskId: task.id, active: true }, _max: { ordinal: true } });
    await tx.assignment.upsert({
      where: { taskId_unitId: { taskId: task.id, unitId: unit.id } },
      create: { taskId: task.id, unitId: unit.id, role: input.role, ordinal: (last._max.ordinal ?? -1) + 1 },
      update: { role: input.role, active: true, ...(existing?.active ? {} : { ordinal: (last._max.ordinal ?? -1) + 1 }) },
    });
    if (!existing?.active) {
      // Rounds of the task still to be answered: the new unit owes them too.
      const rounds = await tx.round.findMany({ where: { dueAt: { gt: input.now }, deadline: { taskId: task.id, active: true, assignmentId: null } }, select: { id: true, dueAt: true } });
      const owed = new Set((await tx.submission.findMany({ where: { unitId: unit.id, roundId: { in: rounds.map((r) => r.id) } }, select: { roundId: true } })).map((s) => s.roundId));
      const missing = rounds.filter((r) => !owed.has(r.id));
      if (missing.length > 0) await tx.submission.createMany({ data: missing.map((r) => ({ roundId: r.id, unitId: unit.id, dueAt: r.dueAt })) });
    }
    await tx.task.update({ where: { id: task.id }, data: { editedAt: input.now } });
    await writeAudit(tx, {
      actorType: "user",
      actorId: input.actor,
      action: existing?.active ? "task.unit-role" : "task.unit-add",
      entity: "Task",
      entityId: task.id,
      detail: { number: task.number, unit: unit.name, role: input.role, ...(existing?.active ? { from: existing.role } : {}) },
      at: input.now,
    });
    return { unitId: unit.id };
  });
}

/** Takes a unit off a task: its history stays; its reminders for the task still waiting are cancelled. */
export async function removeUnitFromTask(db: Db, input: { taskId: number; unitId: number; now: Date; actor: number }): Promise<void> {
  await db.$transaction(async (tx) => {
    const task = await liveTask(tx, input.taskId);
    const assignment = await tx.assignment.findUnique({ where: { taskId_unitId: { taskId: task.id, unitId: input.unitId } }, include: { unit: true } });
    if (!assignment || !assignment.active) throw new TaskEditError("not-found", "该单位不在这项任务上");
    await tx.assignment.update({ where: { id: assignment.id }, data: { active: false } });
    await cancelWaitingReminders(tx, { unitId: input.unitId, round: { deadline: { taskId: task.id } } }, "unit removed from task");
    await tx.task.update({ where: { id: task.id }, data: { editedAt: input.now } });
    await writeAudit(tx, {
      actorType: "user",
      actorId: input.actor,
      action: "task.unit-remove",
      entity: "Task",
      entityId: task.id,
      detail: { number: task.number, unit: assignment.unit.name, role: assignment.role },
      at: input.now,
    });
  });
}
