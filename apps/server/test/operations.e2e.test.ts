// Operating Duban: /metrics against the outbox after a real delivery run through the Bot API
// emulator; /ready; the nightly backup and its rotation; restore refused while the server runs,
// and a restored database that starts and serves the same board.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { dispatchReminders } from "@duban/core/reminders/dispatch-reminders";
import { liaisonFixture, FIXTURE_NOW } from "@duban/core/testing/liaison-fixture";
import { backupDatabase, restoreDatabase, RestoreRefused } from "@duban/db/backup/backup";
import { listBackups } from "@duban/db/backup/manifest";
import { createDb } from "@duban/db/client";
import { createBot } from "@duban/bot/create-bot";
import { createTelegramMessenger } from "@duban/bot/telegram-messenger";
import { startEmulator } from "../../bot/test/emulator.ts";
import { createServerApp } from "../src/app.ts";
import { startNightlyBackup } from "../src/backup-schedule.ts";
import { parseEnv } from "../src/env.ts";
import { createMetrics } from "../src/metrics.ts";
import { startDuban, type RunningServer } from "../src/start.ts";
import { consoleSession } from "./console-session.ts";

const TOKEN = "123456789:METRICS_TOKEN_abcdefghijklmnopqrstuvw";
const METRICS_TOKEN = "scrape-me-0123456789abcdef";
const silent = pino({ level: "silent" });
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** `name{labels} value` lines of a Prometheus text exposition, as a map. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    map.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return map;
}

describe("/metrics after a delivery run against the Bot API emulator", () => {
  it("reports the outbox by state, Telegram's answers (429 included), unreachable contacts and delivery latency as the database has them", async () => {
    const f = await liaisonFixture();
    cleanups.push(() => f.cleanup());
    const api = await startEmulator(TOKEN);
    cleanups.push(() => api.stop());
    const units = (await f.db.unit.findMany({ where: { collective: false }, orderBy: { id: "asc" }, take: 5 })).map((u) => u.name);
    const contacts: number[] = [];
    for (const [i, unit] of units.entries()) contacts.push(await f.addContact({ unit, telegramUserId: String(5001 + i), name: `联络员${i}` }));
    const now = FIXTURE_NOW;
    await f.db.reminder.createMany({
      data: contacts.map((contactId, i) => ({
        key: `metrics-test:${contactId}`,
        kind: "notice",
        unitId: i + 1,
        contactId,
        rung: "notice",
        dueAt: new Date(now.getTime() - (i + 1) * 60_000),
        nextAttemptAt: new Date(now.getTime() - (i + 1) * 60_000),
        text: `通知 ${i}`,
      })),
    });
    const unitIds = await Promise.all(units.map((u) => f.unitId(u)));
    for (const [i, contactId] of contacts.entries()) await f.db.reminder.update({ where: { key: `metrics-test:${contactId}` }, data: { unitId: unitIds[i]! } });

    const bot = createBot(TOKEN, { db: f.db, log: silent }, { apiRoot: api.apiRoot, autoRetry: false, throttle: false });
    await bot.init();
    const metrics = createMetrics(f.db, () => now);
    const messenger = metrics.countSends(createTelegramMessenger(bot));
    api.failNext("sendMessage", 429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 30", parameters: { retry_after: 30 } });
    api.failNext("sendMessage", 403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    const summary = await dispatchReminders(f.db, messenger, now);
    expect(summary).toMatchObject({ sent: 3, retrying: 1, unreachable: 1 });

    const app = createServerApp({ db: f.db, now: () => now, log: silent, operations: { metrics, metricsToken: METRICS_TOKEN, schedulerEnabled: false } });
    expect((await app.request("/metrics")).status).toBe(401);
    expect((await app.request("/metrics", { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
    await app.request("/health");
    const response = await app.request("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const m = samples(await response.text());

    const byState = await f.db.reminder.groupBy({ by: ["state"], _count: { _all: true } });
    for (const state of ["pending", "sending", "sent", "retrying", "failed", "unreachable", "cancelled"]) {
      expect(m.get(`duban_outbox_reminders{state="${state}"}`), state).toBe(byState.find((r) => r.state === state)?._count._all ?? 0);
    }
    expect(m.get('duban_outbox_reminders{state="sent"}')).toBe(3);
    expect(m.get('duban_telegram_sends_total{outcome="sent"}')).toBe(3);
    expect(m.get('duban_telegram_sends_total{outcome="retry"}')).toBe(1);
    expect(m.get('duban_telegram_sends_total{outcome="unreachable"}')).toBe(1);
    expect(m.get("duban_telegram_rate_limited_total")).toBe(1);
    expect(m.get("duban_contacts_unreachable")).toBe(await f.db.contact.count({ where: { status: "blocked" } }));
    expect(m.get("duban_contacts_unreachable")).toBe(1);
    // Latency: sentAt − dueAt of the three sent ones (1 to 5 minutes late here).
    const sent = await f.db.reminder.findMany({ where: { state: "sent" } });
    expect(m.get("duban_delivery_latency_seconds_count")).toBe(3);
    expect(m.get("duban_delivery_latency_seconds_sum")).toBeCloseTo(sent.reduce((s, r) => s + (r.sentAt!.getTime() - r.dueAt.getTime()) / 1000, 0), 3);
    expect(m.get('duban_delivery_latency_seconds_bucket{le="60"}')).toBe(sent.filter((r) => r.sentAt!.getTime() - r.dueAt.getTime() <= 60_000).length);
    expect(m.get('duban_http_requests_total{method="GET",route="/health",status="200"}')).toBe(1);
    expect(m.get('duban_http_requests_total{method="GET",route="/metrics",status="401"}')).toBe(2);
  });
});

describe("/ready", () => {
  it("is 503 until a scheduler pass ran, 200 within two minutes of one, 503 again after", async () => {
    const f = await liaisonFixture();
    cleanups.push(() => f.cleanup());
    let now = FIXTURE_NOW;
    const metrics = createMetrics(f.db, () => now);
    const app = createServerApp({ db: f.db, now: () => now, log: silent, operations: { metrics, metricsToken: METRICS_TOKEN, schedulerEnabled: true } });
    const ready = async () => {
      const response = await app.request("/ready");
      return { status: response.status, body: (await response.json()) as { ready: boolean; database: boolean; scheduler: { ok: boolean; lastPassAt: string | null } } };
    };
    expect(await ready()).toMatchObject({ status: 503, body: { ready: false, database: true, scheduler: { ok: false, lastPassAt: null } } });
    metrics.observePass({ reason: "minute", startedAt: now, durationMs: 1500, ok: true });
    now = new Date(now.getTime() + 60_000);
    expect(await ready()).toMatchObject({ status: 200, body: { ready: true, scheduler: { ok: true, lastPassAt: new Date(FIXTURE_NOW.getTime() + 1500).toISOString() } } });
    now = new Date(now.getTime() + 2 * 60_000);
    expect(await ready()).toMatchObject({ status: 503, body: { ready: false, database: true, scheduler: { ok: false } } });
    // /health stays a liveness check.
    expect((await app.request("/health")).status).toBe(200);
  });
});

describe("a running server: /ready, /metrics on loopback, nightly backups, restore", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "duban-ops-e2e-"));
  const file = path.join(dir, "duban.db");
  const backupDir = path.join(dir, "backups");
  let server: RunningServer | null = null;
  cleanups.push(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async () => {
    const env = parseEnv({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: `file:${file}`, ADMIN_USERNAME: "admin", ADMIN_PASSWORD: "admin password", BACKUP_DIR: backupDir, BACKUP_AT: "03:00", BACKUP_KEEP: "7" });
    server = await startDuban(env, silent);
    return server;
  };
  const office = consoleSession(() => server!.url);
  let boardBefore: unknown;

  it("/ready answers once the scheduler has run; /metrics serves loopback clients, not proxied ones", async () => {
    const running = await start();
    let ready = await fetch(`${running.url}/ready`);
    for (let i = 0; i < 100 && ready.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await fetch(`${running.url}/ready`);
    }
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, database: true, scheduler: { ok: true } });
    const metrics = await fetch(`${running.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/duban_scheduler_pass_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect((await fetch(`${running.url}/metrics`, { headers: { "x-forwarded-for": "198.51.100.7" } })).status).toBe(403);
  });

  it("the nightly job writes a checked backup and rotates by BACKUP_KEEP", async () => {
    const day = 24 * 60 * 60 * 1000;
    const now = new Date();
    for (const age of [9, 8]) await backupDatabase(file, backupDir, { reason: "nightly", now: new Date(now.getTime() - age * day) });
    const nightly = startNightlyBackup({ target: file, dir: backupDir, at: "03:00", keepDays: 7, log: silent, now: () => now });
    const written = await nightly.runOnce();
    await nightly.stop();
    expect(written?.reason).toBe("nightly");
    expect(written?.tables.Task).toBeGreaterThan(0);
    expect(listBackups(backupDir).map((b) => b.manifest?.file)).toEqual([written?.file]);
  });

  it("restore is refused while the server runs; once stopped, the restored database starts and serves the same board", async () => {
    await office.trpc("auth.login", { username: "admin", password: "admin password" }, "POST");
    // The board as of a moment; `now` is when it was asked.
    const board = async () => ({ ...(await office.trpc<Record<string, unknown>>("board.get", {})), now: null });
    boardBefore = await board();
    const [backup] = listBackups(backupDir);
    await expect(restoreDatabase(file, backup!.path, { now: new Date(), backupDir })).rejects.toThrow(RestoreRefused);
    await expect(restoreDatabase(file, backup!.path, { now: new Date(), backupDir })).rejects.toThrow(/in use by a running Duban server \(pid \d+/);

    await server!.stop();
    server = null;
    // Damage after the backup: a unit renamed, a task dropped.
    const db = createDb(`file:${file}`);
    await db.unit.updateMany({ where: { name: "市场监督管理局" }, data: { name: "改错的名字" } });
    await db.task.updateMany({ where: { number: "8" }, data: { active: false } });
    await db.$disconnect();

    const outcome = await restoreDatabase(file, backup!.path, { now: new Date(), backupDir });
    expect(existsSync(outcome.keptAside!)).toBe(true);
    await start();
    await office.trpc("auth.login", { username: "admin", password: "admin password" }, "POST");
    expect(await board()).toEqual(boardBefore);
    expect(JSON.stringify(boardBefore)).toContain("市场监督管理局");
  });
});
