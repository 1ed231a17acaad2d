import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createInvite } from "@duban/core/invites/create-invite";
import { revokeInvite } from "@duban/core/invites/revoke-invite";
import { listUnits, revokeContact, updateContact } from "@duban/core/units";
import { mergeUnit, renameUnit } from "@duban/core/units/edit-unit";
import { loadUnitWork } from "@duban/core/units/unit-work";
import { authedProcedure, editorProcedure, router, recordId, unitName } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = recordId;

export const unitsRouter = router({
  list: authedProcedure.query(({ ctx }) => listUnits(ctx.db, ctx.now())),
  /** A unit's page: its tasks in every plan (archived plans marked, or left out) and its contacts. */
  work: authedProcedure
    .input(z.object({ unitId: id, includeArchived: z.boolean().default(true) }))
    .query(({ ctx, input }) => run(() => loadUnitWork(ctx.db, { ...input, now: ctx.now() }))),
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
  /** A single-use deep link (and its QR code in the console); the token is shown only in this answer. */
  createInvite: editorProcedure
    .input(z.object({ unitId: id, role: z.enum(["liaison", "head"]), name: z.string().trim().max(50).nullish() }))
    .mutation(({ ctx, input }) => {
      const botUsername = ctx.botUsername;
      if (!botUsername) {
        throw new TRPCError({ code: "PRECONDITION_FAILED", message: "未配置 Telegram 机器人（TELEGRAM_BOT_TOKEN），无法生成邀请链接" });
      }
      return run(async () => {
        const invite = await createInvite(ctx.db, { ...input, botUsername, now: ctx.now(), actor: { actorType: "user", actorId: ctx.user.id } });
        return { inviteId: invite.inviteId, link: invite.link, expiresAt: invite.expiresAt, unit: invite.unit, role: invite.role, name: invite.name };
      });
    }),
  rename: editorProcedure.input(z.object({ unitId: id, name: unitName })).mutation(({ ctx, input }) =>
    run(async () => {
      await renameUnit(ctx.db, { ...input, now: ctx.now(), actor: ctx.user.id });
      return { ok: true };
    }),
  ),
  /** Folds a unit into another (same body, two names): its liaisons, tasks and history follow. */
  merge: editorProcedure.input(z.object({ unitId: id, intoUnitId: id })).mutation(({ ctx, input }) =>
    run(() => mergeUnit(ctx.db, { ...input, now: ctx.now(), actor: ctx.user.id })),
  ),
  revokeInvite: editorProcedure.input(z.object({ inviteId: id })).mutation(({ ctx, input }) =>
    run(() => revokeInvite(ctx.db, { inviteId: input.inviteId, now: ctx.now(), actor: { actorType: "user", actorId: ctx.user.id } })),
  ),
});
