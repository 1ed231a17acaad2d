import { describe, expect, it } from "vitest";
import { BotEnvError, parseBotEnv } from "./env.ts";

describe("parseBotEnv", () => {
  it("names the bad variable", () => {
    expect(() => parseBotEnv({})).toThrow(/TELEGRAM_BOT_TOKEN/);
    expect(() => parseBotEnv({ TELEGRAM_BOT_TOKEN: "nope" })).toThrow(/TELEGRAM_BOT_TOKEN: expected a token from @BotFather/);
    expect(() => parseBotEnv({ TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", TELEGRAM_API_ROOT: "not a url" })).toThrow(/TELEGRAM_API_ROOT/);
    expect(() => parseBotEnv({ TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", WORKING_HOURS: "18:00-09:00" })).toThrow(/WORKING_HOURS/);
    expect(() => parseBotEnv({ TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", DATABASE_URL: "mysql://x/duban" })).toThrow(/DATABASE_URL/);
  });

  it("takes a PostgreSQL DATABASE_URL, as the server does", () => {
    const url = "postgresql://duban:duban@127.0.0.1:5432/duban";
    expect(parseBotEnv({ TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  it("defaults, and refuses webhook mode outside the server", () => {
    expect(parseBotEnv({ TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" })).toMatchObject({
      TELEGRAM_API_ROOT: "https://api.telegram.org",
      DATABASE_URL: "file:./data/duban.db",
      WORKING_HOURS: { start: "09:00", end: "17:30" },
    });
    expect(() => parseBotEnv({ TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", TELEGRAM_WEBHOOK_URL: "https://x.example/telegram/webhook" })).toThrow(BotEnvError);
  });
});
