import { z } from "zod";
import { archiveDeadline, createDeadline, deadlineInputSchema, listDeadlines, updateDeadline } from "@duban/core/deadlines";
import { previewReminders } from "@duban/core/preview-reminders";
import { authedProcedure, editorProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = recordId;
const DAY_MS = 24 * 60 * 60 * 1000;

export const deadlinesRouter = router({
  list: authedProcedure.input(z.object({ taskId: id.nullish() }).default({})).query(({ ctx, input }) => listDeadlines(ctx.db, input.taskId ? { taskId: input.taskId } : {})),
  create: editorProcedure.input(deadlineInputSchema).mutation(({ ctx, input }) =>
    run(async () => {
      const row = await createDeadline(ctx.db, input, ctx.now(), { actorType: "user", actorId: ctx.user.id });
      return { id: row.id };
    }),
  ),
  update: editorProcedure.input(z.object({ id, deadline: deadlineInputSchema })).mutation(({ ctx, input }) =>
    run(async () => {
      await updateDeadline(ctx.db, input.id, input.deadline, ctx.now(), { actorType: "user", actorId: ctx.user.id });
      return { id: input.id };
    }),
  ),
  archive: editorProcedure.input(z.object({ id })).mutation(({ ctx, input }) =>
    run(async () => {
      await archiveDeadline(ctx.db, input.id, ctx.now(), { actorType: "user", actorId: ctx.user.id });
      return { ok: true };
    }),
  ),
  /** What the ladder will send in the coming days (default 7). */
  preview: authedProcedure.input(z.object({ days: z.number().int().min(1).max(31).default(7) }).default({ days: 7 })).query(({ ctx, input }) => {
    const from = ctx.now();
    return previewReminders(ctx.db, from, new Date(from.getTime() + input.days * DAY_MS), ctx.workingHours);
  }),
});
