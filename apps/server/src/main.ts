import { serve } from "@hono/node-server";
import pino from "pino";
import { ensureAdmin } from "@duban/core/auth/ensure-admin";
import { createServerApp } from "./app.ts";
import { prepareDatabase } from "./boot.ts";
import { startScheduler } from "./scheduler.ts";
import { EnvError, parseEnv } from "./env.ts";

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const log = pino({ level: env.LOG_LEVEL });
  const db = await prepareDatabase({ databaseUrl: env.DATABASE_URL, seedPlan: env.SEED_PLAN, log });
  if (env.ADMIN_USERNAME && env.ADMIN_PASSWORD) {
    const created = await ensureAdmin(db, env.ADMIN_USERNAME, env.ADMIN_PASSWORD, new Date());
    if (created) log.info({ username: env.ADMIN_USERNAME }, "created the first admin from ADMIN_USERNAME");
  } else if ((await db.user.count()) === 0) {
    log.warn("no console user yet: set ADMIN_USERNAME and ADMIN_PASSWORD, or run `npm run -s duban -- user add --role admin --username <u> --password-stdin`");
  }

  const scheduler = env.SCHEDULER ? startScheduler({ db, messenger: null, log, officeChatId: env.TELEGRAM_OFFICE_CHAT_ID ?? null }) : null;
  if (!env.SCHEDULER) log.warn("SCHEDULER=0: no rounds are opened and no reminders are sent by this instance");

  const app = createServerApp({ db, secureCookies: env.PUBLIC_URL?.startsWith("https://") ?? false, trustProxy: env.TRUST_PROXY });
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const url = `http://${info.address === "::" || info.address === "0.0.0.0" ? "localhost" : info.address}:${info.port}`;
    log.info(`Duban is running at ${url}`);
    process.stdout.write(`\n  Duban 督办: ${url}\n\n`);
  });

  const stop = async (signal: string) => {
    log.info({ signal }, "stopping");
    server.close();
    await scheduler?.stop();
    await db.$disconnect();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof EnvError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
