/**
 * 飞书 网页应用登录 (OAuth 2.0, open.feishu.cn), for invitation links:
 * - 获取授权码: https://accounts.feishu.cn/open-apis/authen/v1/authorize?client_id=…&redirect_uri=…
 *   &state=… — inside the 飞书 client it redirects without asking (在飞书客户端内打开网页应用时可免确认
 *   直接跳转) to redirect_uri?code=…&state=… (the URL registered under 安全设置 → 重定向 URL); a
 *   refusal comes back as ?error=access_denied. A code works once and lives 5 minutes.
 * - 获取 user_access_token: POST open.feishu.cn/open-apis/authen/v2/oauth/token {grant_type:
 *   "authorization_code", client_id, client_secret, code, redirect_uri} → {code: 0, access_token,
 *   expires_in, token_type}; otherwise {code, error, error_description} (20003/20004 the code is
 *   invalid, used or expired; 20010 the user may not use the app: outside its 可用范围).
 * - 获取用户信息: GET open.feishu.cn/open-apis/authen/v1/user_info (Bearer user_access_token) →
 *   {code: 0, data: {open_id, union_id, name, …}}. The open_id is the one the bot's events carry.
 * Plain fetch: no app token is needed (the app's credentials go in the token request's body).
 */
import { callPlatformJson, type JsonObject } from "../platform-http.ts";
import type { ChannelLogin, LoginAccount } from "../channel-login.ts";
import type { FeishuMessenger } from "./messenger.ts";

export interface FeishuLoginConfig {
  appId: string;
  appSecret: string;
  /** https://open.feishu.cn */
  apiRoot: string;
  /** https://accounts.feishu.cn (Lark: https://accounts.larksuite.com) */
  accountsRoot: string;
}

/** Codes that mean "this code is no good" (used, expired, unknown) rather than a fault of the app. */
const BAD_CODE = new Set([20003, 20004, 20007, 20024, 20029]);
/** The user may not use the app (not within its 可用范围). */
const OUTSIDER = new Set([20010]);

export function feishuAuthorizeUrl(config: Pick<FeishuLoginConfig, "appId" | "accountsRoot">, redirectUri: string, state: string): string {
  const url = new URL("/open-apis/authen/v1/authorize", config.accountsRoot);
  url.searchParams.set("client_id", config.appId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("state", state);
  return url.toString();
}

type Json = JsonObject;

const call = (url: URL, init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: unknown }) => callPlatformJson("飞书", url, init);

/** The member's open_id (for this app) from the code 飞书 redirected with. */
export async function feishuUserFromCode(config: FeishuLoginConfig, code: string, redirectUri: string): Promise<LoginAccount> {
  const token = await call(new URL("/open-apis/authen/v2/oauth/token", config.apiRoot), {
    method: "POST",
    body: { grant_type: "authorization_code", client_id: config.appId, client_secret: config.appSecret, code, redirect_uri: redirectUri },
  });
  if ("failed" in token) return { ok: false, problem: "unavailable", detail: token.failed };
  const tokenCode = typeof token.body.code === "number" ? token.body.code : -1;
  const userToken = token.body.access_token;
  if (tokenCode !== 0 || typeof userToken !== "string") {
    const detail = `oauth/token: HTTP ${token.status} ${tokenCode} ${String(token.body.error ?? "")}`.trim();
    return { ok: false, problem: BAD_CODE.has(tokenCode) ? "code" : OUTSIDER.has(tokenCode) ? "outsider" : "unavailable", detail };
  }
  const info = await call(new URL("/open-apis/authen/v1/user_info", config.apiRoot), { method: "GET", headers: { authorization: `Bearer ${userToken}` } });
  if ("failed" in info) return { ok: false, problem: "unavailable", detail: info.failed };
  const openId = (info.body.data as Json | undefined)?.open_id;
  if (info.body.code !== 0 || typeof openId !== "string" || openId === "") {
    return { ok: false, problem: "unavailable", detail: `user_info: HTTP ${info.status} ${String(info.body.code ?? "")}`.trim() };
  }
  return { ok: true, externalId: openId };
}

export function feishuLogin(config: FeishuLoginConfig, messenger: FeishuMessenger): ChannelLogin {
  return {
    channel: "feishu",
    authorizeUrl: (redirectUri, state) => feishuAuthorizeUrl(config, redirectUri, state),
    account: (code, redirectUri) => feishuUserFromCode(config, code, redirectUri),
    sendText: (openId, text) => messenger.sendText(openId, text),
  };
}
