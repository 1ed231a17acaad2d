import { z } from "zod";
import { loadBoard } from "@duban/core/board";
import { cellHistory } from "@duban/core/task-detail";
import { authedProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = recordId;

export const boardRouter = router({
  /** The 总览 matrix; the console polls it so a bot reply shows up within seconds. */
  get: authedProcedure
    .input(z.object({ groupId: id.nullish(), unitId: id.nullish(), light: z.enum(["red", "yellow", "green"]).nullish() }).default({}))
    .query(({ ctx, input }) => loadBoard(ctx.db, ctx.now(), input)),
  cell: authedProcedure.input(z.object({ taskId: id, unitId: id })).query(({ ctx, input }) => run(() => cellHistory(ctx.db, input))),
});
