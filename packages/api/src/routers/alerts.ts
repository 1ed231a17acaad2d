import { officeAlerts } from "@duban/core/office/office-alerts";
import { z } from "zod";
import { authedProcedure, router } from "../trpc.ts";

export const alertsRouter = router({
  /** Menu counts and the "today" panel; `since` is the user's previous visit, as the browser remembers it. */
  get: authedProcedure
    .input(z.object({ since: z.iso.datetime().nullable().default(null) }).default({ since: null }))
    .query(({ ctx, input }) => officeAlerts(ctx.db, { now: ctx.now(), since: input.since ? new Date(input.since) : null })),
});
