import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../env.ts";

const WECOM = {
  WECOM_CORP_ID: "ww1234567890abcdef",
  WECOM_AGENT_ID: "1000002",
  WECOM_SECRET: "app-secret",
  WECOM_TOKEN: "CallbackToken",
  WECOM_AES_KEY: "a".repeat(43),
};

describe("企业微信 env", () => {
  it("is off without WECOM_*, on with all five", () => {
    expect(parseEnv({}).WECOM_CORP_ID).toBeUndefined();
    const env = parseEnv(WECOM);
    expect(env).toMatchObject({ WECOM_CORP_ID: "ww1234567890abcdef", WECOM_AGENT_ID: 1000002, WECOM_API_ROOT: "https://qyapi.weixin.qq.com" });
  });

  it("refuses a partial configuration, naming what is missing", () => {
    const { WECOM_TOKEN: _token, ...partial } = WECOM;
    expect(() => parseEnv(partial)).toThrow(EnvError);
    expect(() => parseEnv(partial)).toThrow(/missing: WECOM_TOKEN/);
  });

  it("refuses an EncodingAESKey that is not 43 Base64 characters, or an agent id that is not a number", () => {
    expect(() => parseEnv({ ...WECOM, WECOM_AES_KEY: "short" })).toThrow(/WECOM_AES_KEY/);
    expect(() => parseEnv({ ...WECOM, WECOM_AGENT_ID: "app" })).toThrow(/WECOM_AGENT_ID/);
  });
});
