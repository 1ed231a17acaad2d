import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.ts";

describe("server env", () => {
  it("fills defaults", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe("file:./data/duban.db");
    expect(env.SCHEDULER).toBe(true);
    expect(env.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "postgres://x" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ ADMIN_USERNAME: "admin", ADMIN_PASSWORD: "short" })).toThrow(/ADMIN_PASSWORD/);
  });

  it("requires pairs to be set together", () => {
    expect(() => parseEnv({ ADMIN_USERNAME: "admin" })).toThrow(EnvError);
    expect(() => parseEnv({ TELEGRAM_WEBHOOK_URL: "https://example.org/telegram/webhook" })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it("reads SCHEDULER=0 as off", () => {
    expect(parseEnv({ SCHEDULER: "0" }).SCHEDULER).toBe(false);
  });
});
