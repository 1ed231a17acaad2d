import { z } from "zod";
import { broadcastNotice, broadcastNoticeInput, listNotices, noticeAudienceInput, previewNotice, remindUnreceived } from "@duban/core/notices/notices";
import { authedProcedure, editorProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

export const noticesRouter = router({
  list: authedProcedure.query(({ ctx }) => listNotices(ctx.db)),
  /** Who a notice would reach (count, units nobody can receive it in, unreachable people): shown before sending. */
  preview: editorProcedure.input(noticeAudienceInput).query(({ ctx, input }) => run(() => previewNotice(ctx.db, input))),
  /** Queues the notice for every chosen liaison and asks the scheduler to send it now. */
  broadcast: editorProcedure.input(broadcastNoticeInput).mutation(({ ctx, input }) =>
    run(async () => {
      const result = await broadcastNotice(ctx.db, input, ctx.now(), ctx.user.id);
      if (result.recipients > 0) ctx.deliverNow?.();
      return result;
    }),
  ),
  /** 再次提醒未签收: the notice again to the units that have not signed it; `ordinal` = re-sends seen + 1 (a repeat is a no-op). */
  remind: editorProcedure.input(z.object({ noticeId: z.number().int().positive().max(2_147_483_647), ordinal: z.number().int().positive().max(1000) })).mutation(({ ctx, input }) =>
    run(async () => {
      const result = await remindUnreceived(ctx.db, { noticeId: input.noticeId, ordinal: input.ordinal, now: ctx.now(), actor: ctx.user.id });
      if (result.recipients > 0) ctx.deliverNow?.();
      return result;
    }),
  ),
});
