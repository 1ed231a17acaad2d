import { z } from "zod";
import { databaseUrlSchema } from "@duban/db/database-url";
import { workingHoursSettingSchema } from "@duban/domain/working-hours";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** What the bot reads when it runs alone (src/main.ts); the server has its own env module. */
export const botEnvSchema = z.object({
  TELEGRAM_BOT_TOKEN: z.string().trim().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "expected a token from @BotFather, like 123456789:AA…"),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  TELEGRAM_WEBHOOK_URL: z.url().optional().or(z.literal("").transform(() => undefined)),
  TELEGRAM_WEBHOOK_SECRET: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), "1-256 characters of A-Z a-z 0-9 _ -"),
  DATABASE_URL: databaseUrlSchema,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** "HH:MM-HH:MM", Shanghai time: where 稍后提醒 lands. Keep it equal to the server's. */
  WORKING_HOURS: workingHoursSettingSchema,
});

export type BotEnv = z.infer<typeof botEnvSchema>;

export class BotEnvError extends Error {}

/** Fails fast, naming each bad variable. */
export function parseBotEnv(source: Record<string, string | undefined>): BotEnv {
  const result = botEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new BotEnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  if (result.data.TELEGRAM_WEBHOOK_URL) {
    throw new BotEnvError("TELEGRAM_WEBHOOK_URL is set: webhook mode runs inside the server (npm start), which serves /telegram/webhook. Unset it to run the bot alone with long polling.");
  }
  return result.data;
}
