import { createUser } from "@duban/core/users/create-user";
import { listUsers } from "@duban/core/users/list-users";
import { createUserInput, resetPasswordInput, updateUserInput } from "@duban/core/users/schemas";
import { resetPassword, updateUser } from "@duban/core/users/update-user";
import { adminProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

/** Office users: admin only, reads included (the list shows who can sign in). */
export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  create: adminProcedure
    .input(createUserInput)
    .mutation(({ ctx, input }) => run(() => createUser(ctx.db, { ...input, now: ctx.now(), actor: ctx.user.id }))),
  update: adminProcedure
    .input(updateUserInput)
    .mutation(({ ctx, input }) => run(() => updateUser(ctx.db, { ...input, now: ctx.now(), actor: ctx.user.id })).then(() => ({ ok: true }))),
  resetPassword: adminProcedure
    .input(resetPasswordInput)
    .mutation(({ ctx, input }) => run(() => resetPassword(ctx.db, { ...input, now: ctx.now(), actor: ctx.user.id })).then(() => ({ ok: true }))),
});
