import { assertTaskInPlan } from "@duban/core/plans/plans";
import { z } from "zod";
import { listTasks, taskDetail } from "@duban/core/board/task-detail";
import { createTask, setTaskArchived, updateTask } from "@duban/core/tasks/edit-task";
import { assignUnitToTask, removeUnitFromTask } from "@duban/core/tasks/task-units";
import { authedProcedure, editorProcedure, router, recordId, unitName } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = recordId;
const fields = z.object({
  number: z.string().trim().min(1, "任务编号不能为空").max(40, "任务编号过长"),
  title: z.string().trim().min(1, "任务标题不能为空").max(500, "任务标题过长"),
  body: z.string().max(20_000, "正文过长"),
  deadlineText: z.string().trim().max(500).nullable(),
  leader: z.string().trim().max(100).nullable(),
  unitNote: z.string().trim().max(500).nullable(),
});
const blankToNull = <T extends { deadlineText?: string | null; leader?: string | null; unitNote?: string | null }>(f: T): T => ({
  ...f,
  ...(f.deadlineText !== undefined ? { deadlineText: f.deadlineText || null } : {}),
  ...(f.leader !== undefined ? { leader: f.leader || null } : {}),
  ...(f.unitNote !== undefined ? { unitNote: f.unitNote || null } : {}),
});
const unitRef = z.union([z.object({ unitId: id }), z.object({ name: unitName })]);
/** The plan the office is looking at: a task of another plan is refused (NOT_FOUND). */
const planId = id.nullish();
const inPlan = async (db: Parameters<typeof assertTaskInPlan>[0], input: { planId?: number | null; taskId: number }) => {
  if (input.planId) await assertTaskInPlan(db, input.planId, input.taskId);
};

export const tasksRouter = router({
  list: authedProcedure.input(z.object({ planId: id.nullish() }).default({})).query(({ ctx, input }) => run(() => listTasks(ctx.db, input.planId))),
  get: authedProcedure.input(z.object({ id, planId: id.nullish() })).query(({ ctx, input }) =>
    run(async () => {
      if (input.planId) await assertTaskInPlan(ctx.db, input.planId, input.id);
      return taskDetail(ctx.db, input.id, ctx.now());
    }),
  ),
  create: editorProcedure
    .input(z.object({ planId: id.nullish(), groupId: id.nullish(), fields: fields.partial().required({ number: true, title: true }) }))
    .mutation(({ ctx, input }) => run(() => createTask(ctx.db, { ...input, fields: blankToNull(input.fields), now: ctx.now(), actor: ctx.user.id }))),
  update: editorProcedure.input(z.object({ taskId: id, planId, fields: fields.partial() })).mutation(({ ctx, input }) =>
    run(async () => {
      await inPlan(ctx.db, input);
      await updateTask(ctx.db, { taskId: input.taskId, fields: blankToNull(input.fields), now: ctx.now(), actor: ctx.user.id });
      return { ok: true };
    }),
  ),
  setArchived: editorProcedure.input(z.object({ taskId: id, planId, archived: z.boolean() })).mutation(({ ctx, input: { planId, ...input } }) =>
    run(async () => {
      await inPlan(ctx.db, { planId, taskId: input.taskId });
      await setTaskArchived(ctx.db, { ...input, now: ctx.now(), actor: ctx.user.id });
      return { ok: true };
    }),
  ),
  /** Puts a unit (existing, or new by name) on the task with a role, or changes its role. */
  assignUnit: editorProcedure.input(z.object({ taskId: id, planId, unit: unitRef, role: z.enum(["lead", "support"]) })).mutation(({ ctx, input: { planId, ...input } }) =>
    run(async () => {
      await inPlan(ctx.db, { planId, taskId: input.taskId });
      return assignUnitToTask(ctx.db, { ...input, now: ctx.now(), actor: ctx.user.id });
    }),
  ),
  removeUnit: editorProcedure.input(z.object({ taskId: id, planId, unitId: id })).mutation(({ ctx, input: { planId, ...input } }) =>
    run(async () => {
      await inPlan(ctx.db, { planId, taskId: input.taskId });
      await removeUnitFromTask(ctx.db, { ...input, now: ctx.now(), actor: ctx.user.id });
      return { ok: true };
    }),
  ),
});
