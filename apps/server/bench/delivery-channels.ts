/**
 * The channels of `npm run bench`'s delivery lines: each names its platform's limits, an
 * emulator enforcing them and the adapter's messenger. Another channel is one more entry here.
 */
import { Api } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { createTelegramApi, telegramThrottle } from "@duban/bot/create-bot";
import { TelegramMessenger } from "@duban/bot/telegram-messenger";
import { routeByChannel } from "@duban/core/channels/messenger";
import { CHANNEL_LIMITS } from "@duban/domain/channel-limits";
import { WecomApi } from "../src/channels/wecom/api.ts";
import { WecomMessenger } from "../src/channels/wecom/messenger.ts";
import { WecomEmulator } from "../src/channels/wecom/testing/wecom-emulator.ts";
import type { DeliveryBenchChannel } from "./delivery.ts";
import { startRateLimitedTelegram } from "./rate-limited-telegram.ts";

const TOKEN = "123456:bench-token-not-secret";
/** The round trip to the platform the emulators add to every answer. */
const LATENCY_MS = 80;

/** Telegram: the Bot API emulator at 30/s overall and 1/s per chat (429 with retry_after beyond). */
export const telegramBench: DeliveryBenchChannel = {
  channel: "telegram",
  limits: CHANNEL_LIMITS.telegram,
  limitedName: "429",
  async start() {
    const telegram = await startRateLimitedTelegram({ globalPerSecond: 30, latencyMs: LATENCY_MS });
    const api = createTelegramApi(TOKEN, { apiRoot: telegram.apiRoot, throttle: telegramThrottle(30) });
    return {
      messenger: routeByChannel({ telegram: new TelegramMessenger(api, TOKEN) }),
      delivered: () => telegram.received,
      stats: () => ({ answers: telegram.stats.accepted + telegram.stats.tooMany, limited: telegram.stats.tooMany, dropped: 0 }),
      close: () => telegram.close(),
    };
  },
  // grammY alone (same throttler, auto-retry), three sends in parallel, distinct chats.
  async anchor(n) {
    const telegram = await startRateLimitedTelegram({ globalPerSecond: 30, latencyMs: LATENCY_MS });
    try {
      const api = new Api(TOKEN, { apiRoot: telegram.apiRoot });
      api.config.use(apiThrottler(telegramThrottle(30)));
      api.config.use(autoRetry());
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 3 }, async () => {
          for (let i = next++; i < n; i = next++) await api.sendMessage(9_000_000 + i, `提醒 ${i}`);
        }),
      );
      return `plain grammY, ${n} messages: ${(n / ((performance.now() - started) / 1000)).toFixed(1)} msg/s`;
    } finally {
      await telegram.close();
    }
  },
};

const WECOM = { corpId: "wwbench000000001", agentId: 1000009, secret: "bench-secret-not-secret", token: "BenchToken", aesKey: "b".repeat(43) };

/** 企业微信: the API emulator with 30/min and 1,000/h per member (dropped beyond) and the app ceiling (45009 beyond). */
export const wecomBench: DeliveryBenchChannel = {
  channel: "wecom",
  limits: CHANNEL_LIMITS.wecom,
  limitedName: "45009",
  async start(addresses) {
    const app = CHANNEL_LIMITS.wecom.app[0]!;
    const emulator = new WecomEmulator({ ...WECOM, members: addresses, limits: { perMember: CHANNEL_LIMITS.wecom.recipient, app }, latencyMs: LATENCY_MS });
    await emulator.start();
    const messenger = new WecomMessenger(new WecomApi({ corpId: WECOM.corpId, agentId: WECOM.agentId, secret: WECOM.secret, apiRoot: emulator.url }));
    return {
      messenger: routeByChannel({ wecom: messenger }),
      delivered: () => new Map([...emulator.deliveredAt].map(([user, times]) => [user, times.length])),
      stats: () => ({ answers: emulator.sent.length + emulator.dropped.length + emulator.tooMany, limited: emulator.tooMany, dropped: emulator.dropped.length }),
      close: () => emulator.stop(),
    };
  },
};

/** Every channel's line, in the order printed. */
export const DELIVERY_BENCH_CHANNELS: DeliveryBenchChannel[] = [telegramBench, wecomBench];
