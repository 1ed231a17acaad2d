import { getPlan } from "@duban/core/get-plan";
import { authedProcedure, router } from "../trpc.ts";

export const planRouter = router({
  /** The current plan: groups, tasks, units with roles, indicators (ids included). */
  get: authedProcedure.query(({ ctx }) => getPlan(ctx.db)),
});
