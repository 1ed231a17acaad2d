/**
 * A local emulator of the 企业微信 server API that Duban's adapter uses, for tests: node:http on
 * 127.0.0.1, a random port. Faithful to the developer docs where Duban depends on them:
 * - GET /cgi-bin/gettoken (corpid + corpsecret → access_token, expires_in 7200; 40013 / 40001 otherwise);
 * - POST /cgi-bin/message/send (text, template_card button_interaction: task_id, main_title,
 *   button_list of 1–6 with text and key; returns msgid and, for a card, response_code);
 * - POST /cgi-bin/message/update_template_card (a response_code works once);
 * - GET /cgi-bin/media/get (a MediaId a member's image or file message carried → the bytes with
 *   Content-Type, Content-Length and Content-disposition; 40007 for an unknown one);
 * - 42001 for an expired token, 40014 for an unknown one, 81013 for a userid not in the corp;
 * - 访问频率限制 (document/path/90454), when `limits` is given: per app and member 30 messages a
 *   minute and 1,000 an hour, the excess answered errcode 0 but dropped (不下发, counted in
 *   `dropped`), and an app-wide ceiling answered 45009 "api freq out of limit" beyond it;
 * - 网页授权 (91022/91023): GET /connect/oauth2/authorize (appid = CorpID, agentid, scope
 *   snsapi_base, a redirect_uri on `trustedDomain` when given) answers 302 to
 *   redirect_uri?code&state for the member signed in to the client (`x-emulator-member`; without
 *   one, a page asking to open it in 企业微信); GET /cgi-bin/auth/getuserinfo → userid for a
 *   member of the corp, openid for anyone else, 40029 for a code unknown, used or over 5 minutes;
 * - and, as 企业微信 does, it POSTs encrypted, signed callbacks to the app's URL (a tap on a
 *   card button, a text), built with the official @wecom/crypto.
 * Not production code.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { encrypt, getSignature } from "@wecom/crypto";
import { flatXml } from "../xml.ts";
import { LoginCodes, MEMBER_HEADER, redirectWithCode } from "../../testing/login-codes.ts";

export interface SentWecomMessage {
  msgid: string;
  touser: string;
  agentid: number;
  msgtype: string;
  text?: { content: string };
  template_card?: {
    card_type: string;
    task_id: string;
    main_title: { title: string; desc?: string };
    sub_title_text?: string;
    button_list: Array<{ text: string; key: string; style?: number }>;
  };
  responseCode: string | null;
}

export interface WecomEmulatorOptions {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  aesKey: string;
  /** Members (userids) of the corp, within the app's visible range. */
  members: string[];
  /** Enforce 企业微信's sending limits (off by default, so functional tests need no pacing). */
  limits?: {
    /** Per member: at most `count` messages in any `ms` (企业微信: 30/min, 1,000/h); beyond, dropped silently. */
    perMember: Array<{ count: number; ms: number }>;
    /** The app as a whole: at most `count` calls in any `ms`; beyond, errcode 45009. */
    app?: { count: number; ms: number };
  };
  /** Every answer comes after this long (the round trip to qyapi.weixin.qq.com); default none. */
  latencyMs?: number;
  /** The emulator's clock in ms (default Date.now): tests move it instead of waiting a minute. */
  clock?: () => number;
  /** The app's 可信域名 (网页授权): an authorize link redirecting elsewhere is refused. */
  trustedDomain?: string;
}

export class WecomEmulator {
  readonly sent: SentWecomMessage[] = [];
  readonly updates: Array<{ userids: string[]; response_code: string; button?: { replace_name: string } }> = [];
  /** Every API call, path only (the query carries the secret or the token). */
  readonly calls: string[] = [];
  tokenFetches = 0;
  /** Messages answered errcode 0 but not delivered: over a member's limit (they are not in `sent`). */
  readonly dropped: Array<{ touser: string; at: number }> = [];
  /** Calls answered 45009 (over the app-wide limit). */
  tooMany = 0;
  /** When each member received each delivered message (the emulator's clock). */
  readonly deliveredAt = new Map<string, number[]>();
  private readonly memberSet: Set<string>;
  private readonly taskIds = new Set<string>();
  private readonly appCalls: number[] = [];
  private tokens = new Map<string, { expired: boolean }>();
  private responseCodes = new Map<string, { used: boolean }>();
  private mediaStore = new Map<string, { bytes: Buffer; contentType: string; fileName: string }>();
  private failures: Array<{ path: string; errcode: number; errmsg: string }> = [];
  private server: Server | null = null;
  private next = 1;
  url = "";
  /** The codes 网页授权 hands out. */
  readonly logins: LoginCodes;

  constructor(readonly options: WecomEmulatorOptions) {
    this.memberSet = new Set(options.members);
    this.logins = new LoginCodes(() => this.now());
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (!address || typeof address === "string") throw new Error("emulator has no port");
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Every access_token issued so far expires (企业微信 may expire one before expires_in). */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expired = true;
  }

  /** The next call to `path` answers this errcode (45009 接口调用超过限制 …) instead. */
  failNext(path: string, errcode: number, errmsg: string): void {
    this.failures.push({ path, errcode, errmsg });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    this.calls.push(url.pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = (body: Record<string, unknown>) => {
      const write = () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (this.options.latencyMs) setTimeout(write, this.options.latencyMs);
      else write();
    };
    if (url.pathname === "/cgi-bin/gettoken") {
      if (url.searchParams.get("corpid") !== this.options.corpId) return answer({ errcode: 40013, errmsg: "invalid corpid" });
      if (url.searchParams.get("corpsecret") !== this.options.secret) return answer({ errcode: 40001, errmsg: "invalid credential" });
      const token = `tok-${randomBytes(8).toString("hex")}`;
      this.tokens.set(token, { expired: false });
      this.tokenFetches++;
      return answer({ errcode: 0, errmsg: "ok", access_token: token, expires_in: 7200 });
    }
    if (url.pathname === "/connect/oauth2/authorize" && req.method === "GET") return this.authorize(url, req, res);
    const token = this.tokens.get(url.searchParams.get("access_token") ?? "");
    if (!token) return answer({ errcode: 40014, errmsg: "invalid access_token" });
    if (token.expired) return answer({ errcode: 42001, errmsg: "access_token expired" });
    const failure = this.failures.findIndex((f) => f.path === url.pathname);
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return answer({ errcode: f!.errcode, errmsg: f!.errmsg });
    }
    if (url.pathname === "/cgi-bin/media/get" && req.method === "GET") {
      const media = this.mediaStore.get(url.searchParams.get("media_id") ?? "");
      if (!media) return answer({ errcode: 40007, errmsg: "invalid media_id" });
      res.writeHead(200, {
        "content-type": media.contentType,
        "content-length": String(media.bytes.byteLength),
        "content-disposition": `attachment; filename="${media.fileName.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(media.fileName)}`,
      });
      res.end(media.bytes);
      return;
    }
    if (url.pathname === "/cgi-bin/auth/getuserinfo" && req.method === "GET") return answer(this.userInfo(url.searchParams.get("code") ?? ""));
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    } catch {
      return answer({ errcode: 47001, errmsg: "data format error" });
    }
    if (body.agentid !== this.options.agentId) return answer({ errcode: 40056, errmsg: "invalid agentid" });
    const app = this.options.limits?.app;
    if (app) {
      const now = this.now();
      while (this.appCalls.length > 0 && this.appCalls[0]! <= now - app.ms) this.appCalls.shift();
      if (this.appCalls.length >= app.count) {
        this.tooMany++;
        return answer({ errcode: 45009, errmsg: "api freq out of limit" });
      }
      this.appCalls.push(now);
    }
    if (url.pathname === "/cgi-bin/message/send") return answer(this.send(body));
    if (url.pathname === "/cgi-bin/message/update_template_card") return answer(this.update(body));
    res.writeHead(404).end();
  }

  private send(body: Record<string, unknown>): Record<string, unknown> {
    const touser = String(body.touser ?? "");
    if (!this.memberSet.has(touser)) return { errcode: 81013, errmsg: "user & party & tag all invalid", invaliduser: touser };
    const msgtype = String(body.msgtype);
    let responseCode: string | null = null;
    if (msgtype === "template_card") {
      const card = body.template_card as SentWecomMessage["template_card"] | undefined;
      const buttons = card?.button_list ?? [];
      const valid =
        card?.card_type === "button_interaction" &&
        /^[A-Za-z0-9_\-@]{1,128}$/.test(card.task_id ?? "") &&
        !!card.main_title?.title &&
        buttons.length >= 1 &&
        buttons.length <= 6 &&
        buttons.every((b) => b.text && b.key && Buffer.byteLength(b.key) <= 1024);
      if (!valid) return { errcode: 40058, errmsg: "invalid template_card" };
      if (this.taskIds.has(card.task_id)) return { errcode: 40058, errmsg: "task_id exists" };
      this.taskIds.add(card.task_id);
      responseCode = this.newResponseCode();
    } else if (msgtype === "text") {
      const content = (body.text as { content?: string } | undefined)?.content ?? "";
      if (!content || Buffer.byteLength(content) > 2048) return { errcode: 44004, errmsg: "empty or too long content" };
    } else {
      return { errcode: 40008, errmsg: "invalid message type" };
    }
    const msgid = `msg${this.next++}`;
    // Over a member's limit 企业微信 still answers ok, and the message never arrives.
    const now = this.now();
    const times = this.deliveredAt.get(touser) ?? [];
    if (this.options.limits?.perMember.some((w) => times.filter((t) => t > now - w.ms).length >= w.count)) {
      this.dropped.push({ touser, at: now });
      return { errcode: 0, errmsg: "ok", invaliduser: "", msgid, ...(responseCode ? { response_code: responseCode } : {}) };
    }
    times.push(now);
    this.deliveredAt.set(touser, times);
    this.sent.push({ ...(body as unknown as SentWecomMessage), msgid, responseCode });
    return { errcode: 0, errmsg: "ok", invaliduser: "", msgid, ...(responseCode ? { response_code: responseCode } : {}) };
  }

  /** 构造网页授权链接, as the client follows it: a code for the signed-in member, back to redirect_uri. */
  private authorize(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const page = (text: string): void => void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<p>${text}</p>`);
    const q = (name: string) => url.searchParams.get(name) ?? "";
    if (q("appid") !== this.options.corpId) return page("参数错误：appid");
    if (q("agentid") !== String(this.options.agentId)) return page("参数错误：agentid");
    if (q("response_type") !== "code" || q("scope") !== "snsapi_base") return page("参数错误：scope");
    if (!/^[A-Za-z0-9]{0,128}$/.test(q("state"))) return page("参数错误：state");
    const redirect = URL.canParse(q("redirect_uri")) ? new URL(q("redirect_uri")) : null;
    if (!redirect || (this.options.trustedDomain && redirect.host !== this.options.trustedDomain)) return page("redirect_uri 需使用应用可信域名 (50001)");
    const member = req.headers[MEMBER_HEADER];
    if (typeof member !== "string" || member === "") return page("请在企业微信客户端打开链接");
    const code = this.logins.issue(member, redirect.toString());
    res.writeHead(302, { location: redirectWithCode(redirect.toString(), { code, state: q("state") }) }).end();
  }

  /** 获取访问用户身份: a code works once, for 5 minutes. */
  private userInfo(code: string): Record<string, unknown> {
    const redeemed = this.logins.redeem(code);
    if (!redeemed.ok) return { errcode: 40029, errmsg: "invalid code" };
    if (this.memberSet.has(redeemed.member)) return { errcode: 0, errmsg: "ok", userid: redeemed.member };
    return { errcode: 0, errmsg: "ok", openid: `o-${Buffer.from(redeemed.member).toString("hex")}` };
  }

  private update(body: Record<string, unknown>): Record<string, unknown> {
    const code = this.responseCodes.get(String(body.response_code ?? ""));
    if (!code || code.used) return { errcode: 40058, errmsg: "invalid response_code" };
    code.used = true;
    this.updates.push(body as unknown as WecomEmulator["updates"][number]);
    return { errcode: 0, errmsg: "ok" };
  }

  private newResponseCode(): string {
    const code = `rc-${randomBytes(8).toString("hex")}`;
    this.responseCodes.set(code, { used: false });
    return code;
  }

  /** POSTs a callback to the app's URL as 企业微信 does: the plaintext XML encrypted and signed. */
  async postCallback(callbackUrl: string, plain: Record<string, string | number>, tamper?: { signature?: string; corpId?: string }): Promise<Response> {
    const ciphertext = encrypt(this.options.aesKey, flatXml(plain), tamper?.corpId ?? this.options.corpId);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(6).toString("hex");
    const url = new URL(callbackUrl);
    url.searchParams.set("msg_signature", tamper?.signature ?? getSignature(this.options.token, timestamp, nonce, ciphertext));
    url.searchParams.set("timestamp", timestamp);
    url.searchParams.set("nonce", nonce);
    const envelope = flatXml({ ToUserName: this.options.corpId, AgentID: String(this.options.agentId), Encrypt: ciphertext });
    return fetch(url, { method: "POST", headers: { "content-type": "text/xml" }, body: envelope });
  }

  /** A member taps a button of a card the app sent them (template_card_event, with a new response_code). */
  async tap(callbackUrl: string, message: SentWecomMessage, buttonText: string, options: { createTime?: number; tamper?: { signature?: string; corpId?: string } } = {}): Promise<Response> {
    const button = message.template_card?.button_list.find((b) => b.text === buttonText);
    if (!button) throw new Error(`no button ${buttonText}`);
    return this.postCallback(
      callbackUrl,
      {
        ToUserName: this.options.corpId,
        FromUserName: message.touser,
        CreateTime: options.createTime ?? Math.floor(Date.now() / 1000),
        MsgType: "event",
        Event: "template_card_event",
        EventKey: button.key,
        TaskId: message.template_card!.task_id,
        CardType: "button_interaction",
        ResponseCode: this.newResponseCode(),
        AgentID: this.options.agentId,
      },
      options.tamper,
    );
  }

  /** A member sends the app a text message. */
  async text(callbackUrl: string, userId: string, content: string): Promise<Response> {
    return this.postCallback(callbackUrl, {
      ToUserName: this.options.corpId,
      FromUserName: userId,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: "text",
      Content: content,
      MsgId: String(Date.now()) + String(this.next++),
      AgentID: this.options.agentId,
    });
  }

  /** A file a member sends the app: kept for media/get under a new MediaId. */
  addMedia(bytes: Uint8Array, contentType: string, fileName: string): string {
    const mediaId = `media-${randomBytes(12).toString("hex")}`;
    this.mediaStore.set(mediaId, { bytes: Buffer.from(bytes), contentType, fileName });
    return mediaId;
  }

  /** A member sends the app a picture (图片消息: PicUrl and MediaId) or a file (MediaId, FileName). */
  async media(callbackUrl: string, userId: string, kind: "image" | "file", mediaId: string, fileName?: string): Promise<Response> {
    return this.postCallback(callbackUrl, {
      ToUserName: this.options.corpId,
      FromUserName: userId,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: kind,
      ...(kind === "image" ? { PicUrl: `${this.url}/pic/${mediaId}` } : { FileName: fileName ?? "file" }),
      MediaId: mediaId,
      MsgId: String(Date.now()) + String(this.next++),
      AgentID: this.options.agentId,
    });
  }

  /** 验证URL有效性: the GET 企业微信 sends when the admin saves the callback URL; returns the app's answer. */
  async verifyUrl(callbackUrl: string, echo: string): Promise<Response> {
    const echostr = encrypt(this.options.aesKey, echo, this.options.corpId);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(6).toString("hex");
    const url = new URL(callbackUrl);
    url.searchParams.set("msg_signature", getSignature(this.options.token, timestamp, nonce, echostr));
    url.searchParams.set("timestamp", timestamp);
    url.searchParams.set("nonce", nonce);
    url.searchParams.set("echostr", echostr);
    return fetch(url);
  }
}
