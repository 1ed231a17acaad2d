/**
 * A local emulator of the 钉钉 OpenAPI and Stream mode that Duban's adapter uses, for tests:
 * node:http plus a `ws` WebSocket server on 127.0.0.1, a random port. Faithful to the developer
 * docs where Duban depends on them:
 * - POST /v1.0/oauth2/accessToken ({appKey, appSecret} → {accessToken, expireIn: 7200}; a wrong
 *   pair: 400 invalidClientIdOrSecret);
 * - every other call needs `x-acs-dingtalk-access-token`: 401 InvalidAuthentication otherwise
 *   (also for a token expired early), 403 Forbidden.AccessDenied.QpsLimitForApi when told to throttle
 *   or, with `limits`, beyond the app's calls per second (标准版: 20 QPS per app and API);
 * - with `limits.identicalOncePerDay`, the same content to the same member again on one day is
 *   answered success and not delivered (工作通知's rule; counted in `dropped`);
 * - POST /v1.0/im/v1.0/robot/interactiveCards/send (robotCode, cardTemplateId, a unique cardBizId,
 *   singleChatReceiver JSON with a userId of the organisation, cardData JSON; → {processQueryKey});
 * - PUT /v1.0/im/robots/interactiveCards (cardBizId of a sent card, cardData JSON);
 * - POST /v1.0/robot/oToMessages/batchSend (robotCode, 1–20 userIds, msgKey sampleText, msgParam
 *   JSON with content; → {processQueryKey, invalidStaffIdList, flowControlledStaffIdList}: 200
 *   also for userIds it did not deliver to);
 * - POST /v1.0/robot/messageFiles/download (获取机器人消息中文件下载链接: robotCode + the downloadCode
 *   of a picture or file a member sent → {downloadUrl}); the link is temporary and signed, fetched
 *   without the token: the bytes with Content-Type, Content-Length and Content-Disposition; an
 *   unknown or expired link answers 403 AccessDenied (an OSS XML error);
 * - Stream mode: POST /v1.0/gateway/connections/open (clientId, clientSecret, subscriptions →
 *   {endpoint, ticket}); a WebSocket at endpoint?ticket= (a ticket works once); CALLBACK frames
 *   {specVersion, type, headers: {appId, connectionId, contentType, messageId, time, topic}, data}
 *   for a member's message to the robot and a tap on a card's request button; a frame not acked
 *   ({code: 200, headers: {messageId}}) in time is pushed again, as 钉钉 does.
 * - 登录 (OAuth 2.0): GET /oauth2/auth (client_id, response_type code, scope openid, redirect_uri)
 *   answers 302 to redirect_uri?authCode&state for the member signed in to the client
 *   (`x-emulator-member`); POST /v1.0/oauth2/userAccessToken (clientId, clientSecret, code, grantType
 *   → {accessToken, expireIn}; 400 for a code unknown, used or over 5 minutes); GET
 *   /v1.0/contact/users/me with that user token (→ {nick, unionId, openId}); and, as oapi.dingtalk.com,
 *   POST /topapi/user/getbyunionid?access_token (→ {errcode: 0, result: {userid}}; 60121 for someone
 *   outside the organisation).
 * Not production code.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { LoginCodes, MEMBER_HEADER, redirectWithCode } from "../../testing/login-codes.ts";

export interface SentDingtalkCard {
  cardBizId: string;
  userId: string;
  robotCode: string;
  card: { header: { title: { text: string } }; contents: Array<{ type: string; id: string; text?: string; actions?: Array<{ id: string; actionType: string; label: { text: string } }> }> };
}

export interface SentDingtalkText {
  userId: string;
  content: string;
  processQueryKey: string;
}

export interface DingtalkEmulatorOptions {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  corpId: string;
  /** userIds of the organisation's members. */
  members: string[];
  /** How long a pushed frame waits for its ack before it is pushed again. */
  ackTimeoutMs?: number;
  /** Enforce 钉钉's limits (off by default, so functional tests need no pacing). */
  limits?: {
    /** At most `count` API calls in any `ms` (the app's QPS); beyond, 403 Forbidden.AccessDenied.QpsLimitForApi. */
    app: { count: number; ms: number };
    identicalOncePerDay?: boolean;
  };
  /** Every answer waits this long (the round trip to 钉钉); default none. */
  latencyMs?: number;
}

export interface PushedFrame {
  specVersion: "1.0";
  type: "CALLBACK";
  headers: { appId: string; connectionId: string; contentType: "application/json"; messageId: string; time: string; topic: string };
  data: string;
}

const TOPIC_ROBOT = "/v1.0/im/bot/messages/get";
const TOPIC_CARD = "/v1.0/card/instances/callback";

export class DingtalkEmulator {
  readonly cards: SentDingtalkCard[] = [];
  readonly texts: SentDingtalkText[] = [];
  readonly updates: Array<{ cardBizId: string; card: SentDingtalkCard["card"] }> = [];
  /** Every API call, method and path (no header or body: they carry the token or the secret). */
  readonly calls: string[] = [];
  /** Each frame pushed, and how many times (pushed again while not acked). */
  readonly deliveries = new Map<string, number>();
  tokenFetches = 0;
  /** Calls refused for the app's QPS (with `limits`). */
  tooMany = 0;
  /** Messages answered success but not delivered (the same content to a member again the same day). */
  readonly dropped: Array<{ userId: string; content: string }> = [];
  /** What the last connection subscribed to ("CALLBACK /v1.0/im/bot/messages/get", …). */
  subscriptions: string[] = [];
  url = "";
  private tokens = new Map<string, { expired: boolean }>();
  private tickets = new Set<string>();
  private failures: Array<{ path: string; status: number; code: string; message: string }> = [];
  private flowControlled = new Set<string>();
  private appCalls: number[] = [];
  private contentToday = new Set<string>();
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private socket: WebSocket | null = null;
  private waiting = new Map<string, { frame: PushedFrame; resolve: (ack: unknown) => void; timer: NodeJS.Timeout }>();
  private next = 1;
  /** The authCodes 登录 hands out, and the user tokens they were exchanged for (token → member). */
  readonly logins = new LoginCodes();
  private userTokens = new Map<string, string>();
  private files = new Map<string, { bytes: Uint8Array; contentType: string; fileName: string | null }>();
  private links = new Map<string, { downloadCode: string; expiresAt: number }>();
  /** How long a download link works (钉钉's are temporary). */
  linkTtlMs = 60 * 60 * 1000;

  constructor(readonly options: DingtalkEmulatorOptions) {}

  /** A file a member is about to send the robot; returns its downloadCode. */
  addFile(bytes: Uint8Array, contentType: string, fileName: string | null = null): string {
    const downloadCode = `dc${randomBytes(24).toString("base64url")}`;
    this.files.set(downloadCode, { bytes, contentType, fileName });
    return downloadCode;
  }

  /** A member sends the robot a picture or a file (机器人接收消息 msgtype picture / file, content with its downloadCode). */
  userSendsFile(userId: string, file: { msgtype: "picture" | "file"; downloadCode: string; fileName?: string }): { data: Record<string, unknown>; messageId: string; acked: Promise<unknown> } {
    const content = file.msgtype === "picture" ? { downloadCode: file.downloadCode, pictureDownloadCode: `p${file.downloadCode}` } : { downloadCode: file.downloadCode, fileName: file.fileName ?? "file", fileId: `f${this.next++}`, spaceId: "space-1" };
    return this.userSends(userId, "", { message: { msgtype: file.msgtype, content } });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://emulator");
      const ticket = url.searchParams.get("ticket") ?? "";
      if (url.pathname !== "/connect" || !this.tickets.delete(ticket)) {
        socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
        return;
      }
      this.wss!.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (!address || typeof address === "string") throw new Error("emulator has no port");
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    for (const client of this.wss?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Resolves once a client holds the Stream connection. */
  async connected(timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.socket || this.socket.readyState !== 1) {
      if (Date.now() > until) throw new Error("no Stream connection");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Every access token issued so far is refused from now on (as one 钉钉 revoked early). */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expired = true;
  }

  /** The next call to `path` answers this instead (403 Forbidden.AccessDenied.QpsLimitForApi …). */
  failNext(path: string, status: number, code: string, message: string): void {
    this.failures.push({ path, status, code, message });
  }

  /** batchSend names this member in flowControlledStaffIdList (and delivers nothing to them) until told otherwise. */
  setFlowControlled(userId: string, on: boolean): void {
    if (on) this.flowControlled.add(userId);
    else this.flowControlled.delete(userId);
  }

  /** The app's calls in the last `limits.app.ms` (a sliding window, as the platform counts). */
  private withinAppRate(): boolean {
    const limit = this.options.limits?.app;
    if (!limit) return true;
    const now = Date.now();
    while (this.appCalls.length > 0 && this.appCalls[0]! <= now - limit.ms) this.appCalls.shift();
    if (this.appCalls.length >= limit.count) return false;
    this.appCalls.push(now);
    return true;
  }

  /** True (and counted as dropped) when this member already got this content today (Asia/Shanghai day). */
  private droppedAsRepeat(userId: string, content: string): boolean {
    if (!this.options.limits?.identicalOncePerDay) return false;
    const key = `${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)}|${userId}|${content}`;
    if (this.contentToday.has(key)) {
      this.dropped.push({ userId, content });
      return true;
    }
    this.contentToday.add(key);
    return false;
  }

  private accept(ws: WebSocket): void {
    this.socket = ws;
    ws.on("message", (raw) => {
      let ack: { code?: unknown; headers?: { messageId?: unknown }; data?: unknown };
      try {
        ack = JSON.parse(String(raw)) as typeof ack;
      } catch {
        return;
      }
      const messageId = typeof ack.headers?.messageId === "string" ? ack.headers.messageId : "";
      const waiting = this.waiting.get(messageId);
      if (!waiting || ack.code !== 200) return;
      clearTimeout(waiting.timer);
      this.waiting.delete(messageId);
      waiting.resolve(ack);
    });
    ws.on("close", () => {
      if (this.socket === ws) this.socket = null;
    });
  }

  /**
   * Pushes a CALLBACK frame and resolves with the client's ack; while not acked it is pushed
   * again every ackTimeoutMs (as 钉钉 does), up to `tries` times, then rejects.
   */
  push(topic: string, data: Record<string, unknown>, options: { messageId?: string; tries?: number } = {}): Promise<unknown> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error("no Stream connection"));
    const messageId = options.messageId ?? `msg-${randomBytes(8).toString("hex")}`;
    const frame: PushedFrame = {
      specVersion: "1.0",
      type: "CALLBACK",
      headers: { appId: this.options.clientId, connectionId: "conn-1", contentType: "application/json", messageId, time: String(Date.now()), topic },
      data: JSON.stringify(data),
    };
    const tries = options.tries ?? 3;
    return new Promise((resolve, reject) => {
      const send = (left: number) => {
        this.deliveries.set(messageId, (this.deliveries.get(messageId) ?? 0) + 1);
        socket.send(JSON.stringify(frame));
        const timer = setTimeout(() => {
          if (left > 1) send(left - 1);
          else {
            this.waiting.delete(messageId);
            reject(new Error(`frame ${messageId} not acked`));
          }
        }, this.options.ackTimeoutMs ?? 2000);
        this.waiting.set(messageId, { frame, resolve, timer });
      };
      send(tries);
    });
  }

  /** A member (or someone from another organisation: `corpId`) writes to the robot in their 1-on-1 chat. */
  userSends(userId: string, content: string, options: { corpId?: string; msgId?: string; message?: { msgtype: string; content: Record<string, unknown> } } = {}): { data: Record<string, unknown>; messageId: string; acked: Promise<unknown> } {
    const corpId = options.corpId ?? this.options.corpId;
    const foreign = corpId !== this.options.corpId;
    const data = {
      conversationId: `cid-${userId}`,
      chatbotCorpId: this.options.corpId,
      chatbotUserId: "$:LWCP_v1:$robot",
      msgId: options.msgId ?? `msg${randomBytes(6).toString("hex")}`,
      senderNick: userId,
      isAdmin: false,
      // 钉钉 gives the staffId only for members of the robot's organisation.
      ...(foreign ? {} : { senderStaffId: userId }),
      sessionWebhookExpiredTime: Date.now() + 90 * 60 * 1000,
      createAt: Date.now(),
      senderCorpId: corpId,
      conversationType: "1",
      senderId: `$:LWCP_v1:$${userId}`,
      sessionWebhook: `${this.url}/robot/sendBySession?session=${randomBytes(4).toString("hex")}`,
      robotCode: this.options.robotCode,
      ...(options.message ?? { msgtype: "text", text: { content } }),
    };
    const messageId = `msg-${randomBytes(8).toString("hex")}`;
    return { data, messageId, acked: this.push(TOPIC_ROBOT, data, { messageId }) };
  }

  /** A member taps a request button of a card the robot sent them (卡片回调, actionIds: the button's id). */
  tap(card: SentDingtalkCard, buttonText: string, options: { userId?: string } = {}): { data: Record<string, unknown>; acked: Promise<unknown> } {
    const button = card.card.contents.flatMap((c) => c.actions ?? []).find((a) => a.label.text === buttonText);
    if (!button) throw new Error(`no button ${buttonText}`);
    const value = JSON.stringify({ cardPrivateData: { actionIds: [button.id], params: {} } });
    const data = {
      extension: "{}",
      corpId: this.options.corpId,
      spaceType: "IM",
      userIdType: 1,
      type: "actionCallback",
      userId: options.userId ?? card.userId,
      content: value,
      spaceId: "",
      outTrackId: card.cardBizId,
      value,
    };
    return { data, acked: this.push(TOPIC_CARD, data) };
  }

  /** The same event pushed again under a new messageId, as 钉钉 may after a reconnect. */
  replay(topic: "robot" | "card", data: Record<string, unknown>): Promise<unknown> {
    return this.push(topic === "robot" ? TOPIC_ROBOT : TOPIC_CARD, data);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    this.calls.push(`${req.method} ${url.pathname}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = (status: number, body: Record<string, unknown>) => {
      const write = () => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (this.options.latencyMs) setTimeout(write, this.options.latencyMs);
      else write();
    };
    const error = (status: number, code: string, message: string) => answer(status, { code, message, requestid: randomBytes(8).toString("hex") });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      return error(400, "MissingBody", "请求体不是合法的 JSON");
    }
    if (req.method === "POST" && url.pathname === "/v1.0/oauth2/accessToken") {
      if (body.appKey !== this.options.clientId || body.appSecret !== this.options.clientSecret) return error(400, "invalidClientIdOrSecret", "无效的clientId或者clientSecret");
      const token = `tok-${randomBytes(8).toString("hex")}`;
      this.tokens.set(token, { expired: false });
      this.tokenFetches++;
      return answer(200, { accessToken: token, expireIn: 7200 });
    }
    if (req.method === "POST" && url.pathname === "/v1.0/gateway/connections/open") {
      if (body.clientId !== this.options.clientId || body.clientSecret !== this.options.clientSecret) return error(401, "InvalidAuthentication", "clientId or clientSecret invalid");
      const subscriptions = Array.isArray(body.subscriptions) ? (body.subscriptions as Array<{ type?: unknown; topic?: unknown }>) : [];
      if (!subscriptions.some((s) => s.type === "CALLBACK" && s.topic === TOPIC_ROBOT)) return error(400, "InvalidParameter", "subscriptions missing");
      this.subscriptions = subscriptions.map((s) => `${String(s.type)} ${String(s.topic)}`);
      const ticket = randomBytes(12).toString("hex");
      this.tickets.add(ticket);
      return answer(200, { endpoint: `${this.url.replace("http", "ws")}/connect`, ticket });
    }
    if (this.login(req, url, body, res, answer, error)) return;
    // The temporary download link: signed in its query, no token.
    if (req.method === "GET" && url.pathname.startsWith("/download/")) return this.download(url, res);
    const token = this.tokens.get(String(req.headers["x-acs-dingtalk-access-token"] ?? ""));
    if (!token || token.expired) return error(401, "InvalidAuthentication", "不合法的access_token");
    const failure = this.failures.findIndex((f) => f.path === url.pathname);
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return error(f!.status, f!.code, f!.message);
    }
    if (!this.withinAppRate()) {
      this.tooMany++;
      return error(403, "Forbidden.AccessDenied.QpsLimitForApi", "调用频率超过限制");
    }
    if (req.method === "POST" && url.pathname === "/v1.0/im/v1.0/robot/interactiveCards/send") return this.sendCard(body, error, answer);
    if (req.method === "PUT" && url.pathname === "/v1.0/im/robots/interactiveCards") return this.updateCard(body, error, answer);
    if (req.method === "POST" && url.pathname === "/v1.0/robot/oToMessages/batchSend") return this.batchSend(body, error, answer);
    if (req.method === "POST" && url.pathname === "/v1.0/robot/messageFiles/download") return this.downloadLink(body, error, answer);
    return error(404, "NotFound", "the API does not exist");
  }

  /** The login's routes (authorize page, user token, the user's own profile, userid by unionId); true when it answered. */
  private login(req: IncomingMessage, url: URL, body: Record<string, unknown>, res: ServerResponse, answer: (s: number, b: Record<string, unknown>) => void, error: (s: number, c: string, m: string) => void): boolean {
    const unionOf = (member: string) => `union-${Buffer.from(member).toString("hex")}`;
    if (req.method === "GET" && url.pathname === "/oauth2/auth") {
      const q = (name: string) => url.searchParams.get(name) ?? "";
      const page = (text: string) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<p>${text}</p>`);
      const member = req.headers[MEMBER_HEADER];
      if (q("client_id") !== this.options.clientId) page("应用不存在");
      else if (q("response_type") !== "code" || !q("scope").split(/\s+/).includes("openid") || !URL.canParse(q("redirect_uri"))) page("参数错误");
      else if (typeof member !== "string" || member === "") page("请使用钉钉扫码登录");
      else res.writeHead(302, { location: redirectWithCode(q("redirect_uri"), { authCode: this.logins.issue(member, q("redirect_uri")), state: q("state") }) }).end();
      return true;
    }
    if (req.method === "POST" && url.pathname === "/v1.0/oauth2/userAccessToken") {
      if (body.clientId !== this.options.clientId || body.clientSecret !== this.options.clientSecret) error(400, "invalidClientIdOrSecret", "无效的clientId或者clientSecret");
      else if (body.grantType !== "authorization_code") error(400, "invalidParameter.grantType", "grantType 不合法");
      else {
        const redeemed = this.logins.redeem(String(body.code ?? ""));
        if (!redeemed.ok) error(400, "invalidAuthCode", `authCode ${redeemed.why}`);
        else {
          const userToken = `utok-${randomBytes(8).toString("hex")}`;
          this.userTokens.set(userToken, redeemed.member);
          answer(200, { accessToken: userToken, refreshToken: `r-${randomBytes(8).toString("hex")}`, expireIn: 7200, corpId: this.options.corpId });
        }
      }
      return true;
    }
    if (req.method === "GET" && url.pathname === "/v1.0/contact/users/me") {
      const member = this.userTokens.get(String(req.headers["x-acs-dingtalk-access-token"] ?? ""));
      if (member === undefined) error(401, "InvalidAuthentication", "不合法的access_token");
      else answer(200, { nick: member, unionId: unionOf(member), openId: `open-${member}`, stateCode: "86" });
      return true;
    }
    if (req.method === "POST" && url.pathname === "/topapi/user/getbyunionid") {
      const token = this.tokens.get(url.searchParams.get("access_token") ?? "");
      const member = this.options.members.find((m) => unionOf(m) === body.unionid);
      if (!token || token.expired) answer(200, { errcode: 40014, errmsg: "不合法的access_token" });
      else if (member === undefined) answer(200, { errcode: 60121, errmsg: "找不到该用户" });
      else answer(200, { errcode: 0, errmsg: "ok", result: { contact_type: 0, userid: member }, request_id: randomBytes(6).toString("hex") });
      return true;
    }
    return false;
  }

  private downloadLink(body: Record<string, unknown>, error: (s: number, c: string, m: string) => void, answer: (s: number, b: Record<string, unknown>) => void): void {
    if (body.robotCode !== this.options.robotCode) return error(400, "robot.notExist", "机器人不存在");
    const downloadCode = typeof body.downloadCode === "string" ? body.downloadCode : "";
    if (!downloadCode) return error(400, "MissingdownloadCode", "downloadCode is mandatory for this action.");
    if (!this.files.has(downloadCode)) return error(400, "InvalidParameter.downloadCode", "downloadCode 无效或已过期");
    const signature = randomBytes(16).toString("hex");
    const expiresAt = Date.now() + this.linkTtlMs;
    this.links.set(signature, { downloadCode, expiresAt });
    answer(200, { downloadUrl: `${this.url}/download/${signature.slice(0, 8)}?Expires=${Math.floor(expiresAt / 1000)}&OSSAccessKeyId=emulator&Signature=${signature}` });
  }

  private download(url: URL, res: ServerResponse): void {
    const link = this.links.get(url.searchParams.get("Signature") ?? "");
    const file = link && link.expiresAt > Date.now() ? this.files.get(link.downloadCode) : undefined;
    if (!file) {
      res.writeHead(403, { "content-type": "application/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired.</Message></Error>`);
      return;
    }
    res.writeHead(200, {
      "content-type": file.contentType,
      "content-length": String(file.bytes.byteLength),
      ...(file.fileName ? { "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}` } : {}),
    });
    res.end(file.bytes);
  }

  private sendCard(body: Record<string, unknown>, error: (s: number, c: string, m: string) => void, answer: (s: number, b: Record<string, unknown>) => void): void {
    if (body.robotCode !== this.options.robotCode) return error(400, "robot.notExist", "机器人不存在");
    if (body.cardTemplateId !== "StandardCard") return error(400, "InvalidParameter.cardTemplateId", "模板不存在");
    const cardBizId = String(body.cardBizId ?? "");
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(cardBizId)) return error(400, "InvalidParameter.cardBizId", "cardBizId 不合法");
    if (this.cards.some((c) => c.cardBizId === cardBizId)) return error(400, "InvalidParameter.cardBizId", "cardBizId 重复");
    const receiver = parse(body.singleChatReceiver) as { userId?: unknown } | null;
    const userId = typeof receiver?.userId === "string" ? receiver.userId : "";
    if (!this.options.members.includes(userId)) return error(400, "InvalidParameter.singleChatReceiver", "接收人不存在");
    const card = parse(body.cardData) as SentDingtalkCard["card"] | null;
    if (!validCard(card)) return error(400, "InvalidParameter.cardData", "cardData 不合法");
    if (this.droppedAsRepeat(userId, String(body.cardData))) return answer(200, { processQueryKey: `pqk-${this.next++}` });
    this.cards.push({ cardBizId, userId, robotCode: String(body.robotCode), card });
    answer(200, { processQueryKey: `pqk-${this.next++}` });
  }

  private updateCard(body: Record<string, unknown>, error: (s: number, c: string, m: string) => void, answer: (s: number, b: Record<string, unknown>) => void): void {
    const cardBizId = String(body.cardBizId ?? "");
    if (!this.cards.some((c) => c.cardBizId === cardBizId)) return error(400, "InvalidParameter.cardBizId", "卡片不存在");
    const card = parse(body.cardData) as SentDingtalkCard["card"] | null;
    if (!validCard(card)) return error(400, "InvalidParameter.cardData", "cardData 不合法");
    this.updates.push({ cardBizId, card });
    answer(200, { success: true, result: true });
  }

  private batchSend(body: Record<string, unknown>, error: (s: number, c: string, m: string) => void, answer: (s: number, b: Record<string, unknown>) => void): void {
    if (body.robotCode !== this.options.robotCode) return error(400, "robot.notExist", "机器人不存在");
    const userIds = Array.isArray(body.userIds) ? body.userIds.filter((u): u is string => typeof u === "string") : [];
    if (userIds.length < 1 || userIds.length > 20) return error(400, "InvalidParameter.userIds", "userIds 数量须为 1–20");
    if (body.msgKey !== "sampleText") return error(400, "InvalidParameter.msgKey", "不支持的 msgKey");
    const content = (parse(body.msgParam) as { content?: unknown } | null)?.content;
    if (typeof content !== "string" || content === "") return error(400, "InvalidParameter.msgParam", "msgParam 不合法");
    const processQueryKey = `pqk-${this.next++}`;
    const invalid = userIds.filter((u) => !this.options.members.includes(u));
    const limited = userIds.filter((u) => this.flowControlled.has(u) && !invalid.includes(u));
    for (const userId of userIds) if (!invalid.includes(userId) && !limited.includes(userId) && !this.droppedAsRepeat(userId, content)) this.texts.push({ userId, content, processQueryKey });
    answer(200, { processQueryKey, invalidStaffIdList: invalid, flowControlledStaffIdList: limited });
  }
}

function parse(text: unknown): unknown {
  if (typeof text !== "string") return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function validCard(card: SentDingtalkCard["card"] | null): card is SentDingtalkCard["card"] {
  if (!card || typeof card.header?.title?.text !== "string" || !Array.isArray(card.contents)) return false;
  const actions = card.contents.flatMap((c) => c.actions ?? []);
  // Request buttons need an id: it is what the callback names; ids are unique within the card.
  return actions.every((a) => typeof a.id === "string" && a.id !== "" && typeof a.label?.text === "string") && new Set(actions.map((a) => a.id)).size === actions.length;
}
