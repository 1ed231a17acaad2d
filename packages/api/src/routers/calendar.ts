import { z } from "zod";
import { listCalendarYear, removeCalendarOverride, setCalendarOverride, setCalendarOverrides } from "@duban/core/calendar/calendar-overrides";
import { isoDateSchema } from "@duban/domain/calendar";
import { authedProcedure, editorProcedure, router, recordId } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const day = z.object({ date: isoDateSchema, kind: z.enum(["holiday", "workday"]), name: z.string().trim().max(50).nullish() });

export const calendarRouter = router({
  year: authedProcedure.input(z.object({ year: z.number().int().min(2000).max(2100) })).query(({ ctx, input }) => listCalendarYear(ctx.db, input.year)),
  set: editorProcedure.input(day).mutation(({ ctx, input }) => run(() => setCalendarOverride(ctx.db, { ...input, now: ctx.now(), actor: ctx.user.id }))),
  setMany: editorProcedure
    .input(z.object({ days: z.array(day).min(1).max(400) }))
    .mutation(({ ctx, input }) => run(() => setCalendarOverrides(ctx.db, { days: input.days, now: ctx.now(), actor: ctx.user.id }))),
  remove: editorProcedure.input(z.object({ id: recordId })).mutation(({ ctx, input }) =>
    run(async () => {
      await removeCalendarOverride(ctx.db, { id: input.id, now: ctx.now(), actor: ctx.user.id });
      return { ok: true };
    }),
  ),
});
