import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../env.ts";

const DINGTALK = {
  DINGTALK_CLIENT_ID: "dingabcdef1234567890",
  DINGTALK_CLIENT_SECRET: "client-secret",
  DINGTALK_ROBOT_CODE: "dingabcdef1234567890",
};

describe("钉钉 env", () => {
  it("is off without DINGTALK_*, on with all three", () => {
    expect(parseEnv({}).DINGTALK_CLIENT_ID).toBeUndefined();
    expect(parseEnv(DINGTALK)).toMatchObject({ DINGTALK_CLIENT_ID: "dingabcdef1234567890", DINGTALK_ROBOT_CODE: "dingabcdef1234567890", DINGTALK_API_ROOT: "https://api.dingtalk.com" });
  });

  it("refuses a partial configuration, naming what is missing", () => {
    const { DINGTALK_ROBOT_CODE: _robot, ...partial } = DINGTALK;
    expect(() => parseEnv(partial)).toThrow(EnvError);
    expect(() => parseEnv(partial)).toThrow(/missing: DINGTALK_ROBOT_CODE/);
  });

  it("refuses a Client ID or RobotCode with spaces, and an API root that is not a URL", () => {
    expect(() => parseEnv({ ...DINGTALK, DINGTALK_CLIENT_ID: "ding abc" })).toThrow(/DINGTALK_CLIENT_ID/);
    expect(() => parseEnv({ ...DINGTALK, DINGTALK_ROBOT_CODE: "机器人" })).toThrow(/DINGTALK_ROBOT_CODE/);
    expect(() => parseEnv({ ...DINGTALK, DINGTALK_API_ROOT: "api.dingtalk.com" })).toThrow(/DINGTALK_API_ROOT/);
  });
});
