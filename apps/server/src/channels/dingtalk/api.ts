import { fileNameOf, readCapped, type FetchedFile } from "../channel-file.ts";
import { AccessTokenCache, PLATFORM_TIMEOUT_MS, requestFailure } from "../platform-http.ts";
/**
 * The few 钉钉 OpenAPI calls Duban makes (api.dingtalk.com, the "新版服务端API"), over plain
 * fetch: the official @alicloud/dingtalk client would add a large dependency tree for four calls.
 * Followed from the developer docs (open.dingtalk.com):
 * - 获取企业内部应用的accessToken: POST /v1.0/oauth2/accessToken {appKey, appSecret} →
 *   {accessToken, expireIn: 7200}; a wrong pair answers 400 {code: "invalidClientIdOrSecret"}.
 *   Cached until it expires, not one per call.
 * - Every other call carries the token in the `x-acs-dingtalk-access-token` header. Errors are an
 *   HTTP status with {code, message, requestid}: 401 InvalidAuthentication (token expired or
 *   unknown: fetch a new one and retry once), 403 Forbidden.AccessDenied.QpsLimitForApi /
 *   QpsLimitForAppkeyAndApi (API 调用频率限制: wait about a second), 5xx (钉钉 trouble).
 */

export interface DingtalkConfig {
  /** Client ID (原 AppKey) of the 企业内部应用. */
  clientId: string;
  /** Client Secret (原 AppSecret). */
  clientSecret: string;
  /** The app's robot (机器人): its robotCode, usually equal to the Client ID. */
  robotCode: string;
  /** https://api.dingtalk.com (tests: the local emulator); the Stream gateway is under it too. */
  apiRoot: string;
}

export interface DingtalkAnswer {
  /** HTTP status of the answer. */
  status: number;
  body: Record<string, unknown>;
}

/** A call that did not get an answer from 钉钉 (connection refused, timeout, not JSON). */
export class DingtalkTransportError extends Error {
  constructor(
    message: string,
    /** The request may have reached 钉钉 (timeout, connection lost after sending). */
    readonly maybeDelivered: boolean,
  ) {
    super(message);
  }
}

/** The access token could not be had (wrong Client ID or Secret, or 钉钉 refused). */
export class DingtalkTokenError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`accessToken: HTTP ${status} ${code}`);
  }
}


export class DingtalkApi {
  private readonly token: AccessTokenCache;

  constructor(
    readonly config: DingtalkConfig,
    clock: () => number = Date.now,
  ) {
    this.token = new AccessTokenCache(() => this.fetchToken(), clock);
  }

  /** The cached access token, fetched when missing or about to expire (one fetch for concurrent callers). */
  accessToken(): Promise<string> {
    return this.token.get();
  }

  private async fetchToken(): Promise<{ value: string; expiresInSeconds: number }> {
    const answer = await request("POST", new URL("/v1.0/oauth2/accessToken", this.config.apiRoot), null, { appKey: this.config.clientId, appSecret: this.config.clientSecret });
    const token = answer.body.accessToken;
    if (answer.status !== 200 || typeof token !== "string") throw new DingtalkTokenError(answer.status, String(answer.body.code ?? "no accessToken"));
    return { value: token, expiresInSeconds: typeof answer.body.expireIn === "number" ? answer.body.expireIn : 7200 };
  }

  /** Drops a token 钉钉 refused (the older oapi answers errcode 40014/42001, not 401), so the next call fetches a new one. */
  forgetToken(token: string): void {
    this.token.forget(token);
  }

  /** Calls an OpenAPI path with the access token; a token 钉钉 no longer accepts is refreshed and the call retried once. */
  async call(method: "POST" | "PUT", path: string, body: unknown): Promise<DingtalkAnswer> {
    for (let tries = 0; ; tries++) {
      const token = await this.accessToken();
      const answer = await request(method, new URL(path, this.config.apiRoot), token, body);
      if (answer.status === 401 && tries === 0) {
        this.token.forget(token);
        continue;
      }
      return answer;
    }
  }
}

async function request(method: "POST" | "PUT", url: URL, token: string | null, body: unknown): Promise<DingtalkAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { "content-type": "application/json", accept: "application/json", ...(token ? { "x-acs-dingtalk-access-token": token } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
    });
  } catch (error) {
    const failure = requestFailure(error);
    throw new DingtalkTransportError(`${url.pathname}: ${failure.reason}`, failure.maybeDelivered);
  }
  const parsed = (await response.json().catch(() => null)) as unknown;
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    // 钉钉's gateway answers an HTML page when it throttles a whole IP: not a 钉钉 answer, try later.
    throw new DingtalkTransportError(`${url.pathname}: HTTP ${response.status}, not a 钉钉 answer`, response.status >= 500);
  }
  return { status: response.status, body: parsed as Record<string, unknown> };
}

/**
 * A picture or file a member sent the robot (机器人接收消息: its content carries a downloadCode),
 * read whole up to `maxBytes`. 获取机器人消息中文件下载链接: POST /v1.0/robot/messageFiles/download
 * {downloadCode, robotCode} → {downloadUrl}, a temporary signed link that is fetched without the
 * token (it is not 钉钉's API host); a larger file is refused from its Content-Length, or cut off
 * while reading when it has none.
 */
export async function fetchDingtalkFile(api: DingtalkApi, downloadCode: string, maxBytes: number): Promise<FetchedFile> {
  let answer: DingtalkAnswer;
  try {
    answer = await api.call("POST", "/v1.0/robot/messageFiles/download", { downloadCode, robotCode: api.config.robotCode });
  } catch (error) {
    return { ok: false, problem: "unavailable", error: error instanceof Error ? error.message : "messageFiles/download failed" };
  }
  const link = answer.body.downloadUrl;
  if (answer.status !== 200 || typeof link !== "string") return { ok: false, problem: "unavailable", error: `messageFiles/download: HTTP ${answer.status} ${String(answer.body.code ?? "no downloadUrl")}` };
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { ok: false, problem: "unavailable", error: "messageFiles/download: not a URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "unavailable", error: "messageFiles/download: not an http(s) link" };
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    // The link's query is its signature: only the failure's kind is reported.
    return { ok: false, problem: "unavailable", error: `download link: ${requestFailure(error).reason}` };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, problem: "unavailable", error: `download link: HTTP ${response.status}` };
  }
  const bytes = await readCapped(response.body, Number(response.headers.get("content-length") ?? NaN), maxBytes, () => response.body?.cancel());
  if (!(bytes instanceof Uint8Array)) return bytes;
  return { ok: true, bytes, contentType: response.headers.get("content-type")?.split(";")[0]?.trim() || null, fileName: fileNameOf(response.headers.get("content-disposition")) };
}
