import { z } from "zod";
import { listTasks, taskDetail } from "@duban/core/task-detail";
import { authedProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

export const tasksRouter = router({
  list: authedProcedure.query(({ ctx }) => listTasks(ctx.db)),
  get: authedProcedure.input(z.object({ id: recordId })).query(({ ctx, input }) => run(() => taskDetail(ctx.db, input.id, ctx.now()))),
});
