/**
 * The 飞书 server API calls Duban makes, through the official @larksuiteoapi/node-sdk Client
 * (which fetches and caches the tenant_access_token from app_id + app_secret:
 * POST /open-apis/auth/v3/tenant_access_token/internal → { tenant_access_token, expire: 7200 }).
 * From the open platform docs (open.feishu.cn):
 * - 发送消息 POST /open-apis/im/v1/messages?receive_id_type=open_id { receive_id, msg_type, content };
 * - 更新应用发送的消息卡片 PATCH /open-apis/im/v1/messages/:message_id { content } (共享卡片 only);
 * - 99991663/99991661/99991668: the token is invalid or expired → dropped, fetched again, the call
 *   retried once; 99991400 (HTTP 429): the app's rate limit, `x-ogw-ratelimit-reset` seconds.
 * Each instance keeps its own token cache (the SDK's default is process-wide, keyed by app id).
 */
import type { Readable } from "node:stream";
import * as lark from "@larksuiteoapi/node-sdk";
import { fileNameOf, readCapped, type FetchedFile } from "../channel-file.ts";

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  /** https://open.feishu.cn (Lark: https://open.larksuite.com; tests: the local emulator). */
  apiRoot: string;
  /** Calls per second this instance starts at most (飞书: 50/s per app for sending messages). */
  ratePerSecond?: number;
}

export interface FeishuAnswer {
  code: number;
  msg: string;
  data?: Record<string, unknown>;
}

/** A call that got no 飞书 answer (connection refused, timeout, not JSON), or the token could not be had. */
export class FeishuTransportError extends Error {
  constructor(
    message: string,
    /** The request may have reached 飞书 (timeout, connection lost after sending). */
    readonly maybeDelivered: boolean,
  ) {
    super(message);
  }
}

/** 飞书 refused the call with a non-2xx status; `answer` is its body when it sent one. */
export class FeishuHttpError extends Error {
  constructor(
    readonly status: number,
    readonly answer: FeishuAnswer | null,
    /** Seconds until the rate limit resets (x-ogw-ratelimit-reset), when given. */
    readonly resetSeconds: number | null,
  ) {
    super(`HTTP ${status}${answer ? ` ${answer.code}: ${answer.msg}` : ""}`);
  }
}

const TOKEN_INVALID = new Set([99991661, 99991663, 99991668]);
const TIMEOUT_MS = 15_000;
/** A file may take longer than a message: the whole download gives up after this long. */
const DOWNLOAD_TIMEOUT_MS = 60_000;
/** 获取消息中的资源文件: the resource is over the 100 MB the API serves. */
const FILE_TOO_LARGE = 234037;
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/** The SDK's cache interface, per instance: the token, with its expiry (the SDK sets it 3 minutes early). */
class TokenCache {
  private values = new Map<string, { value: unknown; expiresAt: number | undefined }>();
  constructor(private readonly clock: () => number) {}
  private key(key: string | Symbol, namespace?: string) {
    return `${namespace ?? ""}:${String(key)}`;
  }
  async get(key: string | Symbol, options?: { namespace?: string }) {
    const entry = this.values.get(this.key(key, options?.namespace));
    if (!entry || (entry.expiresAt !== undefined && entry.expiresAt <= this.clock())) return undefined;
    return entry.value;
  }
  async set(key: string | Symbol, value: unknown, expire?: number, options?: { namespace?: string }) {
    this.values.set(this.key(key, options?.namespace), { value, expiresAt: expire });
    return true;
  }
  clear() {
    this.values.clear();
  }
}

/**
 * The SDK logs whole request errors (their config holds the app_secret or the token): only
 * plain strings and an Error's message reach our log, and only warnings and errors.
 */
export function sdkLogger(log: { warn(msg: string): void; error(msg: string): void } | undefined) {
  const text = (args: unknown[]) =>
    args
      .flat(2)
      .map((arg) => (typeof arg === "string" ? arg : arg instanceof Error ? arg.message : ""))
      .filter(Boolean)
      .join(" ");
  const ignore = () => {};
  return {
    error: (...args: unknown[]) => log?.error(`feishu sdk: ${text(args)}`),
    warn: (...args: unknown[]) => log?.warn(`feishu sdk: ${text(args)}`),
    info: ignore,
    debug: ignore,
    trace: ignore,
  };
}

interface AxiosLikeError {
  code?: string;
  message?: string;
  response?: { status: number; data?: unknown; headers?: Record<string, unknown> };
}

const isAnswer = (value: unknown): value is FeishuAnswer => typeof value === "object" && value !== null && typeof (value as FeishuAnswer).code === "number";

export class FeishuApi {
  private readonly cache: TokenCache;
  private readonly client: lark.Client;
  private starts: number[] = [];

  constructor(
    readonly config: FeishuConfig,
    options: { clock?: () => number; log?: { warn(msg: string): void; error(msg: string): void } } = {},
  ) {
    const clock = options.clock ?? Date.now;
    this.cache = new TokenCache(clock);
    this.client = new lark.Client({
      appId: config.appId,
      appSecret: config.appSecret,
      domain: config.apiRoot.replace(/\/$/, ""),
      appType: lark.AppType.SelfBuild,
      cache: this.cache,
      logger: sdkLogger(options.log),
      loggerLevel: lark.LoggerLevel.warn,
    });
  }

  /**
   * At most `ratePerSecond` calls started in any second (the platform answers 99991400 beyond
   * 50/s per app), evenly spaced. The window counts real start times, so a stalled event loop
   * cannot release a burst of overdue slots at once.
   */
  private async throttle(): Promise<void> {
    const rate = this.config.ratePerSecond ?? 40;
    for (;;) {
      const now = Date.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - 1000) this.starts.shift();
      const spaced = (this.starts.at(-1) ?? -Infinity) + 1000 / rate;
      if (this.starts.length < rate && spaced <= now) {
        this.starts.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(spaced - now, this.starts.length < rate ? 0 : this.starts[0]! + 1000 - now, 1)));
    }
  }

  /** One API call with the tenant_access_token; an invalid token is dropped and the call retried once. */
  async call(method: "GET" | "POST" | "PATCH", path: string, params: Record<string, string>, data: Record<string, unknown>): Promise<FeishuAnswer> {
    for (let tries = 0; ; tries++) {
      await this.throttle();
      const answer = await this.request(method, path, params, data);
      if (TOKEN_INVALID.has(answer.code) && tries === 0) {
        this.cache.clear();
        continue;
      }
      return answer;
    }
  }

  /**
   * A resource of a message the member sent the bot (获取消息中的资源文件, GET
   * /open-apis/im/v1/messages/:message_id/resources/:file_key?type=image|file), read whole up to
   * `maxBytes` through the SDK's client (same token, same throttle): refused from its
   * Content-Length, or cut off while reading. An error is JSON ({code, msg}); an invalid token is
   * refreshed and the call retried once, like every call; 234037 (over 飞书's own 100 MB) is too large.
   */
  async download(messageId: string, fileKey: string, type: "image" | "file", maxBytes: number): Promise<FetchedFile> {
    const path = `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/resources/${encodeURIComponent(fileKey)}`;
    for (let tries = 0; ; tries++) {
      await this.throttle();
      let answer: { data: Readable; headers: Record<string, unknown> };
      try {
        answer = (await this.client.request({
          method: "GET",
          url: `${this.config.apiRoot.replace(/\/$/, "")}${path}`,
          params: { type },
          responseType: "stream",
          $return_headers: true,
          timeout: TIMEOUT_MS,
          signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
        } as Parameters<lark.Client["request"]>[0])) as typeof answer;
      } catch (error) {
        const failure = error as AxiosLikeError;
        if (!failure.response) return { ok: false, problem: "unavailable", error: `resource: ${failure.code ?? (error instanceof Error ? error.name : "network error")}` };
        const body = await jsonOfStream(failure.response.data);
        if (body && TOKEN_INVALID.has(body.code) && tries === 0) {
          this.cache.clear();
          continue;
        }
        return { ok: false, problem: body?.code === FILE_TOO_LARGE ? "too-large" : "unavailable", error: `resource: HTTP ${failure.response.status}${body ? ` ${body.code}: ${body.msg}` : ""}` };
      }
      const header = (name: string) => (typeof answer.headers[name] === "string" ? (answer.headers[name] as string) : null);
      try {
        const bytes = await readCapped(answer.data, Number(header("content-length") ?? NaN), maxBytes, () => void answer.data.destroy());
        if (!(bytes instanceof Uint8Array)) return bytes;
        return { ok: true, bytes, contentType: header("content-type")?.split(";")[0]?.trim() || null, fileName: fileNameOf(header("content-disposition")) };
      } catch (error) {
        return { ok: false, problem: "unavailable", error: `resource: ${error instanceof Error ? error.name : "read failed"}` };
      }
    }
  }

  private async request(method: string, path: string, params: Record<string, string>, data: Record<string, unknown>): Promise<FeishuAnswer> {
    let answer: unknown;
    try {
      answer = await this.client.request({ method, url: `${this.config.apiRoot.replace(/\/$/, "")}${path}`, params, data, timeout: TIMEOUT_MS } as Parameters<lark.Client["request"]>[0]);
    } catch (error) {
      const failure = error as AxiosLikeError;
      if (failure.response) {
        const body = isAnswer(failure.response.data) ? failure.response.data : null;
        // The token is refused with HTTP 400/401 and its code: treated like an answer, so it is refreshed.
        if (body && TOKEN_INVALID.has(body.code)) return body;
        const reset = Number(failure.response.headers?.["x-ogw-ratelimit-reset"]);
        throw new FeishuHttpError(failure.response.status, body, Number.isFinite(reset) && reset > 0 ? reset : null);
      }
      if (failure.code && NOT_SENT_CODES.has(failure.code)) throw new FeishuTransportError(`${path}: ${failure.code}`, false);
      // The SDK's own error when the token endpoint refused (wrong secret): its message has code and msg only.
      if (!failure.code && error instanceof Error && /tenant_access_token/i.test(error.message)) throw new FeishuTransportError(`${path}: ${error.message}`, false);
      throw new FeishuTransportError(`${path}: ${failure.code ?? (error instanceof Error ? error.name : "network error")}`, true);
    }
    if (!isAnswer(answer)) throw new FeishuTransportError(`${path}: not a 飞书 answer`, true);
    return answer;
  }
}

/** An error answer read from a stream (a download's response type), at most 64 KB. */
async function jsonOfStream(data: unknown): Promise<FeishuAnswer | null> {
  if (isAnswer(data)) return data;
  if (!data || typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function") return null;
  const read = await readCapped(data as AsyncIterable<Uint8Array>, NaN, 64 * 1024, () => void (data as Readable).destroy()).catch(() => null);
  if (!(read instanceof Uint8Array)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(read).toString("utf8")) as unknown;
    return isAnswer(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
