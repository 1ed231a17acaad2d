import { broadcastNotice, broadcastNoticeInput, listNotices } from "@duban/core/notices";
import { authedProcedure, editorProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

export const noticesRouter = router({
  list: authedProcedure.query(({ ctx }) => listNotices(ctx.db)),
  broadcast: editorProcedure.input(broadcastNoticeInput).mutation(({ ctx, input }) => run(() => broadcastNotice(ctx.db, input, ctx.now(), ctx.user.id))),
});
