import { z } from "zod";
import { boardVersion, loadBoard } from "@duban/core/board/board";
import { assertTaskInPlan } from "@duban/core/plans/plans";
import { loadOverview } from "@duban/core/board/overview";
import { cellHistory } from "@duban/core/board/task-detail";
import { authedProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = recordId;

export const boardRouter = router({
  /** The 总览 matrix; the console polls it so a bot reply shows up within seconds. */
  get: authedProcedure
    .input(z.object({ planId: id.nullish(), groupId: id.nullish(), unitId: id.nullish(), light: z.enum(["red", "yellow", "green"]).nullish() }).default({}))
    .query(({ ctx, input }) => run(() => loadBoard(ctx.db, ctx.now(), input))),
  /** A token that moves when the board may have changed: the console polls this, and `get` only when it moves. */
  version: authedProcedure.input(z.object({ planId: id.nullish() }).default({})).query(({ ctx, input }) => run(() => boardVersion(ctx.db, ctx.now(), input.planId))),
  cell: authedProcedure.input(z.object({ planId: id.nullish(), taskId: id, unitId: id })).query(({ ctx, input }) =>
    run(async () => {
      if (input.planId) await assertTaskInPlan(ctx.db, input.planId, input.taskId);
      return cellHistory(ctx.db, { taskId: input.taskId, unitId: input.unitId });
    }),
  ),
  /** Across all active plans: plans × lights and units × plans (late items). */
  overview: authedProcedure.query(({ ctx }) => loadOverview(ctx.db, ctx.now())),
});
