/**
 * What the plain-HTTP channel adapters (企业微信, 钉钉) share about talking to a platform's API: the
 * cached access token and how a failed request is classified. Each adapter keeps its own URLs,
 * answer shapes and error codes.
 */

/** Every platform call gives up after this long (the delivery loop retries later). */
export const PLATFORM_TIMEOUT_MS = 15_000;

/** Refresh a little before the platform says, so a call never carries a token that expires in flight. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;

/** Connection errors that mean the request never left: a resend cannot be a duplicate. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/** An access token fetched when missing or about to expire; one fetch serves concurrent callers. */
export class AccessTokenCache {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly fetchToken: () => Promise<{ value: string; expiresInSeconds: number }>,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.token && this.token.expiresAt > this.clock()) return this.token.value;
    this.pending ??= this.fetchToken()
      .then(({ value, expiresInSeconds }) => {
        this.token = { value, expiresAt: this.clock() + expiresInSeconds * 1000 - TOKEN_MARGIN_MS };
        return value;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  /** Drops a token the platform refused, so the next call fetches a new one (unless it was replaced already). */
  forget(token: string): void {
    if (this.token?.value === token) this.token = null;
  }
}

/** A fetch that threw: what to log (never the URL's query, which may carry a secret) and whether it may have arrived. */
export function requestFailure(error: unknown): { reason: string; maybeDelivered: boolean } {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  const notSent = typeof code === "string" && NOT_SENT_CODES.has(code);
  return { reason: notSent ? code : error instanceof Error ? error.name : "network error", maybeDelivered: !notSent };
}

export type JsonObject = Record<string, unknown>;

/**
 * One JSON call to a platform's API within PLATFORM_TIMEOUT_MS (the login exchanges of 钉钉 and
 * 飞书): its HTTP status and object body, or why there is none (`platform` names it in the reason).
 */
export async function callPlatformJson(
  platform: string,
  url: URL,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: unknown },
): Promise<{ status: number; body: JsonObject } | { failed: string }> {
  try {
    const response = await fetch(url, {
      method: init.method,
      headers: { accept: "application/json", ...(init.body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => null)) as unknown;
    if (!body || typeof body !== "object" || Array.isArray(body)) return { failed: `${url.pathname}: HTTP ${response.status}, not a ${platform} answer` };
    return { status: response.status, body: body as JsonObject };
  } catch (error) {
    return { failed: `${url.pathname}: ${requestFailure(error).reason}` };
  }
}
