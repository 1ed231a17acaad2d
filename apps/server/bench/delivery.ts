/**
 * delivery: N liaisons each with a due reminder, sent by the server's own scheduler (its
 * delivery loop and the core dispatcher) through the bot's TelegramMessenger to a Bot API that
 * enforces Telegram's rates; beside plain grammY (same throttler, auto-retry, 3 parallel)
 * sending to the same emulator in the same run.
 */
import { Api } from "grammy";
import pino from "pino";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { createTelegramApi, telegramThrottle } from "@duban/bot/create-bot";
import { TelegramMessenger } from "@duban/bot/telegram-messenger";
import { runSchedulerPass } from "@duban/core/run-scheduler-pass";
import { at } from "@duban/core/testing/liaison-fixture";
import { insertScalePlan } from "@duban/core/testing/scale-fixture";
import { createTestDb } from "@duban/db/testing";
import { startScheduler } from "../src/scheduler.ts";
import { startRateLimitedTelegram } from "./rate-limited-telegram.ts";

const TOKEN = "123456:bench-token-not-secret";
const RATE = 30;

export async function benchDelivery(n: number): Promise<string> {
  const t = await createTestDb({ provider: "sqlite" });
  const telegram = await startRateLimitedTelegram({ globalPerSecond: RATE, latencyMs: 80 });
  try {
    const now = at("2027-01-05", "10:00");
    await insertScalePlan(t.db, { tasks: 1, unitsPerTask: n, contacts: true, createdAt: at("2026-07-01", "08:00") });
    // Opens the rounds and plans one rung per liaison; the scheduler then finds them due.
    await runSchedulerPass({ db: t.db, messenger: null, now });
    const due = await t.db.reminder.count({ where: { state: "pending", contactId: { not: null } } });
    if (due !== n) throw new Error(`expected ${n} due reminders, planned ${due}`);

    const api = createTelegramApi(TOKEN, { apiRoot: telegram.apiRoot, throttle: telegramThrottle(RATE) });
    const messenger = new TelegramMessenger(api, TOKEN);
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const started = performance.now();
    const scheduler = startScheduler({ db: t.db, messenger, log: pino({ level: "silent" }), now: () => now, pollMs: 200 });
    const sent = () => t.db.reminder.count({ where: { state: "sent", contactId: { not: null } } });
    // Bounded: at most twice the time the rate allows, plus a minute.
    const limit = started + (2 * n * 1000) / RATE + 60_000;
    while ((await sent()) < n && performance.now() < limit) await new Promise((r) => setTimeout(r, 250));
    const seconds = (performance.now() - started) / 1000;
    await scheduler.stop();
    clearInterval(sampler);

    const delivered = await sent();
    const chats = [...telegram.received.values()];
    const lost = n - chats.length;
    const duplicate = chats.reduce((sum, count) => sum + count - 1, 0);
    const rate = delivered / seconds;
    const tooMany = (100 * telegram.stats.tooMany) / Math.max(1, telegram.stats.accepted + telegram.stats.tooMany);
    const anchorCount = Math.min(n, 600);
    const anchor = await plainGrammy(anchorCount);
    return (
      `delivery: ${delivered} sent in ${seconds.toFixed(1)} s = ${rate.toFixed(1)} msg/s (${(rate / RATE).toFixed(2)} of ${RATE}/s), ` +
      `429 ${tooMany.toFixed(2)}%, lost ${lost}, duplicate ${duplicate}, rss ${Math.round(peakRss / 2 ** 20)} MB` +
      ` (plain grammY, ${anchorCount} messages: ${anchor.toFixed(1)} msg/s)`
    );
  } finally {
    await telegram.close();
    await t.cleanup();
  }
}

/** The anchor: grammY alone, throttler + auto-retry, three sends in parallel, distinct chats. */
async function plainGrammy(n: number): Promise<number> {
  const telegram = await startRateLimitedTelegram({ globalPerSecond: RATE, latencyMs: 80 });
  try {
    const api = new Api(TOKEN, { apiRoot: telegram.apiRoot });
    api.config.use(apiThrottler(telegramThrottle(RATE)));
    api.config.use(autoRetry());
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let i = next++; i < n; i = next++) await api.sendMessage(9_000_000 + i, `提醒 ${i}`);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return n / seconds;
  } finally {
    await telegram.close();
  }
}
