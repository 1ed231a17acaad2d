import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Db } from "@duban/db/client";
import type { Channel, Messenger } from "@duban/core/channels/messenger";
import type { WorkingHours } from "@duban/domain/working-hours";
import { MAX_UNIT_NAME_LENGTH } from "@duban/domain/plan-units";

export type Role = "admin" | "staff" | "viewer";

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  displayName: string | null;
}

/** Everything a procedure may use. Built per request by the server. */
export interface ApiContext {
  db: Db;
  now: () => Date;
  user: SessionUser | null;
  sessionId: string | null;
  ip: string;
  /** Adds a Set-Cookie (or other) header to the HTTP response. */
  setHeader: (name: string, value: string) => void;
  /** Present when the bot runs in this process; used by 催办 and notices. */
  messenger: Messenger | null;
  botUsername: string | null;
  /** The channels a member can join on in this instance (configured adapters); Telegram's when absent and a bot runs. */
  inviteChannels?: Channel[];
  /** Per channel other than Telegram, its invitation link for a token (the platform's web login); absent without PUBLIC_URL. */
  inviteLinks?: Partial<Record<Channel, (token: string) => string>>;
  /**
   * Asks the scheduler to send what is due now (after 催办, a notice, a decision) instead of
   * waiting for its next minute. Does not wait for delivery; absent in tests and the CLI.
   */
  deliverNow?: () => void;
  /** True when the console is served over HTTPS (PUBLIC_URL https://…): cookies get `Secure`. */
  secureCookies: boolean;
  /** WORKING_HOURS of the server: when the ladder sends, for the reminder preview and reporting windows. */
  workingHours: WorkingHours;
}

/** A validation problem, in a form the console can word in its own language. */
export interface InputIssue {
  path: string;
  code: string;
  message: string;
  minimum?: number;
  maximum?: number;
}

function inputIssues(cause: unknown): InputIssue[] | null {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  return issues.map((raw: Record<string, unknown>) => ({
    path: Array.isArray(raw.path) ? raw.path.join(".") : "",
    code: String(raw.code ?? "invalid"),
    message: String(raw.message ?? ""),
    ...(typeof raw.minimum === "number" ? { minimum: raw.minimum } : {}),
    ...(typeof raw.maximum === "number" ? { maximum: raw.maximum } : {}),
  }));
}

const t = initTRPC.context<ApiContext>().create({
  // The console translates refusals itself: it gets the use case's reason code ("already-decided")
  // and validation issues as data, beside the Chinese message.
  // Nothing internal leaves the server: no stack, and an unexpected failure says only that it
  // failed (the server logs the details).
  errorFormatter({ shape, error }) {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    const { stack: _stack, ...data } = shape.data;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      message: internal ? "服务器出错，请稍后重试" : shape.message,
      data: {
        ...data,
        reason: typeof code === "string" && /^[a-z][a-z-]*$/.test(code) ? code : null,
        issues: inputIssues(error.cause),
      },
    };
  },
});

/**
 * A database id: both databases store ids as 32-bit integers, so a larger number (or a fraction)
 * is refused as bad input here instead of reaching the database as an error.
 */
export const recordId = z.number().int().min(1).max(2_147_483_647);

/** A unit's name entered in the console or the API: the same limit the parser applies to plan files. */
export const unitName = z.string().trim().min(1, "请填写单位名称").max(MAX_UNIT_NAME_LENGTH, `单位名称不超过 ${MAX_UNIT_NAME_LENGTH} 个字`);

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;

/** Only `auth.login` (and health-like reads) may use this. */
export const publicProcedure = t.procedure;

/** Any signed-in office user; viewers included. */
export const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "请先登录" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Changes to plan, units, deadlines, rounds: admin or staff. */
export const editorProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role === "viewer") throw new TRPCError({ code: "FORBIDDEN", message: "只读账号不能修改" });
  return next();
});

/** User management: admin only. */
export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "仅管理员可操作" });
  return next();
});
