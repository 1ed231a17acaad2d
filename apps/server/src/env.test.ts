import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.ts";

describe("server env", () => {
  it("fills defaults", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe("file:./data/duban.db");
    expect(env.SCHEDULER).toBe(true);
    expect(env.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(env.WORKING_HOURS).toEqual({ start: "09:00", end: "17:30" });
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(parseEnv({ DATABASE_URL: "postgresql://duban@db:5432/duban" }).DATABASE_URL).toBe("postgresql://duban@db:5432/duban");
    expect(() => parseEnv({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ ADMIN_USERNAME: "admin", ADMIN_PASSWORD: "short" })).toThrow(/ADMIN_PASSWORD/);
  });

  it("requires pairs to be set together", () => {
    expect(() => parseEnv({ ADMIN_USERNAME: "admin" })).toThrow(EnvError);
    expect(() => parseEnv({ TELEGRAM_WEBHOOK_URL: "https://example.org/telegram/webhook" })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it("reads WORKING_HOURS as HH:MM-HH:MM and refuses anything else, naming it", () => {
    expect(parseEnv({ WORKING_HOURS: "08:00-12:00" }).WORKING_HOURS).toEqual({ start: "08:00", end: "12:00" });
    expect(parseEnv({ WORKING_HOURS: "" }).WORKING_HOURS).toEqual({ start: "09:00", end: "17:30" });
    expect(() => parseEnv({ WORKING_HOURS: "18:00-09:00" })).toThrow(/WORKING_HOURS.*must start before they end/);
    expect(() => parseEnv({ WORKING_HOURS: "9-17" })).toThrow(/WORKING_HOURS.*expected HH:MM-HH:MM/);
    expect(() => parseEnv({ WORKING_HOURS: "09:00-24:00" })).toThrow(/WORKING_HOURS/);
  });

  it("reads PUBLIC_URL as the server's origin, for cookies and invitation links, and refuses anything else", () => {
    expect(parseEnv({ PUBLIC_URL: "https://duban.example.org/" }).PUBLIC_URL).toBe("https://duban.example.org");
    expect(parseEnv({ PUBLIC_URL: "http://10.0.0.5:3000" }).PUBLIC_URL).toBe("http://10.0.0.5:3000");
    expect(parseEnv({ PUBLIC_URL: "" }).PUBLIC_URL).toBeUndefined();
    expect(() => parseEnv({ PUBLIC_URL: "duban.example.org" })).toThrow(/PUBLIC_URL/);
    expect(() => parseEnv({ PUBLIC_URL: "ftp://duban.example.org" })).toThrow(/PUBLIC_URL.*http\(s\) address/);
    expect(() => parseEnv({ PUBLIC_URL: "https://duban.example.org/console?x=1" })).toThrow(/PUBLIC_URL/);
  });

  it("reads SCHEDULER=0 as off", () => {
    expect(parseEnv({ SCHEDULER: "0" }).SCHEDULER).toBe(false);
  });

  it("reads the backup and metrics settings, naming a bad one", () => {
    const defaults = parseEnv({});
    expect(defaults).toMatchObject({ BACKUP_AT: "03:00", BACKUP_KEEP: 14 });
    expect([defaults.BACKUP_DIR, defaults.METRICS_TOKEN]).toEqual([undefined, undefined]);
    expect(parseEnv({ BACKUP_AT: "off", BACKUP_KEEP: "30", BACKUP_DIR: "/var/lib/duban/backups" })).toMatchObject({ BACKUP_AT: "off", BACKUP_KEEP: 30, BACKUP_DIR: "/var/lib/duban/backups" });
    expect(() => parseEnv({ BACKUP_AT: "25:00" })).toThrow(/BACKUP_AT/);
    expect(() => parseEnv({ BACKUP_KEEP: "0" })).toThrow(/BACKUP_KEEP/);
    expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });
});
