import { timingSafeEqual } from "node:crypto";
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
    // Telegram holds a long poll for `timeout` seconds: kept below the per-call timeout, or every poll would abort.
    .start({ allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false, timeout: 20, onStart: () => log.info({ username }, "Telegram bot started (long polling)") })
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

/** Constant-time comparison of the secret header (a plain !== leaks how much of it matched). */
function secretMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The webhook endpoint as a standard fetch handler (Request → Response). Requests without the
 * right X-Telegram-Bot-Api-Secret-Token header get 401; a body that is not an update (bad JSON,
 * no integer update_id) gets 400 before the bot sees it. A slow update is answered after 10 s
 * and keeps running (Telegram would otherwise redeliver it; the dedupe would skip it anyway).
 * Errors never become a 5xx: the bot's error boundary logs them, and the update id is stored.
 */
export function telegramWebhookHandler(bot: Bot<BotContext>, secretToken: string, log?: Logger): (request: Request) => Promise<Response> {
  const handle = webhookCallback(bot, "std/http", { secretToken, onTimeout: "return", timeoutMilliseconds: 10_000 });
  return async (request) => {
    if (!secretMatches(request.headers.get("x-telegram-bot-api-secret-token"), secretToken)) return new Response("secret token is wrong", { status: 401 });
    let update: unknown;
    try {
      update = JSON.parse(await request.text());
    } catch {
      return new Response("not JSON", { status: 400 });
    }
    const id = (update as { update_id?: unknown } | null)?.update_id;
    if (typeof update !== "object" || update === null || Array.isArray(update) || typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) {
      return new Response("not a Telegram update", { status: 400 });
    }
    try {
      return await handle(new Request(request.url, { method: "POST", headers: request.headers, body: JSON.stringify(update) }));
    } catch (error) {
      log?.error({ err: error, updateId: id }, "webhook update failed outside the bot's error boundary");
      return new Response(null, { status: 200 });
    }
  };
}
