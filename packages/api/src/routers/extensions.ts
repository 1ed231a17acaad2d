import { z } from "zod";
import { coordinateBlocker, coordinateBlockerInput } from "@duban/core/submissions/coordinate-blocker";
import { decideExtension, decideExtensionInput, listExtensionQueue } from "@duban/core/submissions/extensions";
import { authedProcedure, editorProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

export const extensionsRouter = router({
  /** Every active plan's queue, or one plan's (`planId`). */
  queue: authedProcedure.input(z.object({ planId: z.number().int().positive().nullish() }).default({})).query(({ ctx, input }) => run(() => listExtensionQueue(ctx.db, { planId: input.planId }))),
  decide: editorProcedure.input(decideExtensionInput).mutation(async ({ ctx, input }) => {
    const result = await run(() => decideExtension(ctx.db, input, ctx.now(), ctx.user.id));
    if (result.notified > 0) ctx.deliverNow?.();
    return result;
  }),
  /** Marks a 有困难 report coordinated, with a note that goes back to the liaison. */
  coordinate: editorProcedure.input(coordinateBlockerInput).mutation(async ({ ctx, input }) => {
    const result = await run(() => coordinateBlocker(ctx.db, input, ctx.now(), ctx.user.id));
    if (result.notified > 0) ctx.deliverNow?.();
    return result;
  }),
});
