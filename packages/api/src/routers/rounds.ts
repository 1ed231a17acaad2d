import { z } from "zod";
import { listRounds } from "@duban/core/rounds/list-rounds";
import { urgeRound } from "@duban/core/rounds/urge-round";
import { periodKeySchema } from "@duban/domain/period";
import { authedProcedure, editorProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = recordId;

export const roundsRouter = router({
  /**
   * Period keys that have rounds, newest first ("once" last), and the one the office is most
   * likely collecting now: the earliest open period that still has missing submissions.
   */
  periods: authedProcedure.input(z.object({ planId: id.nullish() }).default({})).query(async ({ ctx, input }) => {
    const now = ctx.now();
    const inPlan = input.planId ? { deadline: { task: { planId: input.planId } } } : {};
    const rows = await ctx.db.round.findMany({ where: inPlan, distinct: ["periodKey"], select: { periodKey: true } });
    const periods = rows.map((r) => r.periodKey).sort((a, b) => (a === "once" ? 1 : b === "once" ? -1 : b.localeCompare(a)));
    const collecting = await ctx.db.round.findFirst({
      where: { ...inPlan, periodKey: { not: "once" }, opensAt: { lte: now }, submissions: { some: { submittedAt: null } } },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      select: { periodKey: true },
    });
    return { periods, current: collecting?.periodKey ?? periods[0] ?? null };
  }),
  list: authedProcedure
    .input(z.object({ planId: id.nullish(), period: z.union([periodKeySchema, z.literal("once")]).nullish() }).default({}))
    .query(({ ctx, input }) => listRounds(ctx.db, { ...(input.period ? { period: input.period } : {}), planId: input.planId, now: ctx.now() })),
  /** 催办: urges every missing unit of the round (or the chosen missing ones) now. */
  urge: editorProcedure.input(z.object({ roundId: id, planId: id.nullish(), unitIds: z.array(id).min(1).optional() })).mutation(({ ctx, input }) =>
    run(async () => {
      const result = await urgeRound(ctx.db, { roundId: input.roundId, planId: input.planId, ...(input.unitIds ? { unitIds: input.unitIds } : {}), now: ctx.now(), actor: { actorType: "user", actorId: ctx.user.id } });
      if (result.reminders > 0) ctx.deliverNow?.();
      return result;
    }),
  ),
});
