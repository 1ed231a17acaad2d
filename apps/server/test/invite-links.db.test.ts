// Invitation links for 企业微信, 钉钉 and 飞书, end to end over HTTP: the office invites through the
// console API; the member opens the link in the platform's client (its emulator's authorize page,
// which redirects with a one-time code); the server's /join/<channel> exchanges the code through
// the platform's API (the emulator), binds by the invitation rules and greets the member in chat.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, SESSION_COOKIE } from "@duban/core/auth/session";
import { inviteState } from "@duban/core/invites/channel-invite-link";
import { createInvite } from "@duban/core/invites/create-invite";
import { revokeInvite } from "@duban/core/invites/revoke-invite";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createServerApp } from "../src/app.ts";
import type { ChannelLogin } from "../src/channels/channel-login.ts";
import { DingtalkApi } from "../src/channels/dingtalk/api.ts";
import { DingtalkMessenger } from "../src/channels/dingtalk/messenger.ts";
import { dingtalkLogin } from "../src/channels/dingtalk/oauth.ts";
import { DingtalkEmulator } from "../src/channels/dingtalk/testing/dingtalk-emulator.ts";
import { FeishuApi } from "../src/channels/feishu/api.ts";
import { FeishuMessenger } from "../src/channels/feishu/messenger.ts";
import { feishuLogin } from "../src/channels/feishu/oauth.ts";
import { FeishuEmulator } from "../src/channels/feishu/testing/feishu-emulator.ts";
import { inviteLinkBuilders } from "../src/channels/join.ts";
import { openInClient } from "../src/channels/testing/login-codes.ts";
import { WecomApi } from "../src/channels/wecom/api.ts";
import { WecomMessenger } from "../src/channels/wecom/messenger.ts";
import { wecomLogin } from "../src/channels/wecom/oauth.ts";
import { WecomEmulator } from "../src/channels/wecom/testing/wecom-emulator.ts";

const WECOM = { corpId: "wwlink0000000001", agentId: 1000005, secret: "wecom-secret-not-in-logs", token: "LinkToken", aesKey: randomBytes(32).toString("base64").slice(0, 43) };
const DINGTALK = { clientId: "dinglinkclient01", clientSecret: "dingtalk-secret-not-in-logs", robotCode: "dinglinkclient01", corpId: "ding0corp0link" };
const FEISHU = { appId: "cli_0a1b2c3d4e5f6a7b", appSecret: "feishu-secret-not-in-logs" };
const WANG_OPEN_ID = "ou_wang000000000000000000000000001";

let f: LiaisonFixture;
let wecom: WecomEmulator;
let dingtalk: DingtalkEmulator;
let feishu: FeishuEmulator;
let logins: ChannelLogin[];
let server: ReturnType<typeof serve>;
let publicUrl = "";
let logged = "";
beforeAll(async () => {
  f = await liaisonFixture();
  wecom = new WecomEmulator({ ...WECOM, members: ["wangfang", "lisi"] });
  dingtalk = new DingtalkEmulator({ ...DINGTALK, members: ["liuyang", "zhaolei"] });
  feishu = new FeishuEmulator({ ...FEISHU, members: [WANG_OPEN_ID, "ou_other0000000000000000000000002"] });
  await Promise.all([wecom.start(), dingtalk.start(), feishu.start()]);
  const wecomApi = new WecomApi({ corpId: WECOM.corpId, agentId: WECOM.agentId, secret: WECOM.secret, apiRoot: wecom.url });
  const wecomMessenger = new WecomMessenger(wecomApi);
  const dingtalkConfig = { ...DINGTALK, apiRoot: dingtalk.url, loginRoot: dingtalk.url, oapiRoot: dingtalk.url };
  const dingtalkApi = new DingtalkApi(dingtalkConfig);
  const feishuConfig = { ...FEISHU, apiRoot: feishu.url, accountsRoot: feishu.url };
  logins = [
    wecomLogin({ corpId: WECOM.corpId, agentId: WECOM.agentId, oauthRoot: wecom.url }, wecomApi, wecomMessenger),
    dingtalkLogin(dingtalkConfig, dingtalkApi, new DingtalkMessenger(dingtalkApi)),
    feishuLogin(feishuConfig, new FeishuMessenger(new FeishuApi(feishuConfig))),
  ];
  const log = pino({ level: "info" }, new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) }));
  let app: ReturnType<typeof createServerApp> | null = null;
  // The app needs its public address, known once the port is.
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: (request) => app!.fetch(request), port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
  });
  publicUrl = `http://127.0.0.1:${port}`;
  wecom.options.trustedDomain = `127.0.0.1:${port}`;
  app = createServerApp({
    db: f.db,
    now: () => FIXTURE_NOW,
    log,
    consoleDist: "/nonexistent",
    publicUrl,
    wecom: { config: { corpId: WECOM.corpId, token: WECOM.token, aesKey: WECOM.aesKey }, messenger: wecomMessenger },
    connectedChannels: ["dingtalk", "feishu"],
    channelLogins: logins,
  });
  const user = await f.db.user.create({ data: { username: "office", role: "staff", passwordHash: "x" } });
  const session = await createSession(f.db, user.id, FIXTURE_NOW, "127.0.0.1");
  sessionCookie = `${SESSION_COOKIE}=${session.token}`;
});

let sessionCookie = "";

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.all([wecom.stop(), dingtalk.stop(), feishu.stop()]);
  await f.cleanup();
});

interface CreatedInvite {
  link: string | null;
  bindText: string | null;
  linkMissing: string | null;
}

async function inviteFromConsole(channel: "wecom" | "dingtalk" | "feishu", unit: string, name: string): Promise<CreatedInvite> {
  const response = await fetch(`${publicUrl}/trpc/units.createInvite`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: sessionCookie },
    body: JSON.stringify({ unitId: await f.unitId(unit), role: "liaison", name, channel }),
  });
  const body = (await response.json()) as { result?: { data: CreatedInvite } };
  if (!body.result) throw new Error(`createInvite: ${response.status}`);
  return body.result.data;
}

const title = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];
const boundOn = (channel: string, externalId: string) =>
  f.db.contactChannel.findUnique({ where: { channel_externalId: { channel, externalId } }, include: { contact: { include: { unit: true } } } });

describe("企业微信: the invitation is a 网页授权 link", () => {
  it("opened in 企业微信 by a member, it binds them to the unit and the app greets them; it works once", async () => {
    const invite = await inviteFromConsole("wecom", "市场监督管理局", "王芳");
    expect(invite.bindText).toMatch(/^绑定 [A-Za-z0-9_-]{32}$/);
    expect(invite.linkMissing).toBeNull();
    const link = new URL(invite.link!);
    expect(`${link.origin}${link.pathname}`).toBe(`${wecom.url}/connect/oauth2/authorize`);
    expect(Object.fromEntries(link.searchParams)).toMatchObject({ appid: WECOM.corpId, agentid: String(WECOM.agentId), scope: "snsapi_base", response_type: "code", redirect_uri: `${publicUrl}/join/wecom` });
    expect(link.hash).toBe("#wechat_redirect");

    const opened = await openInClient(invite.link!, "wangfang");
    expect(opened.callbackUrl).toMatch(new RegExp(`^${publicUrl}/join/wecom\\?code=`));
    expect(opened.status).toBe(200);
    expect(title(opened.html)).toBe("绑定成功");
    expect(opened.html).toContain("「市场监督管理局」的联络员");
    const bound = await boundOn("wecom", "wangfang");
    expect(bound?.contact).toMatchObject({ name: "王芳", role: "liaison", unit: { name: "市场监督管理局" } });
    expect(wecom.sent.at(-1)).toMatchObject({ touser: "wangfang", msgtype: "text", text: { content: "已绑定为「市场监督管理局」的联络员。督办提醒将发送到这里。" } });

    // The same member again: nothing changes; someone else: used.
    expect(title((await openInClient(invite.link!, "wangfang")).html)).toBe("已绑定");
    const other = await openInClient(invite.link!, "lisi");
    expect([other.status, title(other.html)]).toEqual([410, "邀请已被使用"]);
    expect(await boundOn("wecom", "lisi")).toBeNull();
    expect(wecom.sent.filter((m) => m.touser === "wangfang")).toHaveLength(1);

    // Reloading the page replays a spent code: 企业微信 answers 40029.
    const replay = await fetch(opened.callbackUrl!);
    expect([replay.status, title(await replay.text())]).toEqual([400, "登录已失效"]);
  });

  it("refuses a person outside the corp, and a code older than 5 minutes", async () => {
    const invite = await inviteFromConsole("wecom", "环保局", "外人");
    const outsider = await openInClient(invite.link!, "someone-from-another-corp");
    expect([outsider.status, title(outsider.html)]).toEqual([403, "无法绑定"]);
    // The invitation was not spent by the refusal: the member it is for can still use it.
    const redirect = await fetch(invite.link!, { redirect: "manual", headers: { "x-emulator-member": "lisi" } });
    wecom.logins.expireAll();
    const late = await fetch(redirect.headers.get("location")!);
    expect([late.status, title(await late.text())]).toEqual([400, "登录已失效"]);
    expect(title((await openInClient(invite.link!, "lisi")).html)).toBe("绑定成功");
    expect((await boundOn("wecom", "lisi"))?.contact.unit.name).toBe("环保局");
  });
});

describe("钉钉: the invitation is a 钉钉 登录 link", () => {
  it("opened in 钉钉 by a member of the organisation, it binds their userId and the robot greets them", async () => {
    const invite = await inviteFromConsole("dingtalk", "市场监督管理局", "刘洋");
    const link = new URL(invite.link!);
    expect(`${link.origin}${link.pathname}`).toBe(`${dingtalk.url}/oauth2/auth`);
    expect(Object.fromEntries(link.searchParams)).toMatchObject({ client_id: DINGTALK.clientId, scope: "openid", response_type: "code", prompt: "consent", redirect_uri: `${publicUrl}/join/dingtalk` });

    const opened = await openInClient(invite.link!, "liuyang");
    expect(opened.callbackUrl).toContain("authCode=");
    expect([opened.status, title(opened.html)]).toEqual([200, "绑定成功"]);
    expect((await boundOn("dingtalk", "liuyang"))?.contact).toMatchObject({ name: "刘洋", unit: { name: "市场监督管理局" } });
    expect(dingtalk.texts.at(-1)).toMatchObject({ userId: "liuyang", content: "已绑定为「市场监督管理局」的联络员。督办提醒将发送到这里。" });
    expect(dingtalk.calls).toEqual(expect.arrayContaining(["POST /v1.0/oauth2/userAccessToken", "GET /v1.0/contact/users/me", "POST /topapi/user/getbyunionid"]));

    const outsider = await openInClient((await inviteFromConsole("dingtalk", "环保局", "外人")).link!, "not-in-the-org");
    expect([outsider.status, title(outsider.html)]).toEqual([403, "无法绑定"]);
  });

  it("an expired or revoked invitation is refused, and no one is bound", async () => {
    const old = await createInvite(f.db, { unitName: "环保局", botUsername: null, now: new Date(FIXTURE_NOW.getTime() - 15 * 24 * 3600 * 1000) });
    const link = inviteLinkBuilders(publicUrl, logins).dingtalk!(old.token);
    const expired = await openInClient(link, "zhaolei");
    expect([expired.status, title(expired.html)]).toEqual([410, "邀请已过期"]);
    const withdrawn = await createInvite(f.db, { unitName: "环保局", botUsername: null, now: FIXTURE_NOW });
    await revokeInvite(f.db, { inviteId: withdrawn.inviteId, now: FIXTURE_NOW });
    expect(title((await openInClient(inviteLinkBuilders(publicUrl, logins).dingtalk!(withdrawn.token), "zhaolei")).html)).toBe("邀请已撤销");
    expect(await boundOn("dingtalk", "zhaolei")).toBeNull();
  });
});

describe("飞书: the invitation is a 网页应用登录 link", () => {
  it("opened in 飞书, it binds the member's open_id and the bot greets them", async () => {
    const invite = await inviteFromConsole("feishu", "市场监督管理局", "王芳");
    const link = new URL(invite.link!);
    expect(`${link.origin}${link.pathname}`).toBe(`${feishu.url}/open-apis/authen/v1/authorize`);
    expect(Object.fromEntries(link.searchParams)).toMatchObject({ client_id: FEISHU.appId, redirect_uri: `${publicUrl}/join/feishu` });

    const opened = await openInClient(invite.link!, WANG_OPEN_ID);
    expect([opened.status, title(opened.html)]).toEqual([200, "绑定成功"]);
    expect((await boundOn("feishu", WANG_OPEN_ID))?.contact).toMatchObject({ name: "王芳", unit: { name: "市场监督管理局" } });
    expect(feishu.sent.at(-1)).toMatchObject({ receive_id: WANG_OPEN_ID, msg_type: "text", text: "已绑定为「市场监督管理局」的联络员。督办提醒将发送到这里。" });
    // Reloading the page: the code is spent, but this browser's receipt shows the bound state; nothing is bound or sent again.
    expect(opened.cookie).toMatch(/^duban_join=/);
    const greetings = feishu.sent.length;
    const reload = await fetch(opened.callbackUrl!, { headers: { cookie: opened.cookie! } });
    const reloadHtml = await reload.text();
    expect([reload.status, title(reloadHtml)]).toEqual([200, "已绑定"]);
    expect(reloadHtml).toContain("「市场监督管理局」的联络员");
    expect(feishu.sent).toHaveLength(greetings);
    // Without the receipt, with one altered, or with it on another code of the same link: the login has to be done again.
    const spent = async (url: string, cookie?: string) => {
      const response = await fetch(url, cookie ? { headers: { cookie } } : {});
      return [response.status, title(await response.text())];
    };
    expect(await spent(opened.callbackUrl!)).toEqual([400, "登录已失效"]);
    const [cookieName, cookieValue] = opened.cookie!.split("=") as [string, string];
    const [expires, mac] = cookieValue.split(".") as [string, string];
    expect(cookieValue).not.toContain(Buffer.from(WANG_OPEN_ID).toString("base64url"));
    expect(await spent(opened.callbackUrl!, `${cookieName}=${expires}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`)).toEqual([400, "登录已失效"]);
    expect(await spent(opened.callbackUrl!, `${cookieName}=${String(Number(expires) + 3600)}.${mac}`)).toEqual([400, "登录已失效"]);
    const otherCode = new URL(opened.callbackUrl!);
    otherCode.searchParams.set("code", "another-code");
    expect(await spent(otherCode.toString(), opened.cookie!)).toEqual([400, "登录已失效"]);
    // Another invitation's page with this receipt: not vouched for.
    const second = await inviteFromConsole("feishu", "环保局", "王芳");
    const secondState = new URL(second.link!).searchParams.get("state")!;
    const crossed = new URL(opened.callbackUrl!);
    crossed.searchParams.set("state", secondState);
    expect(await spent(crossed.toString(), opened.cookie!)).toEqual([400, "登录已失效"]);
    expect((await boundOn("feishu", WANG_OPEN_ID))?.contact.unit.name).toBe("市场监督管理局");

    // Outside the app's 可用范围, 飞书 refuses the code (20010).
    const outsider = await openInClient((await inviteFromConsole("feishu", "环保局", "外人")).link!, "ou_outside000000000000000000000009");
    expect([outsider.status, title(outsider.html)]).toEqual([403, "无法绑定"]);
  });
});

describe("links that are not an invitation of this channel", () => {
  it("refuses a forged or missing state, one of another channel, and a login without a code", async () => {
    // A well-formed state naming no invitation, through a real login: the member's code is good, the invitation is not.
    const forged = await openInClient(inviteLinkBuilders(publicUrl, logins).wecom!(randomBytes(24).toString("base64url")), "wangfang");
    expect([forged.status, title(forged.html)]).toEqual([400, "链接无效"]);
    const garbage = await fetch(`${publicUrl}/join/feishu?code=abc&state=hello`);
    expect([garbage.status, title(await garbage.text())]).toEqual([400, "链接无效"]);
    const invite = await createInvite(f.db, { unitName: "环保局", botUsername: null, now: FIXTURE_NOW });
    const crossed = await fetch(`${publicUrl}/join/feishu?code=abc&state=${inviteState("wecom", invite.token)}`);
    const crossedHtml = await crossed.text();
    expect([crossed.status, title(crossedHtml)]).toEqual([400, "渠道不符"]);
    expect(crossedHtml).toContain("请在企业微信中打开");
    const denied = await fetch(`${publicUrl}/join/feishu?error=access_denied&state=${inviteState("feishu", invite.token)}`);
    expect([denied.status, title(await denied.text())]).toEqual([400, "未完成登录"]);
    expect((await f.db.invite.findUniqueOrThrow({ where: { id: invite.inviteId } })).usedAt).toBeNull();
  });

  it("leaves no invitation, code or secret in the log", async () => {
    expect(logged).toContain("join: invite");
    for (const secret of [WECOM.secret, DINGTALK.clientSecret, FEISHU.appSecret, ...wecom.logins.issued, ...dingtalk.logins.issued, ...feishu.logins.issued]) expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/state=|wecom[0-9a-f]{64}|feishu[0-9a-f]{64}|dingtalk[0-9a-f]{64}/);
  });
});

describe("without PUBLIC_URL", () => {
  it("the console gets the 绑定 line and why there is no link; /join is not served", async () => {
    const app = createServerApp({ db: f.db, now: () => FIXTURE_NOW, consoleDist: "/nonexistent", connectedChannels: ["feishu"], channelLogins: logins });
    const response = await app.request("/trpc/units.createInvite", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: sessionCookie },
      body: JSON.stringify({ unitId: await f.unitId("环保局"), role: "liaison", channel: "feishu" }),
    });
    const created = ((await response.json()) as { result: { data: CreatedInvite } }).result.data;
    expect(created).toMatchObject({ link: null, linkMissing: "public-url", bindText: expect.stringMatching(/^绑定 /) });
    expect((await app.request("/join/feishu?code=x&state=y")).status).toBe(404);
  });
});
