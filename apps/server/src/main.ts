import { createLogger } from "@duban/bot/safe-log";
import { EnvError, parseEnv } from "./env.ts";
import { startDuban } from "./start.ts";

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const log = createLogger({ level: env.LOG_LEVEL, secrets: [env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_WEBHOOK_SECRET, env.ADMIN_PASSWORD, env.FEISHU_APP_SECRET, env.FEISHU_ENCRYPT_KEY, env.FEISHU_VERIFICATION_TOKEN] });
  const running = await startDuban(env, log);
  log.info({ url: running.url, bot: running.bot?.username ?? null }, "Duban is running");
  process.stdout.write(`\n  Duban 督办: ${running.url}${running.bot ? `   Telegram: @${running.bot.username}` : ""}\n\n`);

  const stop = async (signal: string) => {
    log.info({ signal }, "stopping");
    await running.stop();
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
