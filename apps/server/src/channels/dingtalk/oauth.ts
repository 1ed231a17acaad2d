/**
 * 钉钉 登录 (OAuth 2.0, open.dingtalk.com «获取登录用户的访问凭证»), for invitation links:
 * - https://login.dingtalk.com/oauth2/auth?redirect_uri=…&response_type=code&client_id=…
 *   &scope=openid&state=…&prompt=consent: in the 钉钉 client (or a browser, by scanning) the member
 *   agrees once; 钉钉 redirects to redirect_uri?authCode=…&state=… (the domain registered under
 *   登录与分享 → 回调域名). An authCode works once and lives 5 minutes.
 * - POST api.dingtalk.com/v1.0/oauth2/userAccessToken {clientId, clientSecret, code, grantType:
 *   "authorization_code"} → {accessToken, expireIn, refreshToken}; 400 {code, message} otherwise.
 * - GET api.dingtalk.com/v1.0/contact/users/me with that user token (x-acs-dingtalk-access-token)
 *   → {nick, unionId, openId, …}.
 * - POST oapi.dingtalk.com/topapi/user/getbyunionid?access_token=<app token> {unionid} →
 *   {errcode: 0, result: {userid, contact_type}}; 60121 找不到该用户 for someone outside the
 *   organisation. The userid is what the robot's messages carry (senderStaffId).
 * Why OAuth rather than H5 微应用 免登 (dd.getAuthCode → /topapi/v2/user/getuserinfo): 免登 needs a
 * page running 钉钉's JSAPI from its CDN inside a configured 微应用; the OAuth login is plain HTTP,
 * works from a scanned QR code too, and needs no page script.
 */
import { callPlatformJson, type JsonObject } from "../platform-http.ts";
import type { ChannelLogin, LoginAccount } from "../channel-login.ts";
import type { DingtalkApi } from "./api.ts";
import type { DingtalkMessenger } from "./messenger.ts";

export interface DingtalkLoginConfig {
  clientId: string;
  clientSecret: string;
  /** https://api.dingtalk.com */
  apiRoot: string;
  /** https://login.dingtalk.com */
  loginRoot: string;
  /** https://oapi.dingtalk.com (the older server API, for getbyunionid) */
  oapiRoot: string;
}

export function dingtalkAuthorizeUrl(config: Pick<DingtalkLoginConfig, "clientId" | "loginRoot">, redirectUri: string, state: string): string {
  const url = new URL("/oauth2/auth", config.loginRoot);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("scope", "openid");
  url.searchParams.set("state", state);
  url.searchParams.set("prompt", "consent");
  return url.toString();
}

type Json = JsonObject;

const call = (url: URL, init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: unknown }) => callPlatformJson("钉钉", url, init);

/** The member's userId (the organisation's, as the robot sees them) from the authCode 钉钉 redirected with. */
export async function dingtalkUserFromCode(config: DingtalkLoginConfig, api: DingtalkApi, code: string): Promise<LoginAccount> {
  const token = await call(new URL("/v1.0/oauth2/userAccessToken", config.apiRoot), {
    method: "POST",
    body: { clientId: config.clientId, clientSecret: config.clientSecret, code, grantType: "authorization_code" },
  });
  if ("failed" in token) return { ok: false, problem: "unavailable", detail: token.failed };
  const userToken = token.body.accessToken;
  if (token.status !== 200 || typeof userToken !== "string") {
    const detail = `userAccessToken: HTTP ${token.status} ${String(token.body.code ?? "")}`.trim();
    // A wrong client secret is the app's problem, not the member's code.
    return { ok: false, problem: token.status === 400 && !/client/i.test(String(token.body.code ?? "")) ? "code" : "unavailable", detail };
  }
  const me = await call(new URL("/v1.0/contact/users/me", config.apiRoot), { method: "GET", headers: { "x-acs-dingtalk-access-token": userToken } });
  if ("failed" in me) return { ok: false, problem: "unavailable", detail: me.failed };
  const unionId = me.body.unionId;
  if (me.status !== 200 || typeof unionId !== "string" || unionId === "") return { ok: false, problem: "unavailable", detail: `contact/users/me: HTTP ${me.status} ${String(me.body.code ?? "")}`.trim() };

  for (let tries = 0; ; tries++) {
    let appToken: string;
    try {
      appToken = await api.accessToken();
    } catch (error) {
      return { ok: false, problem: "unavailable", detail: error instanceof Error ? error.message : "accessToken failed" };
    }
    const url = new URL("/topapi/user/getbyunionid", config.oapiRoot);
    url.searchParams.set("access_token", appToken);
    const user = await call(url, { method: "POST", body: { unionid: unionId } });
    if ("failed" in user) return { ok: false, problem: "unavailable", detail: user.failed };
    const errcode = typeof user.body.errcode === "number" ? user.body.errcode : -1;
    // 40014 不合法的access_token / 42001 过期: a fresh one, once.
    if ((errcode === 40014 || errcode === 42001) && tries === 0) {
      api.forgetToken(appToken);
      continue;
    }
    const userId = (user.body.result as Json | undefined)?.userid;
    if (errcode === 0 && typeof userId === "string" && userId !== "") return { ok: true, externalId: userId };
    const detail = `getbyunionid: ${errcode} ${String(user.body.errmsg ?? "")}`.trim();
    return { ok: false, problem: errcode === 60121 ? "outsider" : "unavailable", detail };
  }
}

export function dingtalkLogin(config: DingtalkLoginConfig, api: DingtalkApi, messenger: DingtalkMessenger): ChannelLogin {
  return {
    channel: "dingtalk",
    authorizeUrl: (redirectUri, state) => dingtalkAuthorizeUrl(config, redirectUri, state),
    account: (code) => dingtalkUserFromCode(config, api, code),
    sendText: (userId, text) => messenger.sendText(userId, text),
  };
}
