/**
 * 企业微信 网页授权登录, for invitation links (developer.work.weixin.qq.com):
 * - 构造网页授权链接 (91022): https://open.weixin.qq.com/connect/oauth2/authorize?appid=CORPID
 *   &redirect_uri=…&response_type=code&scope=snsapi_base&state=…&agentid=AGENTID#wechat_redirect;
 *   opened in the 企业微信 client it redirects at once (snsapi_base: no confirmation) to
 *   redirect_uri?code=CODE&state=STATE. The redirect's domain must be the app's 可信域名.
 * - 获取访问用户身份 (91023): GET /cgi-bin/auth/getuserinfo?access_token&code → {errcode: 0,
 *   userid} for a member of the corp (in the app's range or not); {errcode: 0, openid} for anyone
 *   else; 40029 invalid code (a code works once and lives 5 minutes); 50001 redirect_uri not
 *   trusted. 42001/40014: the access_token is refreshed and the call retried once.
 */
import { PLATFORM_TIMEOUT_MS, requestFailure } from "../platform-http.ts";
import type { ChannelLogin, LoginAccount } from "../channel-login.ts";
import type { WecomApi } from "./api.ts";
import type { WecomMessenger } from "./messenger.ts";

const TOKEN_EXPIRED = new Set([42001, 40014]);

export function wecomAuthorizeUrl(config: { corpId: string; agentId: number; oauthRoot: string }, redirectUri: string, state: string): string {
  const url = new URL("/connect/oauth2/authorize", config.oauthRoot);
  url.searchParams.set("appid", config.corpId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", "snsapi_base");
  url.searchParams.set("state", state);
  url.searchParams.set("agentid", String(config.agentId));
  url.hash = "wechat_redirect";
  return url.toString();
}

/** The member's userid from the code 企业微信 redirected with. */
export async function wecomUserFromCode(api: WecomApi, code: string): Promise<LoginAccount> {
  for (let tries = 0; ; tries++) {
    let token: string;
    try {
      token = await api.accessToken();
    } catch (error) {
      return { ok: false, problem: "unavailable", detail: error instanceof Error ? error.message : "gettoken failed" };
    }
    const url = new URL("/cgi-bin/auth/getuserinfo", api.config.apiRoot);
    url.searchParams.set("access_token", token);
    url.searchParams.set("code", code);
    let answer: { errcode?: unknown; errmsg?: unknown; userid?: unknown; openid?: unknown } | null;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS) });
      answer = response.ok ? ((await response.json().catch(() => null)) as typeof answer) : null;
      if (!answer) return { ok: false, problem: "unavailable", detail: `getuserinfo: HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, problem: "unavailable", detail: `getuserinfo: ${requestFailure(error).reason}` };
    }
    const errcode = typeof answer.errcode === "number" ? answer.errcode : -1;
    if (TOKEN_EXPIRED.has(errcode) && tries === 0) {
      api.forgetToken(token);
      continue;
    }
    if (errcode === 0 && typeof answer.userid === "string" && answer.userid !== "") return { ok: true, externalId: answer.userid };
    if (errcode === 0) return { ok: false, problem: "outsider", detail: "getuserinfo: not a member of the corp (openid)" };
    const detail = `getuserinfo: ${errcode} ${String(answer.errmsg ?? "")}`.trim();
    return { ok: false, problem: errcode === 40029 ? "code" : "unavailable", detail };
  }
}

export function wecomLogin(config: { corpId: string; agentId: number; oauthRoot: string }, api: WecomApi, messenger: WecomMessenger): ChannelLogin {
  return {
    channel: "wecom",
    authorizeUrl: (redirectUri, state) => wecomAuthorizeUrl(config, redirectUri, state),
    account: (code) => wecomUserFromCode(api, code),
    sendText: (userId, text) => messenger.sendText(userId, text),
  };
}
