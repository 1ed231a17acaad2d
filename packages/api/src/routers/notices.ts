import { broadcastNotice, broadcastNoticeInput, listNotices } from "@duban/core/notices";
import { authedProcedure, editorProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

export const noticesRouter = router({
  list: authedProcedure.query(({ ctx }) => listNotices(ctx.db)),
  /** Queues the notice for every chosen liaison and asks the scheduler to send it now. */
  broadcast: editorProcedure.input(broadcastNoticeInput).mutation(({ ctx, input }) =>
    run(async () => {
      const result = await broadcastNotice(ctx.db, input, ctx.now(), ctx.user.id);
      if (result.recipients > 0) ctx.deliverNow?.();
      return result;
    }),
  ),
});
