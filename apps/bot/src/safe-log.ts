import pino, { type DestinationStream, type Logger } from "pino";

/** A bot token anywhere in a URL or message ("/bot123:AA…/sendMessage"); Telegram's token shape. */
const TOKEN_IN_PATH = /bot\d{3,}:[A-Za-z0-9_-]{20,}/g;

/** Replaces every bot token (by shape) and every given secret (by value) in a text. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(TOKEN_IN_PATH, "bot<redacted>");
  for (const secret of secrets) {
    // Secrets shorter than 8 characters would match ordinary words; the env schemas refuse them anyway.
    if (secret.length >= 8) out = out.split(secret).join("<redacted>");
  }
  return out;
}

/** Field paths that never reach a log line, whatever object is logged. */
export const REDACT_PATHS = [
  "password",
  "*.password",
  "token",
  "*.token",
  "secretToken",
  "*.secretToken",
  "headers.cookie",
  "*.headers.cookie",
  'headers["x-telegram-bot-api-secret-token"]',
  '*.headers["x-telegram-bot-api-secret-token"]',
  "headers.authorization",
  "*.headers.authorization",
];

/**
 * The one logger of a process: pino with `redact` for the known secret fields, and every written
 * line scrubbed of bot tokens (grammY puts the token in its request URL, which error messages and
 * stacks repeat) and of the given secret values (token, webhook secret).
 */
export function createLogger(options: { level?: string; secrets?: Array<string | null | undefined>; destination?: DestinationStream } = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === "string" && s.length > 0);
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: "<redacted>" },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    options.destination,
  );
}
