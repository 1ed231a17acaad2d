import { z } from "zod";
import { getPlan } from "@duban/core/plans/get-plan";
import { archivePlan, listPlans, restorePlan } from "@duban/core/plans/plans";
import { authedProcedure, editorProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = z.number().int().positive();

export const planRouter = router({
  /** Every plan of the office, newest import first, with counts and next due date. */
  list: authedProcedure.query(({ ctx }) => listPlans(ctx.db, ctx.now())),
  /** One plan (default: the most recently imported active one): groups, tasks, units with roles, indicators (ids included). */
  get: authedProcedure.input(z.object({ planId: id.nullish() }).default({})).query(({ ctx, input }) => run(() => getPlan(ctx.db, input.planId))),
  /** No more rounds or reminders for the plan; its history stays readable. */
  archive: editorProcedure.input(z.object({ planId: id })).mutation(({ ctx, input }) =>
    run(() => archivePlan(ctx.db, { planId: input.planId, now: ctx.now(), actor: { actorType: "user", actorId: ctx.user.id } })),
  ),
  restore: editorProcedure.input(z.object({ planId: id })).mutation(({ ctx, input }) =>
    run(() => restorePlan(ctx.db, { planId: input.planId, now: ctx.now(), actor: { actorType: "user", actorId: ctx.user.id } })),
  ),
});
