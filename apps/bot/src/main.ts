/**
 * Runs the bot alone with long polling (`npm run start -w @duban/bot`), for trying it out or
 * running it apart from the server. Reminders are sent by the server's scheduler; this process
 * only answers liaisons.
 */
import { createDb, migrationTarget, resolveDatabaseUrl } from "@duban/db/client";
import { applyMigrations, REPO_ROOT } from "@duban/db/migrate/migrations";
import { createBot } from "./create-bot.ts";
import { createLogger } from "./safe-log.ts";
import { BotEnvError, parseBotEnv } from "./env.ts";
import { startBot } from "./start-bot.ts";

async function main(): Promise<void> {
  const env = parseBotEnv(process.env);
  const log = createLogger({ level: env.LOG_LEVEL, secrets: [env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_WEBHOOK_SECRET] });
  const url = resolveDatabaseUrl(env.DATABASE_URL, REPO_ROOT);
  await applyMigrations(migrationTarget(url));
  const db = createDb(url);
  const bot = createBot(env.TELEGRAM_BOT_TOKEN, { db, log, workingHours: env.WORKING_HOURS }, { apiRoot: env.TELEGRAM_API_ROOT });
  const running = await startBot(bot, { db, log });
  process.stdout.write(`\n  Duban bot @${running.username} is running (long polling). Ctrl+C to stop.\n\n`);
  const stop = async (signal: string) => {
    log.info({ signal }, "stopping");
    await running.stop();
    await db.$disconnect();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof BotEnvError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
