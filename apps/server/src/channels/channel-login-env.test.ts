import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../env.ts";
import { dingtalkChannel } from "./dingtalk/dingtalk-channel.ts";
import { feishuChannel } from "./feishu/feishu-channel.ts";
import { wecomChannel } from "./wecom/wecom-channel.ts";

const log = pino({ level: "silent" });
const ENV = {
  WECOM_CORP_ID: "ww1234567890abcdef",
  WECOM_AGENT_ID: "1000002",
  WECOM_SECRET: "app-secret",
  WECOM_TOKEN: "CallbackToken",
  WECOM_AES_KEY: "a".repeat(43),
  DINGTALK_CLIENT_ID: "dingclient01",
  DINGTALK_CLIENT_SECRET: "ding-secret",
  DINGTALK_ROBOT_CODE: "dingclient01",
  FEISHU_APP_ID: "cli_0123456789abcdef",
  FEISHU_APP_SECRET: "feishu-secret",
};
const origin = (link: string) => `${new URL(link).origin}${new URL(link).pathname}`;

describe("each channel's web login, from the env", () => {
  it("links to the platforms' own login pages by default, carrying the app's id and never its secret", () => {
    const env = parseEnv(ENV);
    const links = [wecomChannel(env, log)!, dingtalkChannel(env, log)!, feishuChannel(env, log)!].map((c) => c.login.authorizeUrl("https://duban.example.org/join/x", "state0"));
    expect(links.map(origin)).toEqual(["https://open.weixin.qq.com/connect/oauth2/authorize", "https://login.dingtalk.com/oauth2/auth", "https://accounts.feishu.cn/open-apis/authen/v1/authorize"]);
    expect(links[0]).toContain("appid=ww1234567890abcdef");
    expect(links[1]).toContain("client_id=dingclient01");
    expect(links[2]).toContain("client_id=cli_0123456789abcdef");
    for (const link of links) for (const secret of ["app-secret", "ding-secret", "feishu-secret"]) expect(link).not.toContain(secret);
  });

  it("follows the *_ROOT variables (a private deployment, or the tests' emulators)", () => {
    const env = parseEnv({ ...ENV, WECOM_OAUTH_ROOT: "http://127.0.0.1:7001", DINGTALK_LOGIN_ROOT: "http://127.0.0.1:7002", FEISHU_ACCOUNTS_ROOT: "https://accounts.larksuite.com" });
    expect(origin(wecomChannel(env, log)!.login.authorizeUrl("https://d.example/join/wecom", "s"))).toBe("http://127.0.0.1:7001/connect/oauth2/authorize");
    expect(origin(dingtalkChannel(env, log)!.login.authorizeUrl("https://d.example/join/dingtalk", "s"))).toBe("http://127.0.0.1:7002/oauth2/auth");
    expect(origin(feishuChannel(env, log)!.login.authorizeUrl("https://d.example/join/feishu", "s"))).toBe("https://accounts.larksuite.com/open-apis/authen/v1/authorize");
    expect(() => parseEnv({ DINGTALK_OAPI_ROOT: "not a url" })).toThrow(/DINGTALK_OAPI_ROOT/);
  });
});
