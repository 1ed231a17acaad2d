import path from "node:path";
import { serve } from "@hono/node-server";
import type { Logger } from "pino";
import { createBot, createTelegramApi, telegramThrottle } from "@duban/bot/create-bot";
import { startBot, telegramWebhookHandler, type RunningBot } from "@duban/bot/start-bot";
import { createTelegramFiles } from "@duban/bot/telegram-files";
import { createTelegramMessenger, TelegramMessenger } from "@duban/bot/telegram-messenger";
import { ensureAdmin } from "@duban/core/auth/ensure-admin";
import { routeByChannel, type Channel, type Messenger } from "@duban/core/channels/messenger";
import { defaultBackupDir } from "@duban/db/backup/backup";
import { holdServerLock } from "@duban/db/backup/server-lock";
import { migrationTarget, resolveDatabaseUrl } from "@duban/db/client";
import { isPostgresUrl, REPO_ROOT } from "@duban/db/migrate/migrations";
import { CHANNEL_LIMITS, withAppRate } from "@duban/domain/channel-limits";
import { createServerApp } from "./app.ts";
import { wecomChannel } from "./channels/wecom/wecom-channel.ts";
import { startNightlyBackup } from "./backup-schedule.ts";
import { prepareDatabase } from "./boot.ts";
import type { Env } from "./env.ts";
import { createMetrics } from "./metrics.ts";
import { startScheduler } from "./scheduler.ts";

export interface RunningServer {
  url: string;
  bot: RunningBot | null;
  stop(): Promise<void>;
}

/**
 * Everything `npm start` does, in order: database (migrate, seed), first admin, the Telegram
 * bot when a token is set, the scheduler, and the HTTP server. A bot that cannot reach
 * Telegram is logged and left off: the console and the outbox keep working.
 */
export async function startDuban(env: Env, log: Logger): Promise<RunningServer> {
  const target = migrationTarget(resolveDatabaseUrl(env.DATABASE_URL, REPO_ROOT));
  const backupDir = env.BACKUP_DIR ? path.resolve(REPO_ROOT, env.BACKUP_DIR) : defaultBackupDir(target);
  const db = await prepareDatabase({ databaseUrl: env.DATABASE_URL, seedPlan: env.SEED_PLAN, log, backupDir });
  // `duban restore` refuses while this is held (SQLite; PostgreSQL sees the server's connections).
  const inUse = isPostgresUrl(target) ? null : holdServerLock(target);
  const metrics = createMetrics(db);
  const nightly = env.BACKUP_AT === "off" ? null : startNightlyBackup({ target, dir: backupDir, at: env.BACKUP_AT, keepDays: env.BACKUP_KEEP, log });
  if (env.ADMIN_USERNAME && env.ADMIN_PASSWORD) {
    const created = await ensureAdmin(db, env.ADMIN_USERNAME, env.ADMIN_PASSWORD, new Date());
    if (created) log.info({ username: env.ADMIN_USERNAME }, "created the first admin from ADMIN_USERNAME");
  } else if ((await db.user.count()) === 0) {
    log.warn("no console user yet: set ADMIN_USERNAME and ADMIN_PASSWORD, or run `npm run -s duban -- user add --role admin --username <u> --password-stdin`");
  }

  // The bot is created and identified (getMe) first, so the console knows its username; it
  // starts (polling, or registering the webhook) only once the server listens, so Telegram
  // never posts to a port that is not open yet.
  let telegram: ReturnType<typeof createBot> | null = null;
  if (env.TELEGRAM_BOT_TOKEN) {
    const candidate = createBot(env.TELEGRAM_BOT_TOKEN, { db, log, workingHours: env.WORKING_HOURS }, { apiRoot: env.TELEGRAM_API_ROOT, throttle: telegramThrottle(env.TELEGRAM_RATE) });
    try {
      await candidate.init();
      telegram = candidate;
    } catch (error) {
      log.error({ err: error }, "the Telegram bot could not start (check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT); running without it");
    }
  } else {
    log.warn("TELEGRAM_BOT_TOKEN is not set: the Telegram bot is off; reminders are planned and wait in the outbox");
  }
  const webhook = telegram && env.TELEGRAM_WEBHOOK_URL ? { url: env.TELEGRAM_WEBHOOK_URL, secretToken: env.TELEGRAM_WEBHOOK_SECRET! } : null;
  // One messenger over every configured channel; each reminder goes to its contact's channel.
  // 钉钉's and 飞书's modules, with their platforms' SDKs, are loaded only when configured: 飞书's
  // SDK alone keeps ~90 MB resident, 钉钉's Stream client ~15 MB (env.ts: all of a channel's
  // variables or none).
  const wecom = wecomChannel(env, log);
  const dingtalk = env.DINGTALK_CLIENT_ID ? (await import("./channels/dingtalk/dingtalk-channel.ts")).dingtalkChannel(env, log) : channelOff(log, "DINGTALK_* are not set: the 钉钉 channel is off");
  const feishu = env.FEISHU_APP_ID ? (await import("./channels/feishu/feishu-channel.ts")).feishuChannel(env, log) : channelOff(log, "FEISHU_APP_ID/FEISHU_APP_SECRET are not set: the 飞书 channel is off");
  const adapters: Partial<Record<Channel, Messenger>> = {
    ...(telegram ? { telegram: createTelegramMessenger(telegram) } : {}),
    ...(wecom ? { wecom: wecom.messenger } : {}),
    ...(dingtalk ? { dingtalk: dingtalk.messenger } : {}),
    ...(feishu ? { feishu: feishu.messenger } : {}),
  };
  if ((wecom || dingtalk || feishu) && !env.PUBLIC_URL) {
    log.info("PUBLIC_URL is not set: invitations for 企业微信, 钉钉 and 飞书 are the 绑定 line to send the app, without a login link or QR code");
  }
  const messenger: Messenger | null = Object.keys(adapters).length > 0 ? metrics.countSends(routeByChannel(adapters)) : null;
  // The delivery loop paces every send itself (DeliveryPacer, the same rates), so its Telegram
  // Api has no throttler under it: the throttler's limiter per chat cost more CPU and memory than
  // the sends of a 10,000-liaison fan-out. The bot's own replies keep the throttled Api.
  const deliveryMessenger: Messenger | null =
    telegram && env.TELEGRAM_BOT_TOKEN
      ? metrics.countSends(routeByChannel({ ...adapters, telegram: new TelegramMessenger(createTelegramApi(env.TELEGRAM_BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT, throttle: false }), env.TELEGRAM_BOT_TOKEN) }))
      : messenger;

  const scheduler = env.SCHEDULER
    ? startScheduler({ db, messenger: deliveryMessenger, log, channelLimits: { telegram: withAppRate(CHANNEL_LIMITS.telegram, env.TELEGRAM_RATE), dingtalk: withAppRate(CHANNEL_LIMITS.dingtalk, env.DINGTALK_RATE) }, officeChatId: env.TELEGRAM_OFFICE_CHAT_ID ?? null, workingHours: env.WORKING_HOURS, onPass: (pass) => metrics.observePass(pass) })
    : null;
  if (!env.SCHEDULER) log.warn("SCHEDULER=0: this instance opens no rounds and sends no reminders");

  const app = createServerApp({
    db,
    messenger,
    botUsername: telegram?.botInfo.username ?? null,
    telegramWebhook: telegram && webhook ? telegramWebhookHandler(telegram, webhook.secretToken, log) : null,
    wecom: wecom?.inbound ?? null,
    feishu: feishu?.callback ?? null,
    connectedChannels: [...(dingtalk ? (["dingtalk"] as const) : []), ...(feishu ? (["feishu"] as const) : [])],
    channelLogins: [wecom?.login, dingtalk?.login, feishu?.login].filter((login) => login !== undefined),
    secureCookies: env.PUBLIC_URL?.startsWith("https://") ?? false,
    trustProxy: env.TRUST_PROXY,
    publicUrl: env.PUBLIC_URL ?? null,
    workingHours: env.WORKING_HOURS,
    files: telegram && env.TELEGRAM_BOT_TOKEN ? createTelegramFiles(env.TELEGRAM_BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT }) : null,
    log,
    ...(scheduler ? { deliverNow: () => scheduler.deliverNow() } : {}),
    operations: { metrics, metricsToken: env.METRICS_TOKEN ?? null, schedulerEnabled: env.SCHEDULER },
  });
  const { server, url } = await new Promise<{ server: ReturnType<typeof serve>; url: string }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
      const host = info.address === "::" || info.address === "0.0.0.0" ? "localhost" : info.address;
      resolve({ server, url: `http://${host}:${info.port}` });
    });
  });
  // 钉钉 pushes taps and messages over a connection the server opens (Stream mode).
  const dingtalkStream = dingtalk ? dingtalk.listen({ db, log, workingHours: env.WORKING_HOURS }) : null;
  // 飞书's taps and texts come over its long connection, opened from here (no public URL needed), or to /feishu/* (HTTP mode).
  const feishuConnection = feishu?.connect({ db, now: () => new Date(), log, workingHours: env.WORKING_HOURS }) ?? null;
  let bot: RunningBot | null = null;
  if (telegram) {
    try {
      bot = await startBot(telegram, { db, log, webhook });
    } catch (error) {
      log.error({ err: error }, "the Telegram bot could not start receiving updates; reminders are still sent");
    }
  }
  return {
    url,
    bot,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The console's open keep-alive connections would otherwise hold the close.
      if ("closeIdleConnections" in server) server.closeIdleConnections();
      await scheduler?.stop();
      feishuConnection?.stop();
      await nightly?.stop();
      dingtalkStream?.stop();
      // Long polling against an unreachable Telegram may not answer the abort at once.
      await Promise.race([bot?.stop(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      await closed;
      await db.$disconnect();
      inUse?.release();
    },
  };
}

function channelOff(log: Logger, why: string): null {
  log.info(why);
  return null;
}
