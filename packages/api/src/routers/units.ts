import { z } from "zod";
import { listUnits, revokeContact, updateContact } from "@duban/core/units";
import { authedProcedure, editorProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = z.number().int().positive();

export const unitsRouter = router({
  list: authedProcedure.query(({ ctx }) => listUnits(ctx.db, ctx.now())),
  revokeContact: editorProcedure.input(z.object({ contactId: id })).mutation(({ ctx, input }) =>
    run(async () => {
      await revokeContact(ctx.db, { contactId: input.contactId, now: ctx.now(), actor: ctx.user.id });
      return { ok: true };
    }),
  ),
  updateContact: editorProcedure
    .input(z.object({ contactId: id, name: z.string().trim().max(50).nullish(), role: z.enum(["liaison", "head"]).optional() }))
    .mutation(({ ctx, input }) =>
      run(async () => {
        await updateContact(ctx.db, { ...input, now: ctx.now(), actor: ctx.user.id });
        return { ok: true };
      }),
    ),
});
