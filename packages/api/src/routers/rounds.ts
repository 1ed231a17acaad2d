import { z } from "zod";
import { listRounds } from "@duban/core/list-rounds";
import { urgeRound } from "@duban/core/urge-round";
import { periodKeySchema } from "@duban/domain/period";
import { authedProcedure, editorProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = z.number().int().positive();

export const roundsRouter = router({
  /** Period keys that have rounds, newest first (and "once" for one-off deadlines). */
  periods: authedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.round.findMany({ distinct: ["periodKey"], select: { periodKey: true } });
    return rows.map((r) => r.periodKey).sort((a, b) => (a === "once" ? 1 : b === "once" ? -1 : b.localeCompare(a)));
  }),
  list: authedProcedure
    .input(z.object({ period: z.union([periodKeySchema, z.literal("once")]).nullish() }).default({}))
    .query(({ ctx, input }) => listRounds(ctx.db, { ...(input.period ? { period: input.period } : {}), now: ctx.now() })),
  /** 催办: urges every missing unit of the round (or the chosen missing ones) now. */
  urge: editorProcedure.input(z.object({ roundId: id, unitIds: z.array(id).min(1).optional() })).mutation(({ ctx, input }) =>
    run(() => urgeRound(ctx.db, { roundId: input.roundId, ...(input.unitIds ? { unitIds: input.unitIds } : {}), now: ctx.now(), actor: { actorType: "user", actorId: ctx.user.id } })),
  ),
});
