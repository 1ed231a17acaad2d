import { webhookCallback, type Bot } from "grammy";
import type { Logger } from "pino";
import type { Db } from "@duban/db/client";
import type { BotContext } from "./context.ts";
import { setBotCommands } from "./create-bot.ts";
import { pruneProcessedUpdates } from "./middleware/dedupe.ts";
import { pruneChatSessions } from "./reply-sessions.ts";

/** The update types the bot handles (my_chat_member tells it when someone blocks it). */
export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

export interface StartBotOptions {
  db: Db;
  log: Logger;
  /** Webhook mode when set (TELEGRAM_WEBHOOK_URL + TELEGRAM_WEBHOOK_SECRET); long polling otherwise. */
  webhook?: { url: string; secretToken: string } | null;
  now?: () => Date;
}

export interface RunningBot {
  mode: "polling" | "webhook";
  username: string;
  stop(): Promise<void>;
}

/**
 * Starts the bot: getMe (unless botInfo was given), the optional command menu (a failure is
 * only logged), pruning of old update ids and chat sessions, then long polling or registering the webhook.
 * In webhook mode the server mounts `telegramWebhookHandler(bot, secret)` at /telegram/webhook.
 */
export async function startBot(bot: Bot<BotContext>, options: StartBotOptions): Promise<RunningBot> {
  const { log } = options;
  await bot.init();
  await setBotCommands(bot, log);
  try {
    const now = options.now?.() ?? new Date();
    await pruneProcessedUpdates(options.db, now);
    await pruneChatSessions(options.db, now);
  } catch (error) {
    log.warn({ err: error }, "could not prune processed update ids and old chat sessions");
  }
  const username = bot.botInfo.username;
  if (options.webhook) {
    await bot.api.setWebhook(options.webhook.url, { secret_token: options.webhook.secretToken, allowed_updates: [...ALLOWED_UPDATES] });
    log.info({ username, url: options.webhook.url }, "Telegram bot receiving updates by webhook");
    return { mode: "webhook", username, stop: async () => undefined };
  }
  let stopped = false;
  const polling = bot
    .start({ allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false, onStart: () => log.info({ username }, "Telegram bot started (long polling)") })
    .catch((error: unknown) => {
      if (!stopped) log.error({ err: error }, "Telegram long polling stopped with an error");
    });
  return {
    mode: "polling",
    username,
    async stop() {
      stopped = true;
      await bot.stop();
      await polling;
    },
  };
}

/**
 * The webhook endpoint as a standard fetch handler (Request → Response). Requests without the
 * right X-Telegram-Bot-Api-Secret-Token header get 401. A slow update is answered after 10 s
 * and keeps running (Telegram would otherwise redeliver it; the dedupe would skip it anyway).
 */
export function telegramWebhookHandler(bot: Bot<BotContext>, secretToken: string): (request: Request) => Promise<Response> {
  return webhookCallback(bot, "std/http", { secretToken, onTimeout: "return", timeoutMilliseconds: 10_000 });
}
