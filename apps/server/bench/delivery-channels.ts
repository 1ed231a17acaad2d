/**
 * The channels of `npm run bench`'s delivery lines: each names its platform's documented limits
 * (CHANNEL_LIMITS in domain, the same the server paces to) and starts a local emulator of the
 * platform enforcing them, 80 ms round trip. The adapter side is in delivery-messengers.ts.
 * Another channel is one more entry here and one case there.
 */
import { Api } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { telegramThrottle } from "@duban/bot/create-bot";
import { CHANNEL_LIMITS, withAppRate } from "@duban/domain/channel-limits";
import { DingtalkEmulator } from "../src/channels/dingtalk/testing/dingtalk-emulator.ts";
import { DINGTALK_DEFAULT_RATE } from "../src/env.ts";
import { FeishuEmulator } from "../src/channels/feishu/testing/feishu-emulator.ts";
import { WecomEmulator } from "../src/channels/wecom/testing/wecom-emulator.ts";
import type { DeliveryBenchChannel } from "./delivery.ts";
import { BENCH_APPS } from "./delivery-messengers.ts";
import { startRateLimitedTelegram } from "./rate-limited-telegram.ts";

/** The round trip to the platform the emulators add to every answer. */
const LATENCY_MS = 80;

const countBy = (keys: Iterable<string>) => {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
};

/** Telegram: the Bot API emulator at 30/s overall and 1/s per chat (429 with retry_after beyond). */
export const telegramBench: DeliveryBenchChannel = {
  channel: "telegram",
  limits: CHANNEL_LIMITS.telegram,
  limitedName: "429",
  async start() {
    const telegram = await startRateLimitedTelegram({ globalPerSecond: 30, latencyMs: LATENCY_MS });
    return {
      apiRoot: telegram.apiRoot,
      delivered: () => telegram.received,
      stats: () => ({ answers: telegram.stats.accepted + telegram.stats.tooMany, limited: telegram.stats.tooMany, dropped: 0 }),
      close: () => telegram.close(),
    };
  },
  // grammY alone (same throttler, auto-retry), three sends in parallel, distinct chats.
  async anchor(n) {
    const telegram = await startRateLimitedTelegram({ globalPerSecond: 30, latencyMs: LATENCY_MS });
    try {
      const api = new Api(BENCH_APPS.telegram.token, { apiRoot: telegram.apiRoot });
      api.config.use(apiThrottler(telegramThrottle(30)));
      api.config.use(autoRetry());
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 3 }, async () => {
          for (let i = next++; i < n; i = next++) await api.sendMessage(9_000_000 + i, `提醒 ${i}`);
        }),
      );
      const rate = n / ((performance.now() - started) / 1000);
      return `plain grammY, ${n} messages: ${rate.toFixed(1)} msg/s = ${(rate / 30).toFixed(2)} of 30/s`;
    } finally {
      await telegram.close();
    }
  },
};

/** 企业微信: 30/min and 1,000/h per member (dropped beyond, answered ok) and the app ceiling (45009 beyond). */
export const wecomBench: DeliveryBenchChannel = {
  channel: "wecom",
  limits: CHANNEL_LIMITS.wecom,
  limitedName: "45009",
  async start(addresses) {
    const app = CHANNEL_LIMITS.wecom.app[0]!;
    const emulator = new WecomEmulator({ ...BENCH_APPS.wecom, members: addresses, limits: { perMember: CHANNEL_LIMITS.wecom.recipient, app }, latencyMs: LATENCY_MS });
    await emulator.start();
    return {
      apiRoot: emulator.url,
      delivered: () => new Map([...emulator.deliveredAt].map(([user, times]) => [user, times.length])),
      stats: () => ({ answers: emulator.sent.length + emulator.dropped.length + emulator.tooMany, limited: emulator.tooMany, dropped: emulator.dropped.length }),
      close: () => emulator.stop(),
    };
  },
};

/** 钉钉: 20 calls/s per app (标准版; 403 QpsLimitForApi beyond) and the same content to a member once a day (dropped beyond, answered success). */
export const dingtalkBench: DeliveryBenchChannel = {
  channel: "dingtalk",
  // Paced as the server is by default (DINGTALK_RATE), against the platform's own 20/s.
  limits: withAppRate(CHANNEL_LIMITS.dingtalk, DINGTALK_DEFAULT_RATE),
  limitedName: "403 QpsLimit",
  async start(addresses) {
    const emulator = new DingtalkEmulator({ ...BENCH_APPS.dingtalk, members: addresses, limits: { app: CHANNEL_LIMITS.dingtalk.app[0]!, identicalOncePerDay: true }, latencyMs: LATENCY_MS });
    await emulator.start();
    return {
      apiRoot: emulator.url,
      delivered: () => countBy([...emulator.cards.map((c) => c.userId), ...emulator.texts.map((t) => t.userId)]),
      stats: () => ({ answers: emulator.cards.length + emulator.texts.length + emulator.dropped.length + emulator.tooMany, limited: emulator.tooMany, dropped: emulator.dropped.length }),
      close: () => emulator.stop(),
    };
  },
};

/** 飞书: 50/s per app (HTTP 429 99991400 beyond) and 5/s per user (230020 beyond). */
export const feishuBench: DeliveryBenchChannel = {
  channel: "feishu",
  limits: CHANNEL_LIMITS.feishu,
  limitedName: "99991400",
  async start(addresses) {
    const emulator = new FeishuEmulator({ ...BENCH_APPS.feishu, members: addresses, latencyMs: LATENCY_MS });
    await emulator.start();
    return {
      apiRoot: emulator.url,
      delivered: () => countBy(emulator.sent.map((m) => m.receive_id)),
      stats: () => ({ answers: emulator.sent.length + emulator.tooMany, limited: emulator.tooMany, dropped: 0 }),
      close: () => emulator.stop(),
    };
  },
};

/** Every channel's line, in the order printed. */
export const DELIVERY_BENCH_CHANNELS: DeliveryBenchChannel[] = [telegramBench, wecomBench, dingtalkBench, feishuBench];
