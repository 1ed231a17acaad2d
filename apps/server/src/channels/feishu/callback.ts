import { createHash, timingSafeEqual } from "node:crypto";
import * as lark from "@larksuiteoapi/node-sdk";
import type { Hono } from "hono";
import { feishuEventDispatcher, LATE, withinDeadline, type FeishuInboundDeps } from "./events.ts";

/**
 * 飞书's HTTP mode (将事件/回调发送至开发者服务器), for deployments that cannot keep the long
 * connection open: POST /feishu/events (事件订阅 → 请求地址: im.message.receive_v1) and POST
 * /feishu/card (回调配置 → 请求地址: card.action.trigger). Both take either kind of event.
 * - With an Encrypt Key, 飞书 sends {"encrypt": base64(IV ‖ AES-256-CBC(sha256(key), JSON))}
 *   (opened with the SDK's AESCipher) and signs every event but the URL check:
 *   X-Lark-Signature = hex sha256(X-Lark-Request-Timestamp + X-Lark-Request-Nonce + key + raw body).
 *   The signature is checked on the raw body before anything is decrypted; the Verification
 *   Token inside (header.token, or token for the URL check) must be ours too.
 * - url_verification ({challenge, token, type}) comes unsigned: it is answered {challenge} when
 *   it decrypts and carries our token. Every other unsigned or wrongly signed request gets the
 *   same 401, whatever failed, so the answer says nothing about the ciphertext.
 * Accepted events go to the same EventDispatcher as the long connection's (events.ts): the same
 * handlers, the same dedupe by event_id (ChannelEvent), the same 3-second card answer. A
 * message's handling is awaited up to `answerWithinMs`: a failure by then answers 500 so 飞书
 * retries (the event id was forgotten); a slower one is answered 200 and finishes afterwards.
 */
export interface FeishuCallbackConfig {
  encryptKey: string;
  verificationToken: string;
}

export interface FeishuCallbackDeps extends FeishuInboundDeps {
  config: FeishuCallbackConfig;
}

/**
 * The routes as the server app takes them: built where the 飞书 channel is configured, so the
 * app itself never imports this module (and with it the SDK, ~90 MB resident).
 */
export interface FeishuCallbackRoutes {
  appId: string;
  config: FeishuCallbackConfig;
  mount(app: Hono, deps: Pick<FeishuInboundDeps, "db" | "now" | "log" | "workingHours">): void;
}

export function feishuCallbackRoutes(options: Pick<FeishuCallbackDeps, "config" | "appId" | "messenger" | "answerWithinMs">): FeishuCallbackRoutes {
  return { appId: options.appId, config: options.config, mount: (app, deps) => mountFeishuCallback(app, { ...deps, ...options }) };
}

export const FEISHU_CALLBACK_PATHS = ["/feishu/events", "/feishu/card"] as const;

const REFUSED = "signature or token refused";

function sameText(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** X-Lark-Signature over the raw body, as the docs define it (安全校验 → 签名校验). */
export function feishuSignature(encryptKey: string, timestamp: string, nonce: string, rawBody: string): string {
  return createHash("sha256").update(timestamp + nonce + encryptKey + rawBody).digest("hex");
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

/** The event inside the body: decrypted when 飞书 encrypted it; null when it cannot be read. */
function opened(cipher: lark.AESCipher, body: Json): Json | null {
  if (typeof body.encrypt !== "string") return body;
  try {
    return asObject(JSON.parse(cipher.decrypt(body.encrypt)));
  } catch {
    return null;
  }
}

export function mountFeishuCallback(app: Hono, deps: FeishuCallbackDeps): void {
  const { config, log } = deps;
  const cipher = new lark.AESCipher(config.encryptKey);
  const dispatcher = feishuEventDispatcher(deps);
  const answerWithinMs = deps.answerWithinMs ?? 2500;

  const handle = async (request: Request, path: string): Promise<Response> => {
    const raw = await request.text();
    let body: Json | null;
    try {
      body = asObject(JSON.parse(raw));
    } catch {
      body = null;
    }
    if (!body) {
      log?.warn({ path }, "feishu: callback body is not a JSON object");
      return Response.json({ error: "body is not a JSON object" }, { status: 400 });
    }
    const timestamp = request.headers.get("x-lark-request-timestamp") ?? "";
    const nonce = request.headers.get("x-lark-request-nonce") ?? "";
    const signed = sameText(request.headers.get("x-lark-signature"), feishuSignature(config.encryptKey, timestamp, nonce, raw));
    const event = opened(cipher, body);
    if (!signed) {
      // Only the URL check comes unsigned.
      if (event?.type === "url_verification" && sameText(event.token, config.verificationToken) && typeof event.challenge === "string") {
        log?.info({ path }, "feishu: request URL verified");
        return Response.json({ challenge: event.challenge });
      }
      log?.warn({ path }, "feishu: callback refused (signature)");
      return Response.json({ error: REFUSED }, { status: 401 });
    }
    if (!event) {
      log?.warn({ path }, "feishu: signed callback could not be decrypted");
      return Response.json({ error: "cannot decrypt" }, { status: 400 });
    }
    const token = asObject(event.header)?.token ?? event.token;
    if (!sameText(token, config.verificationToken)) {
      log?.warn({ path }, "feishu: callback refused (verification token)");
      return Response.json({ error: REFUSED }, { status: 401 });
    }
    if (event.type === "url_verification") return Response.json({ challenge: event.challenge });
    // Already verified here, on the raw body: the SDK's own check re-serialises the parsed body.
    const work = dispatcher.invoke(event, { needCheck: false });
    // A tap keeps to its own deadline (events.ts) and answers with the toast the member sees.
    const result = asObject(event.header)?.event_type === "card.action.trigger" ? await work : await withinDeadline(work, answerWithinMs);
    if (result === LATE) {
      work.catch((error: unknown) => log?.error({ err: error, path }, "feishu: event failed after answering"));
      return Response.json({});
    }
    return Response.json(asObject(result) ?? {});
  };

  for (const path of FEISHU_CALLBACK_PATHS) app.post(path, (c) => handle(c.req.raw, path));
}
