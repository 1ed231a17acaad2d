import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import { compress } from "hono/compress";
import { getCookie } from "hono/cookie";
import { appRouter } from "@duban/api/root";
import type { ApiContext } from "@duban/api/trpc";
import { resolveSession, SESSION_COOKIE } from "@duban/core/auth/session";
import type { AttachmentFiles } from "@duban/core/submissions/attachments";
import type { Messenger } from "@duban/core/channels/messenger";
import type { Db } from "@duban/db/client";
import { DEFAULT_WORKING_HOURS, type WorkingHours } from "@duban/domain/working-hours";
import type { Logger } from "pino";
import { mountAttachmentRoutes } from "./attachments.ts";
import type { ChannelLogin } from "./channels/channel-login.ts";
import { inviteLinkBuilders, mountJoinRoutes } from "./channels/join.ts";
import type { FeishuCallbackRoutes } from "./channels/feishu/callback.ts";
import { mountWecomCallback, type WecomCallbackConfig } from "./channels/wecom/callback.ts";
import type { WecomMessenger } from "./channels/wecom/messenger.ts";
import { mountPlanDocumentRoutes } from "./plan-documents.ts";
import { bodyLimits, onServerError, sameOriginMutations } from "./guards.ts";
import { mountOperationsRoutes, type OperationsRouteOptions } from "./metrics.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const CONSOLE_DIST = path.resolve(here, "../../console/dist");

export interface ServerDeps {
  db: Db;
  now?: () => Date;
  messenger?: Messenger | null;
  botUsername?: string | null;
  /** Mounted at POST /telegram/webhook when the bot runs in webhook mode. */
  telegramWebhook?: ((request: Request) => Promise<Response>) | null;
  /** 企业微信 (WECOM_*): its callback at /wecom/callback; null: the channel is off. */
  wecom?: { config: WecomCallbackConfig; messenger: WecomMessenger } | null;
  /** 飞书 in HTTP mode (FEISHU_EVENT_MODE=http): its request URLs /feishu/events and /feishu/card; null: long connection or off. */
  feishu?: FeishuCallbackRoutes | null;
  /** Channels whose events come over a connection opened outside this app (钉钉 Stream, 飞书 long connection): invites can bind on them. */
  connectedChannels?: Array<"dingtalk" | "feishu">;
  /** The web logins (OAuth) of the configured 企业微信/钉钉/飞书 channels: with `publicUrl`, their invitations are links served at /join/<channel>. */
  channelLogins?: ChannelLogin[];
  /** Where liaisons' photos and documents are read from (the bot); null: not available. */
  files?: AttachmentFiles | null;
  log?: Logger;
  consoleDist?: string;
  /** Served over HTTPS: session cookies get the Secure flag. */
  secureCookies?: boolean;
  /** Sends due reminders at once (the scheduler's deliverNow). */
  deliverNow?: () => void;
  /** Behind a reverse proxy that sets X-Forwarded-For; otherwise the header is ignored (it could be forged). */
  trustProxy?: boolean;
  /** WORKING_HOURS, for the reminder preview and office-entered status; the domain's default when absent. */
  workingHours?: WorkingHours;
  /** PUBLIC_URL: the console's origin as browsers see it (behind a reverse proxy); mutations from it are accepted. */
  publicUrl?: string | null;
  /** HTTP metrics, GET /ready and GET /metrics (metrics.ts). */
  operations?: Omit<OperationsRouteOptions, "db" | "now">;
}

function clientIp(request: Request, socketAddress: string, trustProxy: boolean): string {
  if (!trustProxy) return socketAddress;
  // The proxy appends the address it saw; the last entry is the one a client cannot forge.
  const forwarded = request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return forwarded || socketAddress;
}

export function createServerApp(deps: ServerDeps): Hono {
  const now = deps.now ?? (() => new Date());
  const app = new Hono();
  // Invitation links need the address the platform sends the member back to; without it, the `绑定` line only.
  const logins = deps.publicUrl ? (deps.channelLogins ?? []) : [];
  const inviteLinks = deps.publicUrl ? inviteLinkBuilders(deps.publicUrl, logins) : {};
  // Every route: one error path, counted in the metrics, body limits before anything reads a body, no cross-site writes.
  app.onError(onServerError(deps.log));
  if (deps.operations) app.use(deps.operations.metrics.http);
  // gzip/deflate for what the client accepts (JSON, console files) above 1 KB.
  app.use("*", compress());
  app.use("*", bodyLimits());
  app.use("*", sameOriginMutations({ publicUrl: deps.publicUrl ?? null, exempt: (path) => path === "/telegram/webhook" }));
  if (deps.operations) mountOperationsRoutes(app, { ...deps.operations, db: deps.db, now });

  app.get("/health", async (c) => {
    await deps.db.$queryRawUnsafe("SELECT 1");
    return c.json({ ok: true, time: now().toISOString() });
  });

  app.all("/trpc/*", async (c) => {
    const token = getCookie(c, SESSION_COOKIE) ?? null;
    const at = now();
    const user = await resolveSession(deps.db, token, at);
    return fetchRequestHandler({
      endpoint: "/trpc",
      req: c.req.raw,
      router: appRouter,
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") deps.log?.error({ err: error.cause ?? error, path }, "tRPC procedure failed");
      },
      createContext: ({ resHeaders }): ApiContext => ({
        db: deps.db,
        now,
        user,
        sessionId: user ? token : null,
        ip: clientIp(c.req.raw, (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? "unknown", deps.trustProxy ?? false),
        setHeader: (name, value) => resHeaders.append(name, value),
        messenger: deps.messenger ?? null,
        botUsername: deps.botUsername ?? null,
        inviteChannels: [...(deps.botUsername ? (["telegram"] as const) : []), ...(deps.wecom ? (["wecom"] as const) : []), ...(deps.connectedChannels ?? [])],
        inviteLinks,
        secureCookies: deps.secureCookies ?? false,
        workingHours: deps.workingHours ?? DEFAULT_WORKING_HOURS,
        ...(deps.deliverNow ? { deliverNow: deps.deliverNow } : {}),
      }),
    });
  });

  if (deps.telegramWebhook) {
    const handle = deps.telegramWebhook;
    app.post("/telegram/webhook", (c) => handle(c.req.raw));
  }

  if (deps.wecom) {
    mountWecomCallback(app, { db: deps.db, now, ...deps.wecom, ...(deps.log ? { log: deps.log } : {}), workingHours: deps.workingHours ?? DEFAULT_WORKING_HOURS });
  }

  if (deps.feishu) {
    deps.feishu.mount(app, { db: deps.db, now, ...(deps.log ? { log: deps.log } : {}), workingHours: deps.workingHours ?? DEFAULT_WORKING_HOURS });
  }

  if (deps.publicUrl && logins.length > 0) mountJoinRoutes(app, { db: deps.db, now, publicUrl: deps.publicUrl, logins, ...(deps.log ? { log: deps.log } : {}) });

  mountAttachmentRoutes(app, { db: deps.db, now, files: deps.files ?? null, ...(deps.log ? { log: deps.log } : {}) });
  mountPlanDocumentRoutes(app, { db: deps.db, now, ...(deps.log ? { log: deps.log } : {}) });

  const dist = deps.consoleDist ?? CONSOLE_DIST;
  if (existsSync(dist)) {
    // Vite names built files by content hash: they never change, so browsers keep them; index.html is always revalidated.
    app.use("/assets/*", async (c, next) => {
      await next();
      if (c.res.status === 200) c.header("Cache-Control", "public, max-age=31536000, immutable");
    });
    app.use("/*", serveStatic({ root: dist }));
    // Client-side routes (/tasks/6, /rounds…) get the console's index.html; a missing file
    // (/assets/old-hash.js after a deploy) is a 404, not a page the browser would run as script.
    app.get("*", async (c, next) => (/\.[a-z0-9]+$/i.test(c.req.path) ? c.text("Not Found", 404) : next()));
    app.get(
      "*",
      async (c, next) => {
        await next();
        if (c.res.status === 200) c.header("Cache-Control", "no-cache");
      },
      serveStatic({ root: dist, path: "index.html" }),
    );
  } else {
    app.get("/", (c) => c.text("控制台尚未构建：运行 npm run build 后刷新。 The console is not built yet: run `npm run build`.", 503));
  }
  return app;
}
