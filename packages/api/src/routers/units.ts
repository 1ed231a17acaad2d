import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createInvite } from "@duban/core/invites/create-invite";
import { bindCommand } from "@duban/core/invites/redeem-channel-invite";
import { CHANNELS, type Channel } from "@duban/core/channels/messenger";
import { revokeInvite } from "@duban/core/invites/revoke-invite";
import { listUnits, revokeContact, updateContact } from "@duban/core/units/units";
import { mergeUnit, renameUnit } from "@duban/core/units/edit-unit";
import { loadUnitWork } from "@duban/core/units/unit-work";
import { authedProcedure, editorProcedure, router, recordId, unitName } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

const id = recordId;

const channelsOf = (ctx: { inviteChannels?: Channel[]; botUsername: string | null }): Channel[] => ctx.inviteChannels ?? (ctx.botUsername ? ["telegram"] : []);

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
  /** Where a member can join in this instance: the console offers these when inviting. */
  inviteChannels: authedProcedure.query(({ ctx }) => channelsOf(ctx)),
  /**
   * A single-use invitation for one channel; the token is shown only in this answer. Telegram: a
   * deep link (and its QR code in the console); 企业微信 and the others: a link to the platform's
   * login (with PUBLIC_URL) and the text the member can send the app instead.
   */
  createInvite: editorProcedure
    .input(z.object({ unitId: id, role: z.enum(["liaison", "head"]), name: z.string().trim().max(50).nullish(), channel: z.enum(CHANNELS).default("telegram") }))
    .mutation(({ ctx, input }) => {
      if (!channelsOf(ctx).includes(input.channel)) {
        throw new TRPCError({
          code: "PRECONDITION_FAILED",
          message: input.channel === "telegram" ? "未配置 Telegram 机器人（TELEGRAM_BOT_TOKEN），无法生成邀请链接" : `本实例未配置该渠道（${input.channel}），无法生成邀请`,
        });
      }
      const { channel, ...invite } = input;
      return run(async () => {
        const created = await createInvite(ctx.db, { ...invite, botUsername: channel === "telegram" ? ctx.botUsername : null, now: ctx.now(), actor: { actorType: "user", actorId: ctx.user.id } });
        // 企业微信, 钉钉, 飞书: a link to the platform's login that binds whoever opens it, when the server knows its public address.
        const loginLink = channel === "telegram" ? null : (ctx.inviteLinks?.[channel]?.(created.token) ?? null);
        return {
          inviteId: created.inviteId,
          channel,
          link: channel === "telegram" ? created.link : loginLink,
          bindText: channel === "telegram" ? null : bindCommand(created.token),
          /** Why a channel other than Telegram has no link: the server's PUBLIC_URL is not set. */
          linkMissing: channel !== "telegram" && loginLink === null ? ("public-url" as const) : null,
          expiresAt: created.expiresAt,
          unit: created.unit,
          role: created.role,
          name: created.name,
        };
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
