import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { EnvError, parseEnv } from "../../env.ts";
import { feishuChannel } from "./feishu-channel.ts";

const FEISHU = { FEISHU_APP_ID: "cli_9f8e7d6c5b4a3921", FEISHU_APP_SECRET: "app-secret" };
const HTTP = { ...FEISHU, FEISHU_EVENT_MODE: "http", FEISHU_ENCRYPT_KEY: "EncryptKey0123456789", FEISHU_VERIFICATION_TOKEN: "VerificationToken0123" };

describe("飞书 env: the event mode", () => {
  it("is the long connection by default; http with both keys of 加密策略", () => {
    expect(parseEnv(FEISHU).FEISHU_EVENT_MODE).toBe("ws");
    expect(parseEnv(FEISHU).FEISHU_ENCRYPT_KEY).toBeUndefined();
    expect(parseEnv({ ...FEISHU, FEISHU_EVENT_MODE: "" }).FEISHU_EVENT_MODE).toBe("ws");
    expect(parseEnv(HTTP)).toMatchObject({ FEISHU_EVENT_MODE: "http", FEISHU_ENCRYPT_KEY: "EncryptKey0123456789", FEISHU_VERIFICATION_TOKEN: "VerificationToken0123" });
  });

  it("refuses http mode without the Encrypt Key or the Verification Token, or without the app, naming what is missing", () => {
    const { FEISHU_ENCRYPT_KEY: _key, ...noKey } = HTTP;
    expect(() => parseEnv(noKey)).toThrow(EnvError);
    expect(() => parseEnv(noKey)).toThrow(/FEISHU_EVENT_MODE=http needs .*missing: FEISHU_ENCRYPT_KEY$/);
    const { FEISHU_VERIFICATION_TOKEN: _token, ...noToken } = HTTP;
    expect(() => parseEnv(noToken)).toThrow(/missing: FEISHU_VERIFICATION_TOKEN$/);
    const { FEISHU_APP_ID: _id, FEISHU_APP_SECRET: _secret, ...noApp } = HTTP;
    expect(() => parseEnv(noApp)).toThrow(/needs the 飞书 app/);
  });

  it("refuses an unknown mode, and the keys without http mode (they would do nothing)", () => {
    expect(() => parseEnv({ ...HTTP, FEISHU_EVENT_MODE: "webhook" })).toThrow(/FEISHU_EVENT_MODE/);
    expect(() => parseEnv({ ...FEISHU, FEISHU_ENCRYPT_KEY: "EncryptKey0123456789" })).toThrow(/FEISHU_ENCRYPT_KEY are for FEISHU_EVENT_MODE=http/);
    expect(() => parseEnv({ ...HTTP, FEISHU_ENCRYPT_KEY: "has space" })).toThrow(/FEISHU_ENCRYPT_KEY/);
  });
});

describe("飞书 channel by mode", () => {
  const log = pino({ level: "silent" });
  it("in http mode hands the server the keys for its request URLs; with the long connection it has none", () => {
    const http = feishuChannel(parseEnv(HTTP), log)!;
    expect(http.callback).toMatchObject({ appId: HTTP.FEISHU_APP_ID, config: { encryptKey: HTTP.FEISHU_ENCRYPT_KEY, verificationToken: HTTP.FEISHU_VERIFICATION_TOKEN } });
    expect(feishuChannel(parseEnv(FEISHU), log)!.callback).toBeNull();
  });
});
