import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";

/**
 * Request body limits by path, first match wins. A body over its limit is refused with 413:
 * at once when Content-Length says so (nothing is read), or as soon as a chunked body passes it.
 * A new route with larger bodies (a file upload) adds its line here.
 */
export const BODY_LIMITS: ReadonlyArray<{ match: (path: string) => boolean; maxBytes: number | "route" }> = [
  // Telegram's largest update (a 4,096-character message with entities) is far below this.
  { match: (path) => path === "/telegram/webhook", maxBytes: 256 * 1024 },
  // 企业微信 callbacks are one encrypted XML event (a text is at most 2,048 bytes before encryption).
  { match: (path) => path === "/wecom/callback", maxBytes: 64 * 1024 },
  // 飞书 events: a text message is at most 150 KB, encrypted and Base64-encoded in the body.
  { match: (path) => path === "/feishu/events" || path === "/feishu/card", maxBytes: 512 * 1024 },
  // A plan is up to 2,000,000 characters (imports.ts), up to 3 bytes each in UTF-8, plus JSON escaping.
  { match: (path) => path.startsWith("/trpc/") && path.includes("imports."), maxBytes: 8 * 1024 * 1024 },
  // The plan upload checks its own limit (PLAN_DOCUMENT_MAX_BYTES), after the session and before reading, with a message about the file.
  { match: (path) => path === "/files/plan-document", maxBytes: "route" },
  { match: () => true, maxBytes: 1024 * 1024 },
];

export function bodyLimits(): MiddlewareHandler {
  const limiters = BODY_LIMITS.map((rule) => {
    const maxBytes = rule.maxBytes;
    return {
      match: rule.match,
      limit: maxBytes === "route" ? null : bodyLimit({ maxSize: maxBytes, onError: (c) => c.json({ error: "请求内容过大。Request body too large.", maxBytes }, 413) }),
    };
  });
  return async (c, next) => {
    const limiter = limiters.find((l) => l.match(c.req.path))!;
    return limiter.limit ? limiter.limit(c, next) : next();
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a cross-origin state change (CSRF), besides the SameSite=Strict session cookie: a
 * browser sends Origin (and Sec-Fetch-Site) with every POST, and it must be this server's own
 * origin — the Host the request came to, or PUBLIC_URL behind a reverse proxy. Requests without
 * either header do not come from a browser page (curl, the CLI, Telegram) and carry no ambient
 * session of a victim; the webhook is authenticated by its secret instead.
 */
export function sameOriginMutations(options: { publicUrl?: string | null; exempt?: (path: string) => boolean }): MiddlewareHandler {
  const allowed = new Set<string>();
  if (options.publicUrl) allowed.add(new URL(options.publicUrl).origin);
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || options.exempt?.(c.req.path)) return next();
    const origin = c.req.header("origin");
    if (origin !== undefined) {
      if (origin !== "null" && (allowed.has(origin) || sameHost(c, origin))) return next();
      return refuse(c);
    }
    const site = c.req.header("sec-fetch-site");
    if (site !== undefined && site !== "same-origin" && site !== "none") return refuse(c);
    return next();
  };
}

function sameHost(c: Context, origin: string): boolean {
  try {
    const host = c.req.header("host");
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function refuse(c: Context): Response {
  return c.json({ error: "跨站请求已拒绝。Cross-origin request refused." }, 403);
}

/** The one error answer of the server: logged once (the logger scrubs secrets), no internals in the response. */
export function onServerError(log: Logger | undefined) {
  return (error: Error, c: Context): Response => {
    if (error instanceof HTTPException) return error.getResponse();
    log?.error({ err: error, method: c.req.method, path: c.req.path }, "request failed");
    return c.json({ error: "服务器出错，请稍后重试。Internal server error." }, 500);
  };
}
