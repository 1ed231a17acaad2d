import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { changeOwnPassword } from "@duban/core/auth/change-password";
import { clearedSessionCookie, sessionCookie } from "@duban/core/auth/cookie";
import { login } from "@duban/core/auth/login";
import { destroySession } from "@duban/core/auth/session";
import { writeAudit } from "@duban/core/audit/audit";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";
import { run } from "./to-trpc-error.ts";

export const authRouter = router({
  /** The only procedure reachable without a session. Sets the httpOnly session cookie. */
  login: publicProcedure
    .input(z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const result = await login(ctx.db, { ...input, ip: ctx.ip, now });
      if (!result.ok) {
        if (result.reason === "throttled") {
          throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `尝试次数过多，请 ${Math.ceil(result.retryAfterSeconds / 60)} 分钟后再试` });
        }
        throw new TRPCError({ code: "UNAUTHORIZED", message: "用户名或密码错误" });
      }
      ctx.setHeader("Set-Cookie", sessionCookie(result.token, result.expiresAt, now, ctx.secureCookies));
      return { user: result.user };
    }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionId) await destroySession(ctx.db, ctx.sessionId);
    ctx.setHeader("Set-Cookie", clearedSessionCookie(ctx.secureCookies));
    await writeAudit(ctx.db, { actorType: "user", actorId: ctx.user.id, action: "auth.logout", entity: "User", entityId: ctx.user.id, at: ctx.now() });
    return { ok: true };
  }),

  me: authedProcedure.query(({ ctx }) => ({ user: ctx.user })),

  changePassword: authedProcedure
    .input(z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().max(200) }))
    .mutation(async ({ ctx, input }) => {
      const result = await run(() =>
        changeOwnPassword(ctx.db, { userId: ctx.user.id, ...input, keepSessionToken: ctx.sessionId, now: ctx.now() }),
      );
      if (!result.ok) throw new TRPCError({ code: "BAD_REQUEST", message: "当前密码不正确" });
      return result;
    }),
});
