import { Api, Bot, BotError, GrammyError, HttpError, type StorageAdapter } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { apiThrottler, type APIThrottlerOptions } from "@grammyjs/transformer-throttler";
import pino, { type Logger } from "pino";
import type { Db } from "@duban/db/client";
import { botSessionStorage } from "@duban/db/repositories/bot-sessions";
import { DEFAULT_WORKING_HOURS, type WorkingHours } from "@duban/domain/working-hours";
import { callbackSecretFor } from "./callback-data.ts";
import type { BotContext } from "./context.ts";
import { gate } from "./features/gate.ts";
import { help } from "./features/help.ts";
import { language } from "./features/language.ts";
import { membership } from "./features/membership.ts";
import { notices } from "./features/notices.ts";
import { onboarding } from "./features/onboarding.ts";
import { replies } from "./features/replies.ts";
import { report } from "./features/report.ts";
import { status } from "./features/status.ts";
import { tasks } from "./features/tasks.ts";
import { i18n } from "./i18n.ts";
import { callbackGuard } from "./middleware/callback-guard.ts";
import { chatSession } from "./middleware/chat-session.ts";
import { loadContact } from "./middleware/contact.ts";
import { dedupeUpdates } from "./middleware/dedupe.ts";
import { ReplySessions, type ChatSessionData } from "./reply-sessions.ts";

export interface BotDeps {
  db: Db;
  log?: Logger;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** WORKING_HOURS (default 09:00-17:30). */
  workingHours?: WorkingHours;
  /** Where chat sessions (a liaison's current step) are kept; default: the database. */
  sessionStorage?: StorageAdapter<ChatSessionData>;
}

export interface CreateBotOptions {
  /** Bot API root, e.g. a local emulator "http://127.0.0.1:9001". Default: Telegram's. */
  apiRoot?: string;
  /** Skips getMe at start (tests, or when already known). */
  botInfo?: UserFromGetMe;
  /** Outgoing rate limits; default about 30 msg/s overall and 1 msg/s per chat. false: none (unit tests). */
  throttle?: false | APIThrottlerOptions;
  /** Short in-process retries of 429 (up to maxDelaySeconds) and 5xx, never of network errors; false: none. */
  autoRetry?: false | { maxRetryAttempts?: number; maxDelaySeconds?: number };
  /** Per-call timeout (default TELEGRAM_CALL_TIMEOUT_SECONDS); tests of a hung Telegram use a short one. */
  timeoutSeconds?: number;
}

/**
 * Every Bot API call gives up after this long (grammY aborts it; an HttpError, classified as
 * "retry"). One hung call must not hold the sending of everything else.
 */
export const TELEGRAM_CALL_TIMEOUT_SECONDS = 30;

/**
 * Telegram's limits for `ratePerSecond` messages/s overall (this instance's share of the bot's
 * ~30/s: two instances sending at once take 15 each), spread evenly rather than in a burst
 * each second; 1/s per private chat and 20/min per group as Telegram asks.
 */
export function telegramThrottle(ratePerSecond = 30): APIThrottlerOptions {
  const rate = Math.max(1, Math.floor(ratePerSecond));
  return {
    global: { reservoir: rate, reservoirRefreshAmount: rate, reservoirRefreshInterval: 1000, minTime: Math.floor(1000 / rate), maxConcurrent: rate },
    // A limiter per chat lives until `timeout` ms without traffic (Bottleneck's default, 5 min,
    // kept one per liaison of a 10,000-message fan-out: ~170 MB). Past its window it holds nothing.
    group: { maxConcurrent: 1, minTime: 1000, reservoir: 20, reservoirRefreshAmount: 20, reservoirRefreshInterval: 60_000, timeout: 61_000 },
    out: { maxConcurrent: 1, minTime: 1000, timeout: 2_000 },
  };
}

/** Telegram's limits and retries on an Api: about 30 msg/s overall and 1/s per chat; 429 and 5xx retried. */
function configureApi(api: Api, options: Pick<CreateBotOptions, "throttle" | "autoRetry">): void {
  // Installed last = runs first: each auto-retry attempt goes through the throttler again.
  if (options.throttle !== false) api.config.use(apiThrottler(options.throttle ?? telegramThrottle()));
  if (options.autoRetry !== false) {
    // Network errors are not retried here: a timed-out or cut-off call may have reached Telegram,
    // and a blind resend is an uncounted duplicate. The caller decides (the dispatcher counts it).
    api.config.use(autoRetry({ maxRetryAttempts: options.autoRetry?.maxRetryAttempts ?? 3, maxDelaySeconds: options.autoRetry?.maxDelaySeconds ?? 30, rethrowHttpErrors: true }));
  }
}

/** The Bot API alone, configured as the bot's (for sending without receiving, e.g. the CLI). */
export function createTelegramApi(token: string, options: Pick<CreateBotOptions, "apiRoot" | "throttle" | "autoRetry" | "timeoutSeconds"> = {}): Api {
  const api = new Api(token, { timeoutSeconds: options.timeoutSeconds ?? TELEGRAM_CALL_TIMEOUT_SECONDS, ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) });
  configureApi(api, options);
  return api;
}

/** The commands shown in Telegram's menu (both languages). */
export const BOT_COMMANDS = ["tasks", "report", "overdue", "lang", "help"] as const;

/**
 * The liaison bot: one Composer per feature behind the shared middleware (dedupe, who is
 * writing, language, stranger gate, button guard), inside an error boundary.
 */
export function createBot(token: string, deps: BotDeps, options: CreateBotOptions = {}): Bot<BotContext> {
  const log = deps.log ?? pino({ level: "silent" });
  const now = deps.now ?? (() => new Date());
  const sessionStorage = deps.sessionStorage ?? botSessionStorage<ChatSessionData>(deps.db);
  const callbackSecret = callbackSecretFor(token);

  const bot = new Bot<BotContext>(token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: { timeoutSeconds: options.timeoutSeconds ?? TELEGRAM_CALL_TIMEOUT_SECONDS, ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
  });
  configureApi(bot.api, options);

  bot.use(async (ctx, next) => {
    const at = now();
    const sessions = new ReplySessions({ read: () => ctx.session, write: (data) => (ctx.session = data) }, at);
    ctx.duban = { db: deps.db, log, now: at, contact: null, sessions, callbackSecret, callback: null, workingHours: deps.workingHours ?? DEFAULT_WORKING_HOURS };
    await next();
  });
  // One error boundary around everything that touches the database or Telegram, the dedupe
  // included: a failing update is logged once (the logger scrubs secrets) and answered politely.
  const safe = bot.errorBoundary(async (error: BotError<BotContext>) => {
    const ctx = error.ctx;
    ctx.duban.log.error({ err: error.error, updateId: ctx.update.update_id }, "update handling failed");
    try {
      const text = typeof ctx.t === "function" ? ctx.t("error") : "抱歉，系统暂时出现问题，请稍后再试。";
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
      else if (ctx.chat?.type === "private" && ctx.message) await ctx.reply(text);
    } catch {
      // Nothing more to do: the error is logged.
    }
  });
  // A webhook may deliver two updates of one chat at once: they are handled one after the other,
  // so the second sees the step (session) the first left behind.
  safe.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  safe.use(dedupeUpdates);
  safe.use(loadContact);
  // One session per private chat; other chats (a group the bot was added to) keep none.
  safe.use(chatSession(sessionStorage, { readWithContact: deps.sessionStorage === undefined }));
  safe.use(i18n);

  safe.use(membership);
  const chat = safe.chatType("private");
  chat.use(onboarding);
  chat.use(gate);
  chat.use(callbackGuard);
  // A command starts something new: a half-finished step (progress, reason) is dropped — but
  // not files waiting for their task: they are never dropped (/report files them, /help says so).
  chat.on("::bot_command", async (ctx, next) => {
    const session = ctx.duban.sessions.get();
    if (!(session?.step === "pending" && session.pending.attachments.length > 0)) ctx.duban.sessions.clear();
    await next();
  });
  chat.use(help, language, tasks, report, status, replies);
  chat.use(notices);

  bot.catch((error) => {
    log.error({ err: error.error, updateId: error.ctx.update.update_id }, "unhandled bot error");
  });
  return bot;
}

/** Sets the command menu; optional, so a failure (or an emulator without it) is logged and ignored. */
export async function setBotCommands(bot: Bot<BotContext>, log: Logger): Promise<boolean> {
  try {
    for (const lang of ["zh", "en"] as const) {
      const commands = BOT_COMMANDS.map((command) => ({ command, description: i18n.t(lang, `command-${command}`) }));
      await bot.api.setMyCommands(commands, lang === "zh" ? {} : { language_code: "en" });
    }
    return true;
  } catch (error) {
    const detail = error instanceof GrammyError ? error.description : error instanceof HttpError ? error.message : String(error);
    log.warn({ detail }, "could not set the bot's command menu; continuing without it");
    return false;
  }
}
