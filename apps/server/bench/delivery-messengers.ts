/**
 * The delivering side of a delivery line: each channel's real adapter (its Messenger) pointed at
 * the emulator's address, built in the delivering child process (`deliver.ts`). Each channel's
 * modules are imported only when that channel is benched, so the process holds what a server
 * with that channel holds.
 */
import type { Channel, Messenger } from "@duban/core/channels/messenger";

/** The bench's clock starts here (2027-01-05 10:00 in Shanghai, a workday) and moves with real time, so a retry comes due. */
export const BENCH_START = Date.parse("2027-01-05T02:00:00.000Z");

/** What the delivering process reports. */
export interface DeliverResult {
  peakRss: number;
  startRss: number;
  /** CPU time the delivering process used while delivering (user + system). */
  cpuMs: number;
}

/** Bench credentials, the same on both sides (none is a secret). */
export const BENCH_APPS = {
  telegram: { token: "123456:bench-token-not-secret" },
  wecom: { corpId: "wwbench000000001", agentId: 1000009, secret: "bench-secret-not-secret", token: "BenchToken", aesKey: "b".repeat(43) },
  dingtalk: { clientId: "dingbench0000001", clientSecret: "bench-secret-not-secret", robotCode: "dingbench0000001", corpId: "dingcorpbench" },
  feishu: { appId: "cli_0123456789abcdef", appSecret: "bench-secret-not-secret" },
} as const;

export async function benchMessenger(channel: Channel, apiRoot: string): Promise<Messenger> {
  const { routeByChannel } = await import("@duban/core/channels/messenger");
  switch (channel) {
    case "telegram": {
      const { createTelegramApi } = await import("@duban/bot/create-bot");
      const { TelegramMessenger } = await import("@duban/bot/telegram-messenger");
      const { token } = BENCH_APPS.telegram;
      // As the server sends: paced by the dispatcher alone (no throttler under it), auto-retry kept.
      return routeByChannel({ telegram: new TelegramMessenger(createTelegramApi(token, { apiRoot, throttle: false }), token) });
    }
    case "wecom": {
      const { WecomApi } = await import("../src/channels/wecom/api.ts");
      const { WecomMessenger } = await import("../src/channels/wecom/messenger.ts");
      const { corpId, agentId, secret } = BENCH_APPS.wecom;
      return routeByChannel({ wecom: new WecomMessenger(new WecomApi({ corpId, agentId, secret, apiRoot })) });
    }
    case "dingtalk": {
      const { DingtalkApi } = await import("../src/channels/dingtalk/api.ts");
      const { DingtalkMessenger } = await import("../src/channels/dingtalk/messenger.ts");
      const { clientId, clientSecret, robotCode } = BENCH_APPS.dingtalk;
      return routeByChannel({ dingtalk: new DingtalkMessenger(new DingtalkApi({ clientId, clientSecret, robotCode, apiRoot })) });
    }
    case "feishu": {
      const { FeishuApi } = await import("../src/channels/feishu/api.ts");
      const { FeishuMessenger } = await import("../src/channels/feishu/messenger.ts");
      // FEISHU_RATE's default (40/s), as the server starts it.
      return routeByChannel({ feishu: new FeishuMessenger(new FeishuApi({ ...BENCH_APPS.feishu, apiRoot })) });
    }
  }
}
