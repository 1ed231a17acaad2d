/**
 * A local emulator of what Duban's 飞书 adapter uses, for tests: node:http and a WebSocket
 * server on 127.0.0.1, a random port. Faithful to the open platform docs where Duban depends on them:
 * - POST /open-apis/auth/v3/tenant_access_token/internal (app_id + app_secret → tenant_access_token,
 *   expire 7200; 10003 unknown app, 10014 wrong secret); a token it no longer knows or that
 *   expired is refused with HTTP 400 and 99991663;
 * - POST /open-apis/im/v1/messages?receive_id_type=open_id (text: content {"text"}; interactive:
 *   a card JSON with elements, buttons with a text and a value); 230013 for an open_id outside the
 *   app's availability; the documented limits: 5 QPS per user (230020) and 50/s per app
 *   (HTTP 429, 99991400, x-ogw-ratelimit-reset);
 * - PATCH /open-apis/im/v1/messages/:message_id (a 共享卡片 only: config.update_multi);
 * - GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=image|file (获取消息中的
 *   资源文件): the bytes with Content-Type, Content-Length and Content-Disposition; 234001 for a
 *   missing or wrong type, 234003 when the key is not in that message, 234037 over 100 MB;
 * - the long connection the SDK's WSClient opens: POST /callback/ws/endpoint with AppID and
 *   AppSecret → a single-use WebSocket URL and ClientConfig; then pbbp2.Frame protobuf frames:
 *   ping → pong (control), an event pushed as a data frame (type "event", message_id, sum/seq),
 *   answered by the client with the same frame and {"code":200,"data":base64(JSON)}. A card
 *   action must be answered within 3 s. Each event goes to one connected client; an event
 *   whose answer was lost is pushed again after the client reconnects.
 * - or, once `postTo` names the app's request URLs (将事件/回调发送至开发者服务器), each event is
 *   POSTed there instead: encrypted with the Encrypt Key (AES-256-CBC, key sha256(Encrypt Key),
 *   a random IV before the ciphertext, Base64), signed (X-Lark-Signature: hex sha256 of timestamp,
 *   nonce, key and the raw body), header.token the Verification Token; the HTTP answer is the
 *   event's answer, and an answer lost (or not 200) is posted again, as 飞书 retries. The URL check
 *   (url_verification) is posted encrypted and unsigned.
 * - 网页应用登录: GET /open-apis/authen/v1/authorize (client_id, redirect_uri, state) answers 302
 *   to redirect_uri?code&state for the member signed in to the client (`x-emulator-member`); POST
 *   /open-apis/authen/v2/oauth/token (grant_type authorization_code, client_id, client_secret,
 *   code, the same redirect_uri → {code: 0, access_token, expires_in}; 400 with 20003 for a code
 *   unknown or used, 20004 over its 5 minutes, 20010 for a user outside the app's availability);
 *   GET /open-apis/authen/v1/user_info with that token → {code: 0, data: {open_id, union_id, name}}.
 * Not production code.
 */
import { createCipheriv, createHash, randomBytes, randomUUID } from "node:crypto";
import { LoginCodes, MEMBER_HEADER, redirectWithCode } from "../../testing/login-codes.ts";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import protobuf from "protobufjs";
import { WebSocketServer, type WebSocket } from "ws";

const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: { fields: { key: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
        Frame: {
          fields: {
            SeqID: { type: "uint64", id: 1 },
            LogID: { type: "uint64", id: 2 },
            service: { type: "int32", id: 3 },
            method: { type: "int32", id: 4 },
            headers: { rule: "repeated", type: "Header", id: 5 },
            payloadEncoding: { type: "string", id: 6 },
            payloadType: { type: "string", id: 7 },
            payload: { type: "bytes", id: 8 },
            LogIDNew: { type: "string", id: 9 },
          },
        },
      },
    },
  },
});
const FrameType = root.lookupType("pbbp2.Frame");

interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: Array<{ key: string; value: string }>;
  payload?: Uint8Array;
}

const CONTROL = 0;
const DATA = 1;
const encodeFrame = (frame: Frame) => FrameType.encode(FrameType.fromObject(frame)).finish();
const decodeFrame = (bytes: Uint8Array) => FrameType.toObject(FrameType.decode(bytes), { longs: Number, bytes: Buffer, defaults: true }) as Frame;
const headerOf = (frame: Frame, key: string) => frame.headers.find((h) => h.key === key)?.value;

export interface FeishuCard {
  config?: { update_multi?: boolean };
  header?: { title?: { content?: string } };
  elements: Array<{ tag: string; text?: { content?: string }; actions?: Array<{ tag: string; text?: { content?: string }; value?: Record<string, unknown> }>; elements?: Array<{ content?: string }> }>;
}

export interface SentFeishuMessage {
  message_id: string;
  receive_id: string;
  msg_type: "text" | "interactive";
  text?: string;
  /** The card as sent, then as replaced by a callback's answer or a PATCH. */
  card?: FeishuCard;
}

export interface EventAnswer {
  /** The client answered in time with this code (200) and, for a card action, this body. */
  code: number;
  data: { toast?: { type: string; content: string }; card?: { type: string; data: FeishuCard } } | null;
  ms: number;
}

export interface FeishuEmulatorOptions {
  appId: string;
  appSecret: string;
  /** open_ids within the app's availability (可用范围). */
  members: string[];
  tenantKey?: string;
  /** Every API answer waits this long (the round trip to 飞书); default none. */
  latencyMs?: number;
}

/** A body as 飞书 encrypts it with the app's Encrypt Key (接收事件 → 解密). */
export function feishuEncrypt(encryptKey: string, plain: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", createHash("sha256").update(encryptKey).digest(), iv);
  return Buffer.concat([iv, cipher.update(plain, "utf8"), cipher.final()]).toString("base64");
}

/** The headers 飞书 signs a request with: X-Lark-Signature = hex sha256(timestamp + nonce + Encrypt Key + raw body). */
export function feishuSignedHeaders(encryptKey: string, rawBody: string, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
  const nonce = randomBytes(8).toString("hex");
  return {
    "content-type": "application/json; charset=utf-8",
    "x-lark-request-timestamp": timestamp,
    "x-lark-request-nonce": nonce,
    "x-lark-signature": createHash("sha256").update(timestamp + nonce + encryptKey + rawBody).digest("hex"),
  };
}

export interface FeishuRequestUrls {
  /** 事件订阅 → 请求地址 (im.message.receive_v1). */
  eventsUrl: string;
  /** 回调配置 → 请求地址 (card.action.trigger). */
  cardUrl: string;
  encryptKey: string;
  verificationToken: string;
}

interface Pushed {
  body: Record<string, unknown>;
  loseAnswer: boolean;
  resolve: (answer: EventAnswer) => void;
  sentAt: number;
  messageId: string;
}

export class FeishuEmulator {
  readonly sent: SentFeishuMessage[] = [];
  readonly patches: Array<{ message_id: string; card: FeishuCard }> = [];
  /** Paths of every API call (the body may carry the secret). */
  readonly calls: string[] = [];
  tokenFetches = 0;
  /** Calls refused with 99991400 (the app's 50/s). */
  tooMany = 0;
  /** Messages refused with 230020 (one user's 5 a second). */
  userRateRefusals = 0;
  endpointPulls = 0;
  connections = 0;
  private tokens = new Map<string, { expired: boolean }>();
  private failures: Array<{ path: string; status: number; code: number; msg: string; headers?: Record<string, string> }> = [];
  private perUser = new Map<string, number[]>();
  private perApp: number[] = [];
  private tickets = new Set<string>();
  private sockets = new Set<WebSocket>();
  /** Sockets whose client has pinged: it listens (the SDK attaches its handler right after opening). */
  private listening = new Set<WebSocket>();
  private waiting = new Map<string, Pushed>();
  private queued: Pushed[] = [];
  private server: Server | null = null;
  private wss = new WebSocketServer({ noServer: true });
  private next = 1;
  private readonly serviceId = 7_000_000 + Math.floor(Math.random() * 1000);
  /** Pictures and files members sent the bot: by message_id, the key its content names. */
  private resources = new Map<string, { key: string; type: "image" | "file"; bytes: Uint8Array; contentType: string; fileName: string | null }>();
  url = "";
  /** HTTP mode: where events are posted (see the header); null: over the long connection. */
  private requestUrls: FeishuRequestUrls | null = null;
  /** HTTP mode: every POST made and its status. */
  readonly posts: Array<{ url: string; status: number }> = [];

  /** The codes 网页应用登录 hands out, and the user_access_tokens they were exchanged for (token → open_id). */
  readonly logins = new LoginCodes();
  private userTokens = new Map<string, string>();

  constructor(readonly options: FeishuEmulatorOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://emulator");
      const ticket = url.searchParams.get("ticket") ?? "";
      // The URL from /callback/ws/endpoint works once: a client without it is not let in.
      if (url.pathname !== "/ws" || !this.tickets.delete(ticket)) {
        socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (!address || typeof address === "string") throw new Error("emulator has no port");
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    // Keep-alive connections (the SDK's HTTP client) would hold the close for the server's idle timeout.
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The tenant_access_tokens issued so far (tests check none reaches a log). */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  /** Every token issued so far is refused from now on (as when it expired). */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expired = true;
  }

  /** The next call to `path` (prefix) answers this status and code instead. */
  failNext(path: string, status: number, code: number, msg: string, headers?: Record<string, string>): void {
    this.failures.push({ path, status, code, msg, ...(headers ? { headers } : {}) });
  }

  /** Drops every long connection, as a network break does (the clients reconnect by themselves). */
  dropConnections(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /** Clients connected and listening. */
  get connected(): number {
    return this.listening.size;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    this.calls.push(`${req.method} ${url.pathname}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const write = () => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
        res.end(JSON.stringify(body));
      };
      if (this.options.latencyMs) setTimeout(write, this.options.latencyMs);
      else write();
    };
    let body: Record<string, unknown> = {};
    if (chunks.length > 0) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        return answer(400, { code: 9499, msg: "Bad Request" });
      }
    }
    if (req.method === "POST" && url.pathname === "/open-apis/auth/v3/tenant_access_token/internal") {
      if (body.app_id !== this.options.appId) return answer(400, { code: 10003, msg: "invalid param" });
      if (body.app_secret !== this.options.appSecret) return answer(400, { code: 10014, msg: "app secret invalid" });
      const token = `t-${randomBytes(12).toString("hex")}`;
      this.tokens.set(token, { expired: false });
      this.tokenFetches++;
      return answer(200, { code: 0, msg: "ok", tenant_access_token: token, expire: 7200 });
    }
    if (req.method === "POST" && url.pathname === "/callback/ws/endpoint") {
      this.endpointPulls++;
      if (body.AppID !== this.options.appId || body.AppSecret !== this.options.appSecret) return answer(200, { code: 403, msg: "app id or secret is invalid", data: {} });
      const ticket = randomBytes(12).toString("hex");
      this.tickets.add(ticket);
      const host = this.url.replace(/^http/, "ws");
      return answer(200, {
        code: 0,
        msg: "ok",
        data: {
          URL: `${host}/ws?device_id=${this.next++}&service_id=${this.serviceId}&ticket=${ticket}`,
          // Seconds; no random wait before reconnecting, so tests need not wait.
          ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 },
        },
      });
    }
    if (this.login(req, url, body, res, answer)) return;
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!bearer) return answer(400, { code: 99991661, msg: "Missing access token for authorization." });
    const token = this.tokens.get(bearer);
    if (!token || token.expired) return answer(400, { code: 99991663, msg: "Invalid access token for authorization." });
    const failure = this.failures.findIndex((f) => url.pathname.startsWith(f.path));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return answer(f!.status, { code: f!.code, msg: f!.msg }, f!.headers);
    }
    if (!this.withinAppRate()) {
      this.tooMany++;
      return answer(429, { code: 99991400, msg: "request trigger frequency limit" }, { "x-ogw-ratelimit-limit": "50", "x-ogw-ratelimit-reset": "1" });
    }
    if (req.method === "POST" && url.pathname === "/open-apis/im/v1/messages") {
      const [status, result] = this.send(url.searchParams.get("receive_id_type"), body);
      return answer(status, result);
    }
    const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(url.pathname);
    if (req.method === "PATCH" && patch) {
      const [status, result] = this.patch(decodeURIComponent(patch[1]!), body);
      return answer(status, result);
    }
    const resource = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && resource) return this.resource(decodeURIComponent(resource[1]!), decodeURIComponent(resource[2]!), url.searchParams.get("type"), res, answer);
    answer(404, { code: 404, msg: "404 page not found" });
  }

  private resource(messageId: string, fileKey: string, type: string | null, res: ServerResponse, answer: (status: number, body: Record<string, unknown>) => void): void {
    if (type !== "image" && type !== "file") return answer(400, { code: 234001, msg: "Invalid request param." });
    const found = this.resources.get(messageId);
    if (!found || found.key !== fileKey || found.type !== type) return answer(400, { code: 234003, msg: "File not in msg." });
    if (found.bytes.byteLength > 100 * 1024 * 1024) return answer(400, { code: 234037, msg: "Downloaded file size exceeds limit." });
    res.writeHead(200, {
      "content-type": found.contentType,
      "content-length": String(found.bytes.byteLength),
      ...(found.fileName ? { "content-disposition": `attachment; filename="${encodeURIComponent(found.fileName)}"; filename*=UTF-8''${encodeURIComponent(found.fileName)}` } : {}),
    });
    res.end(found.bytes);
  }

  /**
   * A member sends the bot a picture (message_type image, content {"image_key"}) or a file
   * ({"file_key", "file_name"}) in their one-to-one chat; its bytes are then the message's resource.
   */
  async sendFile(openId: string, file: { type: "image" | "file"; bytes: Uint8Array; contentType: string; fileName?: string }): Promise<EventAnswer & { messageId: string; key: string }> {
    const messageId = `om_${randomBytes(16).toString("hex")}`;
    const key = `${file.type === "image" ? "img" : "file"}_v3_${randomBytes(12).toString("hex")}`;
    this.resources.set(messageId, { key, type: file.type, bytes: file.bytes, contentType: file.contentType, fileName: file.fileName ?? null });
    const content = file.type === "image" ? { image_key: key } : { file_key: key, file_name: file.fileName ?? "file" };
    const answer = await this.text(openId, "", { messageType: file.type, messageId, content });
    return { ...answer, messageId, key };
  }

  /** 50 calls in any second per app (发送消息: 接口频率限制). */
  /** The login's routes (authorize page, user_access_token, user_info); true when it answered. */
  private login(req: IncomingMessage, url: URL, body: Record<string, unknown>, res: ServerResponse, answer: (status: number, body: Record<string, unknown>) => void): boolean {
    if (req.method === "GET" && url.pathname === "/open-apis/authen/v1/authorize") {
      const q = (name: string) => url.searchParams.get(name) ?? "";
      const page = (text: string) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<p>${text}</p>`);
      const member = req.headers[MEMBER_HEADER];
      if (q("client_id") !== this.options.appId) page("应用不存在 (20001)");
      else if (!URL.canParse(q("redirect_uri"))) page("redirect_uri 不合法 (20029)");
      else if (typeof member !== "string" || member === "") page("请登录飞书");
      else res.writeHead(302, { location: redirectWithCode(q("redirect_uri"), { code: this.logins.issue(member, q("redirect_uri")), state: q("state") }) }).end();
      return true;
    }
    if (req.method === "POST" && url.pathname === "/open-apis/authen/v2/oauth/token") {
      const refuse = (code: number, error: string, description: string) => answer(400, { code, error, error_description: description });
      if (body.grant_type !== "authorization_code") refuse(20050, "unsupported_grant_type", "grant_type");
      else if (body.client_id !== this.options.appId || body.client_secret !== this.options.appSecret) refuse(20002, "invalid_client", "client_id or client_secret invalid");
      else {
        const redeemed = this.logins.redeem(String(body.code ?? ""));
        if (!redeemed.ok) refuse(redeemed.why === "expired" ? 20004 : 20003, "invalid_grant", `the code is ${redeemed.why}`);
        else if (redeemed.redirectUri !== body.redirect_uri) refuse(20003, "invalid_grant", "redirect_uri does not match");
        else if (!this.options.members.includes(redeemed.member)) refuse(20010, "invalid_grant", "the user has no permission to use the app");
        else {
          const token = `eyJ${randomBytes(12).toString("hex")}`;
          this.userTokens.set(token, redeemed.member);
          answer(200, { code: 0, access_token: token, expires_in: 7200, token_type: "Bearer", scope: "" });
        }
      }
      return true;
    }
    if (req.method === "GET" && url.pathname === "/open-apis/authen/v1/user_info") {
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
      const member = bearer ? this.userTokens.get(bearer) : undefined;
      if (member === undefined) answer(401, { code: 99991668, msg: "Invalid access token for authorization." });
      else answer(200, { code: 0, msg: "success", data: { open_id: member, union_id: `on_${member.slice(3)}`, name: member } });
      return true;
    }
    return false;
  }

  private withinAppRate(): boolean {
    const now = Date.now();
    this.perApp = this.perApp.filter((t) => t > now - 1000);
    if (this.perApp.length >= 50) return false;
    this.perApp.push(now);
    return true;
  }

  /** 5 messages in any second to one user (向同一用户发送消息的限频为 5 QPS). */
  private withinUserRate(openId: string): boolean {
    const now = Date.now();
    const recent = (this.perUser.get(openId) ?? []).filter((t) => t > now - 1000);
    if (recent.length >= 5) return false;
    recent.push(now);
    this.perUser.set(openId, recent);
    return true;
  }

  private send(receiveIdType: string | null, body: Record<string, unknown>): [number, Record<string, unknown>] {
    if (receiveIdType !== "open_id") return [400, { code: 99992402, msg: "field validation failed: receive_id_type" }];
    const receiveId = typeof body.receive_id === "string" ? body.receive_id : "";
    if (!this.options.members.includes(receiveId)) return [400, { code: 230013, msg: "Bot has NO availability to this user." }];
    if (!this.withinUserRate(receiveId)) {
      this.userRateRefusals++;
      return [400, { code: 230020, msg: "This operation triggers the frequency limit." }];
    }
    let content: unknown;
    try {
      content = JSON.parse(String(body.content));
    } catch {
      return [400, { code: 230001, msg: "Your request contains an invalid request parameter, ext=invalid content" }];
    }
    if (Buffer.byteLength(String(body.content)) > 30 * 1024) return [400, { code: 230025, msg: "The length of the message content reaches its limit." }];
    const messageId = `om_${randomBytes(16).toString("hex")}`;
    if (body.msg_type === "text") {
      const text = (content as { text?: unknown }).text;
      if (typeof text !== "string" || text === "") return [400, { code: 230001, msg: "Your request contains an invalid request parameter, ext=empty text" }];
      this.sent.push({ message_id: messageId, receive_id: receiveId, msg_type: "text", text });
    } else if (body.msg_type === "interactive") {
      if (!validCard(content)) return [400, { code: 230099, msg: "Failed to create card content" }];
      this.sent.push({ message_id: messageId, receive_id: receiveId, msg_type: "interactive", card: content });
    } else {
      return [400, { code: 230001, msg: "Your request contains an invalid request parameter, ext=msg_type" }];
    }
    return [200, { code: 0, msg: "success", data: { message_id: messageId, msg_type: body.msg_type, chat_id: `oc_${receiveId}`, create_time: String(Date.now()) } }];
  }

  private patch(messageId: string, body: Record<string, unknown>): [number, Record<string, unknown>] {
    const message = this.sent.find((m) => m.message_id === messageId);
    if (!message || message.msg_type !== "interactive") return [400, { code: 230001, msg: "Your request contains an invalid request parameter, ext=message_id" }];
    if (!message.card?.config?.update_multi) return [400, { code: 230099, msg: "Failed to update card: not a shared card (update_multi)" }];
    let card: unknown;
    try {
      card = JSON.parse(String(body.content));
    } catch {
      return [400, { code: 230001, msg: "invalid content" }];
    }
    if (!validCard(card)) return [400, { code: 230099, msg: "Failed to create card content" }];
    message.card = card;
    this.patches.push({ message_id: messageId, card });
    return [200, { code: 0, msg: "success", data: {} }];
  }

  // ---- the long connection ----

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    this.connections++;
    ws.on("close", () => {
      this.sockets.delete(ws);
      this.listening.delete(ws);
    });
    ws.on("message", (raw: Buffer) => this.onFrame(ws, raw));
  }

  private onFrame(ws: WebSocket, raw: Buffer): void {
    const frame = decodeFrame(raw);
    if (frame.method === CONTROL && headerOf(frame, "type") === "ping") {
      this.listening.add(ws);
      ws.send(encodeFrame({ SeqID: 0, LogID: 0, service: this.serviceId, method: CONTROL, headers: [{ key: "type", value: "pong" }], payload: Buffer.from(JSON.stringify({ PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 })) }));
      // What was pushed but not answered (the connection broke) is pushed again once the client is listening, as 飞书 does.
      for (const pushed of this.queued.splice(0)) this.push(pushed);
      return;
    }
    if (frame.method !== DATA) return;
    const pushed = this.waiting.get(headerOf(frame, "message_id") ?? "");
    if (!pushed) return;
    this.waiting.delete(pushed.messageId);
    if (pushed.loseAnswer) {
      // The answer is lost with the connection: the event stays owed and comes again.
      pushed.loseAnswer = false;
      this.queued.push(pushed);
      ws.terminate();
      return;
    }
    const reply = JSON.parse(Buffer.from(frame.payload ?? []).toString("utf8")) as { code: number; data?: string };
    const data = reply.data ? (JSON.parse(Buffer.from(reply.data, "base64").toString("utf8")) as EventAnswer["data"]) : null;
    pushed.resolve({ code: reply.code, data, ms: Date.now() - pushed.sentAt });
  }

  private push(pushed: Pushed): void {
    // Each event goes to one connected client.
    const [ws] = [...this.listening].filter((s) => s.readyState === s.OPEN);
    if (!ws) {
      this.queued.push(pushed);
      return;
    }
    pushed.messageId = `ws-${this.next++}`;
    pushed.sentAt = Date.now();
    this.waiting.set(pushed.messageId, pushed);
    const frame: Frame = {
      SeqID: this.next,
      LogID: this.next,
      service: this.serviceId,
      method: DATA,
      headers: [
        { key: "type", value: "event" },
        { key: "message_id", value: pushed.messageId },
        { key: "sum", value: "1" },
        { key: "seq", value: "0" },
        { key: "trace_id", value: randomUUID() },
      ],
      payload: Buffer.from(JSON.stringify(pushed.body)),
    };
    ws.send(encodeFrame(frame));
  }

  /** From now on events are POSTed to the app's request URLs instead of the long connection. */
  postTo(urls: FeishuRequestUrls): void {
    this.requestUrls = urls;
  }

  /** 飞书's URL check when the request URL is saved: {challenge, token, type: "url_verification"}, encrypted, unsigned. */
  async verifyUrl(url: string, token = this.requestUrls?.verificationToken ?? ""): Promise<{ status: number; echoed: boolean }> {
    const challenge = randomUUID();
    const key = this.requestUrls?.encryptKey ?? "";
    const raw = JSON.stringify({ encrypt: feishuEncrypt(key, JSON.stringify({ challenge, token, type: "url_verification" })) });
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: raw });
    const body = (await res.json()) as { challenge?: unknown };
    return { status: res.status, echoed: body.challenge === challenge };
  }

  /** One POST of an event to the request URL (encrypted and signed), and the answer. */
  private async post(body: Record<string, unknown>): Promise<EventAnswer> {
    const urls = this.requestUrls!;
    const header = body.header as { event_type?: string } | undefined;
    const url = header?.event_type === "card.action.trigger" ? urls.cardUrl : urls.eventsUrl;
    const raw = JSON.stringify({ encrypt: feishuEncrypt(urls.encryptKey, JSON.stringify(body)) });
    const sentAt = Date.now();
    const res = await fetch(url, { method: "POST", headers: feishuSignedHeaders(urls.encryptKey, raw), body: raw });
    const text = await res.text();
    this.posts.push({ url, status: res.status });
    let data: EventAnswer["data"] = null;
    try {
      data = JSON.parse(text) as EventAnswer["data"];
    } catch {
      data = null;
    }
    return { code: res.status, data, ms: Date.now() - sentAt };
  }

  /** Pushes an event (schema 2.0) and resolves with the client's answer, after any redelivery; fails when none comes in 20 s. */
  deliver(body: Record<string, unknown>, options: { loseAnswer?: boolean } = {}): Promise<EventAnswer> {
    if (this.requestUrls) {
      const urls = this.requestUrls;
      const header = body.header as { token?: string } | undefined;
      if (header) header.token = urls.verificationToken;
      return (async () => {
        // 飞书 posts again when it got no 200 in time (the answer lost on the way counts the same).
        let answer = await this.post(body);
        for (let retry = 0; (options.loseAnswer && retry === 0) || (answer.code !== 200 && retry < 3); retry++) answer = await this.post(body);
        return answer;
      })();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("emulator: the client did not answer the event")), 20_000);
      this.push({ body, loseAnswer: options.loseAnswer ?? false, resolve: (answer) => (clearTimeout(timer), resolve(answer)), sentAt: 0, messageId: "" });
    });
  }

  private header(eventType: string, appId?: string) {
    return {
      event_id: randomBytes(16).toString("hex"),
      token: "",
      create_time: String(Date.now()),
      event_type: eventType,
      tenant_key: this.options.tenantKey ?? "tenant-1",
      app_id: appId ?? this.options.appId,
    };
  }

  /** A member taps a button of a card the app sent them (card.action.trigger); the answer's card replaces it. */
  async tap(message: SentFeishuMessage, buttonText: string, options: { openId?: string; appId?: string; loseAnswer?: boolean; eventId?: string } = {}): Promise<EventAnswer & { eventId: string }> {
    const button = message.card?.elements.flatMap((e) => e.actions ?? []).find((a) => a.text?.content === buttonText);
    if (!button) throw new Error(`no button ${buttonText}`);
    const header = { ...this.header("card.action.trigger", options.appId), ...(options.eventId ? { event_id: options.eventId } : {}) };
    const answer = await this.deliver(
      {
        schema: "2.0",
        header,
        event: {
          operator: { tenant_key: header.tenant_key, open_id: options.openId ?? message.receive_id, union_id: `on_${message.receive_id}` },
          token: `c-${randomBytes(8).toString("hex")}`,
          action: { value: button.value ?? {}, tag: "button" },
          host: "im_message",
          context: { open_message_id: message.message_id, open_chat_id: `oc_${message.receive_id}` },
        },
      },
      { loseAnswer: options.loseAnswer ?? false },
    );
    // Answered within 3 s with a card: 飞书 shows it in place of the tapped one.
    if (answer.ms <= 3000 && answer.data?.card?.type === "raw") message.card = answer.data.card.data;
    return { ...answer, eventId: header.event_id };
  }

  /** A member writes to the bot in their one-to-one chat (im.message.receive_v1). */
  async text(openId: string, text: string, options: { appId?: string; messageType?: string; messageId?: string; content?: Record<string, unknown> } = {}): Promise<EventAnswer> {
    const header = this.header("im.message.receive_v1", options.appId);
    return this.deliver({
      schema: "2.0",
      header,
      event: {
        sender: { sender_id: { open_id: openId, union_id: `on_${openId}` }, sender_type: "user", tenant_key: header.tenant_key },
        message: {
          message_id: options.messageId ?? `om_${randomBytes(16).toString("hex")}`,
          create_time: String(Date.now()),
          chat_id: `oc_${openId}`,
          chat_type: "p2p",
          message_type: options.messageType ?? "text",
          content: options.content ? JSON.stringify(options.content) : options.messageType && options.messageType !== "text" ? JSON.stringify({ image_key: "img_v2_x" }) : JSON.stringify({ text }),
        },
      },
    });
  }

  /** Resolves once `check` holds (what the app sends after answering), or fails after `ms`. */
  async until(check: () => boolean, ms = 3000): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error("emulator: condition not met in time");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function validCard(card: unknown): card is FeishuCard {
  const elements = (card as FeishuCard | null)?.elements;
  if (!Array.isArray(elements) || elements.length === 0) return false;
  return elements.every((element) => {
    if (typeof element?.tag !== "string") return false;
    if (element.tag === "div") return typeof element.text?.content === "string";
    if (element.tag === "action") return Array.isArray(element.actions) && element.actions.length >= 1 && element.actions.every((a) => a.tag === "button" && typeof a.text?.content === "string" && a.text.content !== "");
    if (element.tag === "note") return Array.isArray(element.elements) && element.elements.length >= 1;
    return true;
  });
}
