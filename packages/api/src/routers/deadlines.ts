import { assertDeadlineInPlan, assertTaskInPlan, resolvePlanId } from "@duban/core/plans/plans";
import { z } from "zod";
import { archiveDeadline, createDeadline, deadlineInputSchema, listDeadlines, updateDeadline } from "@duban/core/deadlines/deadlines";
import { previewReminders } from "@duban/core/reminders/preview-reminders";
import { authedProcedure, editorProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = recordId;
const DAY_MS = 24 * 60 * 60 * 1000;

export const deadlinesRouter = router({
  list: authedProcedure
    .input(z.object({ taskId: id.nullish(), planId: id.nullish() }).default({}))
    .query(({ ctx, input }) =>
      run(async () => {
        // An unknown plan is NOT_FOUND rather than an empty list (a stale link).
        if (input.planId) await resolvePlanId(ctx.db, input.planId);
        return listDeadlines(ctx.db, { ...(input.taskId ? { taskId: input.taskId } : {}), planId: input.planId });
      }),
    ),
  create: editorProcedure.input(deadlineInputSchema.extend({ planId: id.nullish() })).mutation(({ ctx, input: { planId, ...input } }) =>
    run(async () => {
      if (planId) await assertTaskInPlan(ctx.db, planId, input.taskId);
      const row = await createDeadline(ctx.db, input, ctx.now(), { actorType: "user", actorId: ctx.user.id });
      return { id: row.id };
    }),
  ),
  update: editorProcedure.input(z.object({ id, planId: id.nullish(), deadline: deadlineInputSchema })).mutation(({ ctx, input }) =>
    run(async () => {
      if (input.planId) {
        await assertDeadlineInPlan(ctx.db, input.planId, input.id);
        await assertTaskInPlan(ctx.db, input.planId, input.deadline.taskId);
      }
      await updateDeadline(ctx.db, input.id, input.deadline, ctx.now(), { actorType: "user", actorId: ctx.user.id });
      return { id: input.id };
    }),
  ),
  archive: editorProcedure.input(z.object({ id, planId: id.nullish() })).mutation(({ ctx, input }) =>
    run(async () => {
      if (input.planId) await assertDeadlineInPlan(ctx.db, input.planId, input.id);
      await archiveDeadline(ctx.db, input.id, ctx.now(), { actorType: "user", actorId: ctx.user.id });
      return { ok: true };
    }),
  ),
  /** What the ladder will send in the coming days (default 7). */
  preview: authedProcedure.input(z.object({ days: z.number().int().min(1).max(31).default(7), planId: id.nullish() }).default({ days: 7 })).query(({ ctx, input }) =>
    run(async () => {
      if (input.planId) await resolvePlanId(ctx.db, input.planId);
      const from = ctx.now();
      return previewReminders(ctx.db, from, new Date(from.getTime() + input.days * DAY_MS), ctx.workingHours, input.planId ?? undefined);
    }),
  ),
});
