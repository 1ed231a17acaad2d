import { fileNameOf, readCapped, type FetchedFile } from "../channel-file.ts";
import { AccessTokenCache, PLATFORM_TIMEOUT_MS, requestFailure } from "../platform-http.ts";
/**
 * The few 企业微信 server API calls Duban makes, over plain HTTP (there is no official Node SDK
 * for the self-built app API). Followed from the developer docs (developer.work.weixin.qq.com):
 * - 获取access_token (document/path/91039): GET /cgi-bin/gettoken?corpid&corpsecret →
 *   { access_token, expires_in: 7200 }; cache it until it expires, not one per call.
 * - 发送应用消息 (90236): POST /cgi-bin/message/send?access_token → { msgid, response_code, invaliduser }.
 * - 更新模版卡片消息 (94888): POST /cgi-bin/message/update_template_card, once per response_code, 72 h.
 * - 获取临时素材 (90254): GET /cgi-bin/media/get?access_token&media_id → the file's bytes with
 *   Content-Type and Content-disposition (filename), or a JSON error (40007 不合法的媒体文件id).
 * - 全局错误码 (90313): 42001 access_token 已过期 / 40014 不合法的access_token → fetch a new one and
 *   retry once; 45009 接口调用超过限制 → later; -1 系统繁忙 → later.
 */

export interface WecomConfig {
  corpId: string;
  agentId: number;
  secret: string;
  /** https://qyapi.weixin.qq.com (tests: the local emulator). */
  apiRoot: string;
}

export interface WecomAnswer {
  errcode: number;
  errmsg: string;
  [field: string]: unknown;
}

/** A call that did not get an answer from 企业微信 (connection refused, timeout, not JSON). */
export class WecomTransportError extends Error {
  constructor(
    message: string,
    /** The request may have reached 企业微信 (timeout, connection lost after sending). */
    readonly maybeDelivered: boolean,
  ) {
    super(message);
  }
}

const TOKEN_EXPIRED = new Set([42001, 40014]);

export class WecomApi {
  private readonly token: AccessTokenCache;

  constructor(
    readonly config: WecomConfig,
    clock: () => number = Date.now,
  ) {
    this.token = new AccessTokenCache(() => this.fetchToken(), clock);
  }

  /** The cached access_token, fetched when missing or about to expire (one fetch for concurrent callers). */
  accessToken(): Promise<string> {
    return this.token.get();
  }

  private async fetchToken(): Promise<{ value: string; expiresInSeconds: number }> {
    const url = new URL("/cgi-bin/gettoken", this.config.apiRoot);
    url.searchParams.set("corpid", this.config.corpId);
    url.searchParams.set("corpsecret", this.config.secret);
    const answer = await request(url, null);
    if (answer.errcode !== 0 || typeof answer.access_token !== "string") {
      // The URL carries the secret: only the error code and message are reported.
      throw new WecomApiError(answer.errcode, `gettoken: ${answer.errcode} ${answer.errmsg}`);
    }
    return { value: answer.access_token, expiresInSeconds: typeof answer.expires_in === "number" ? answer.expires_in : 7200 };
  }

  /** Drops a token 企业微信 called expired, so the next call fetches a new one. */
  forgetToken(token: string): void {
    this.token.forget(token);
  }

  /** POSTs JSON to an API path with the access_token; an expired token is refreshed and the call retried once. */
  async post(path: string, body: unknown): Promise<WecomAnswer> {
    for (let tries = 0; ; tries++) {
      const token = await this.accessToken();
      const url = new URL(path, this.config.apiRoot);
      url.searchParams.set("access_token", token);
      const answer = await request(url, body);
      if (TOKEN_EXPIRED.has(answer.errcode) && tries === 0) {
        this.token.forget(token);
        continue;
      }
      return answer;
    }
  }
}

/**
 * A file a member sent the app (its MediaId is valid for 3 days), read whole up to `maxBytes`:
 * a larger one is refused from its Content-Length, or cut off while reading when it has none.
 */
export async function fetchWecomMedia(api: WecomApi, mediaId: string, maxBytes: number): Promise<FetchedFile> {
  for (let tries = 0; ; tries++) {
    let token: string;
    try {
      token = await api.accessToken();
    } catch (error) {
      return { ok: false, problem: "unavailable", error: error instanceof Error ? error.message : "gettoken failed" };
    }
    const url = new URL("/cgi-bin/media/get", api.config.apiRoot);
    url.searchParams.set("access_token", token);
    url.searchParams.set("media_id", mediaId);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      return { ok: false, problem: "unavailable", error: `/cgi-bin/media/get: ${error instanceof Error ? error.name : "network error"}` };
    }
    if (!response.ok) return { ok: false, problem: "unavailable", error: `/cgi-bin/media/get: HTTP ${response.status}` };
    const contentType = response.headers.get("content-type");
    // An error comes back as JSON instead of the file.
    if (contentType?.startsWith("application/json") || contentType?.startsWith("text/plain")) {
      const answer = (await response.json().catch(() => null)) as WecomAnswer | null;
      if (answer && TOKEN_EXPIRED.has(answer.errcode) && tries === 0) {
        api.forgetToken(token);
        continue;
      }
      return { ok: false, problem: "unavailable", error: `/cgi-bin/media/get: ${answer ? `${answer.errcode} ${answer.errmsg}` : "not a file"}` };
    }
    const bytes = await readCapped(response.body, Number(response.headers.get("content-length") ?? NaN), maxBytes, () => response.body?.cancel());
    if (!(bytes instanceof Uint8Array)) return bytes;
    return { ok: true, bytes, contentType: contentType?.split(";")[0]?.trim() || null, fileName: fileNameOf(response.headers.get("content-disposition")) };
  }
}

/** 企业微信 answered with an errcode other than 0. */
export class WecomApiError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
  }
}

async function request(url: URL, body: unknown): Promise<WecomAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: body === null ? "GET" : "POST",
      ...(body === null ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
    });
  } catch (error) {
    const failure = requestFailure(error);
    throw new WecomTransportError(`${url.pathname}: ${failure.reason}`, failure.maybeDelivered);
  }
  if (!response.ok) throw new WecomTransportError(`${url.pathname}: HTTP ${response.status}`, response.status >= 500);
  const answer = (await response.json().catch(() => null)) as WecomAnswer | null;
  if (!answer || typeof answer.errcode !== "number") throw new WecomTransportError(`${url.pathname}: not a 企业微信 answer`, true);
  return answer;
}
