import { assertTaskInPlan } from "@duban/core/plans";
import { z } from "zod";
import { listTasks, taskDetail } from "@duban/core/task-detail";
import { authedProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = recordId;

export const tasksRouter = router({
  list: authedProcedure.input(z.object({ planId: id.nullish() }).default({})).query(({ ctx, input }) => run(() => listTasks(ctx.db, input.planId))),
  get: authedProcedure.input(z.object({ id, planId: id.nullish() })).query(({ ctx, input }) =>
    run(async () => {
      if (input.planId) await assertTaskInPlan(ctx.db, input.planId, input.id);
      return taskDetail(ctx.db, input.id, ctx.now());
    }),
  ),
});
