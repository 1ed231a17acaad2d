import { decideExtension, decideExtensionInput, listExtensionQueue } from "@duban/core/extensions";
import { authedProcedure, editorProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

export const extensionsRouter = router({
  queue: authedProcedure.query(({ ctx }) => listExtensionQueue(ctx.db)),
  decide: editorProcedure.input(decideExtensionInput).mutation(({ ctx, input }) => run(() => decideExtension(ctx.db, input, ctx.now(), ctx.user.id))),
});
