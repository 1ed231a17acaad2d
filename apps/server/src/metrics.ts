/**
 * Prometheus metrics (prom-client) and the readiness check. What the database knows (the outbox
 * by state, unreachable contacts, replies, delivery latency) is read from it when Prometheus
 * scrapes, so it is right for every instance and survives restarts; what only this process sees
 * (HTTP requests, scheduler passes, Telegram's answers) is counted here.
 */
import { timingSafeEqual } from "node:crypto";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Messenger } from "@duban/core/channels/messenger";
import type { Db } from "@duban/db/client";

export const REMINDER_STATES = ["pending", "sending", "sent", "retrying", "failed", "unreachable", "cancelled"] as const;
/** The scheduler runs every minute: two minutes without a pass means it is stuck or stopped. */
export const READY_PASS_AGE_MS = 2 * 60 * 1000;
const LATENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface SchedulerPassInfo {
  reason: string;
  startedAt: Date;
  durationMs: number;
  ok: boolean;
}

export interface ServerMetrics {
  registry: Registry;
  /** Counts every HTTP request by method, matched route and status. */
  http: MiddlewareHandler;
  observePass(pass: SchedulerPassInfo): void;
  lastPassAt(): Date | null;
  /** The same messenger, counting what Telegram answered (sent, retry, 429, unreachable, failed). */
  countSends(messenger: Messenger): Messenger;
}

export function createMetrics(db: Db, now: () => Date = () => new Date()): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "duban_" });
  let lastPass: Date | null = null;

  new Gauge({
    name: "duban_outbox_reminders",
    help: "Reminders in the outbox by state (read from the database at scrape time)",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const rows = await db.reminder.groupBy({ by: ["state"], _count: { _all: true } });
      this.reset();
      for (const state of REMINDER_STATES) this.set({ state }, 0);
      for (const row of rows) this.set({ state: row.state }, row._count._all);
    },
  });
  new Gauge({
    name: "duban_outbox_due_reminders",
    help: "Pending or retrying reminders whose time has come (the delivery backlog)",
    registers: [registry],
    async collect() {
      this.set(await db.reminder.count({ where: { state: { in: ["pending", "retrying"] }, nextAttemptAt: { lte: now() } } }));
    },
  });
  new Gauge({
    name: "duban_reminders_retried",
    help: "Reminders that needed more than one attempt (any state)",
    registers: [registry],
    async collect() {
      this.set(await db.reminder.count({ where: { attempts: { gt: 1 } } }));
    },
  });
  new Gauge({
    name: "duban_contacts_unreachable",
    help: "Contacts Telegram reported unreachable (blocked the bot: status blocked)",
    registers: [registry],
    async collect() {
      this.set(await db.contact.count({ where: { status: "blocked" } }));
    },
  });
  new Gauge({
    name: "duban_status_updates",
    help: "Status replies recorded, by source",
    labelNames: ["source"],
    registers: [registry],
    async collect() {
      const rows = await db.statusUpdate.groupBy({ by: ["source"], _count: { _all: true } });
      this.reset();
      for (const row of rows) this.set({ source: row.source }, row._count._all);
    },
  });
  new Histogram({
    name: "duban_delivery_latency_seconds",
    help: "Time from a reminder's due time to its sending, for reminders sent in the last 24 hours",
    buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600, 4 * 3600, 24 * 3600],
    registers: [registry],
    async collect() {
      const rows = await db.reminder.findMany({ where: { state: "sent", sentAt: { gte: new Date(now().getTime() - LATENCY_WINDOW_MS) } }, select: { dueAt: true, sentAt: true } });
      this.reset();
      for (const row of rows) this.observe(Math.max(0, (row.sentAt!.getTime() - row.dueAt.getTime()) / 1000));
    },
  });

  const passDuration = new Histogram({ name: "duban_scheduler_pass_duration_seconds", help: "Scheduler pass duration", labelNames: ["outcome"], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] });
  const lastPassGauge = new Gauge({ name: "duban_scheduler_last_pass_timestamp_seconds", help: "When the last scheduler pass of this process finished (Unix time)", registers: [registry] });
  const sends = new Counter({ name: "duban_telegram_sends_total", help: "Messages handed to Telegram by this process, by outcome", labelNames: ["outcome"], registers: [registry] });
  const rateLimited = new Counter({ name: "duban_telegram_rate_limited_total", help: "Sends Telegram answered with 429 Too Many Requests (this process)", registers: [registry] });
  const requests = new Counter({ name: "duban_http_requests_total", help: "HTTP requests by method, route and status", labelNames: ["method", "route", "status"], registers: [registry] });
  const requestDuration = new Histogram({ name: "duban_http_request_duration_seconds", help: "HTTP request duration", labelNames: ["method", "route"], buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registers: [registry] });

  const countResult = (result: Awaited<ReturnType<Messenger["send"]>>) => {
    sends.inc({ outcome: result.ok ? "sent" : result.outcome });
    if (!result.ok && result.outcome === "retry" && result.retryAfterMs !== undefined) rateLimited.inc();
    return result;
  };

  return {
    registry,
    http: async (c, next) => {
      const started = performance.now();
      await next();
      // The matched pattern (/trpc/*, /attachments/:id), never the raw path: bounded labels.
      const route = routePath(c) || "unmatched";
      requests.inc({ method: c.req.method, route, status: String(c.res.status) });
      requestDuration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
    },
    observePass(pass) {
      passDuration.observe({ outcome: pass.ok ? "ok" : "error" }, pass.durationMs / 1000);
      const finished = new Date(pass.startedAt.getTime() + pass.durationMs);
      lastPass = finished;
      lastPassGauge.set(finished.getTime() / 1000);
    },
    lastPassAt: () => lastPass,
    countSends(messenger) {
      return {
        send: async (message) => countResult(await messenger.send(message)),
        ...(messenger.sendDigest ? { sendDigest: async (messages) => countResult(await messenger.sendDigest!(messages)) } : {}),
        ...(messenger.updateCard ? { updateCard: (update) => messenger.updateCard!(update) } : {}),
        ...(messenger.sendText ? { sendText: (chatId, text) => messenger.sendText!(chatId, text) } : {}),
      };
    },
  };
}

function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

function socketAddress(c: Context): string | undefined {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, "") ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface OperationsRouteOptions {
  db: Db;
  metrics: ServerMetrics;
  /** METRICS_TOKEN: /metrics needs `Authorization: Bearer <token>`. Without one, loopback clients only. */
  metricsToken: string | null;
  /** False with SCHEDULER=0: readiness then only asks the database. */
  schedulerEnabled: boolean;
  now: () => Date;
}

/** GET /ready and GET /metrics. */
export function mountOperationsRoutes(app: Hono, options: OperationsRouteOptions): void {
  app.get("/ready", async (c) => {
    let database = true;
    try {
      await Promise.race([options.db.$queryRawUnsafe("SELECT 1"), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000).unref())]);
    } catch {
      database = false;
    }
    const last = options.metrics.lastPassAt();
    const schedulerOk = !options.schedulerEnabled || (last !== null && options.now().getTime() - last.getTime() < READY_PASS_AGE_MS);
    const ready = database && schedulerOk;
    return c.json(
      { ready, database, scheduler: options.schedulerEnabled ? { lastPassAt: last?.toISOString() ?? null, ok: schedulerOk } : "off" },
      ready ? 200 : 503,
    );
  });

  app.get("/metrics", async (c) => {
    if (options.metricsToken) {
      if (!tokenMatches(c.req.header("authorization"), options.metricsToken)) return c.text("Unauthorized", 401, { "WWW-Authenticate": "Bearer" });
    } else {
      // A request relayed by a proxy on this host comes from loopback too: the forwarding headers give it away.
      const relayed = c.req.header("x-forwarded-for") ?? c.req.header("forwarded") ?? c.req.header("x-real-ip");
      if (!isLoopback(socketAddress(c)) || relayed) return c.text("Forbidden: set METRICS_TOKEN to scrape from another host", 403);
    }
    return c.body(await options.metrics.registry.metrics(), 200, { "content-type": options.metrics.registry.contentType });
  });
}
