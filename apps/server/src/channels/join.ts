import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { Logger } from "pino";
import { boundText, inviteState, joinPath, parseInviteState, type LoginChannel } from "@duban/core/invites/channel-invite-link";
import { hashInviteToken, inviteTokenSchema } from "@duban/core/invites/invite-token";
import { redeemChannelInvite } from "@duban/core/invites/redeem-channel-invite";
import type { Db } from "@duban/db/client";
import type { ChannelLogin } from "./channel-login.ts";

const CHANNEL_NAMES: Record<LoginChannel, string> = { wecom: "企业微信", dingtalk: "钉钉", feishu: "飞书" };

/** Where the platform sends the member back: the address registered on its console. */
export function joinRedirectUri(publicUrl: string, channel: LoginChannel): string {
  return new URL(joinPath(channel), publicUrl).toString();
}

/** Per channel, the invitation link for a token: the platform's login, coming back to `/join/<channel>`. */
export function inviteLinkBuilders(publicUrl: string, logins: ChannelLogin[]): Partial<Record<LoginChannel, (token: string) => string>> {
  return Object.fromEntries(logins.map((login) => [login.channel, (token: string) => login.authorizeUrl(joinRedirectUri(publicUrl, login.channel), inviteState(login.channel, token))]));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A small page for the platform's in-app browser: the answer and what to do next. */
function page(title: string, body: string, ok: boolean): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>督办 · ${escapeHtml(title)}</title>
<style>body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:48px 24px;text-align:center;color:#1f1f1f}h1{font-size:22px;color:${ok ? "#389e0d" : "#cf1322"}}p{font-size:16px;line-height:1.6;color:#595959}</style></head>
<body><h1 data-outcome="${ok ? "ok" : "refused"}">${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
}

export interface JoinRouteDeps {
  db: Db;
  now: () => Date;
  log?: Logger;
  publicUrl: string;
  logins: ChannelLogin[];
}

/**
 * After a successful binding the browser keeps a receipt for that one page, HttpOnly, on
 * /join/<channel> only, for 30 minutes: an HMAC (a key of this process) over the link's state,
 * its one-time code and the contact that claimed the invitation; it carries no id. Reloading the
 * page (the code is spent by then) shows the bound state from it instead of "登录已失效"; it
 * unlocks no other URL, binds nothing, and after a restart the page asks for a new login again.
 */
const RECEIPT_COOKIE = "duban_join";
const RECEIPT_SECONDS = 30 * 60;
const receiptKey = randomBytes(32);

function receiptMac(channel: LoginChannel, state: string, code: string, contactId: number, expires: number): string {
  return createHmac("sha256", receiptKey).update([channel, state, code, String(contactId), String(expires)].join("\n")).digest("base64url");
}

function receipt(channel: LoginChannel, state: string, code: string, contactId: number, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + RECEIPT_SECONDS;
  return `${expires}.${receiptMac(channel, state, code, contactId, expires)}`;
}

/** True when the receipt was made for exactly this state, code and contact, and is still within its time. */
function validReceipt(value: string | undefined, channel: LoginChannel, state: string, code: string, contactId: number, now: Date): boolean {
  const [expiresText, mac, ...rest] = (value ?? "").split(".");
  if (!expiresText || !mac || rest.length > 0 || !/^\d{1,12}$/.test(expiresText)) return false;
  const expires = Number(expiresText);
  if (expires * 1000 <= now.getTime()) return false;
  const expected = Buffer.from(receiptMac(channel, state, code, contactId, expires));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The contact that claimed the invitation, while it is still its unit's and bound on this channel (read only: it binds nothing). */
async function claimedBy(db: Db, token: string, channel: LoginChannel): Promise<{ contactId: number; unit: string; role: string } | null> {
  if (!inviteTokenSchema.safeParse(token).success) return null;
  const invite = await db.invite.findUnique({ where: { tokenHash: hashInviteToken(token) }, select: { usedAt: true, usedBy: true, unitId: true, role: true, unit: { select: { name: true } } } });
  if (!invite?.usedAt || invite.usedBy === null) return null;
  const contact = await db.contact.findFirst({ where: { id: invite.usedBy, unitId: invite.unitId, status: { not: "revoked" }, channels: { some: { channel } } }, select: { id: true } });
  return contact ? { contactId: contact.id, unit: invite.unit.name, role: invite.role === "head" ? "负责人" : "联络员" } : null;
}

/**
 * GET /join/<channel>: the platform's login redirects here with a one-time code and the state of
 * the invitation link. The code is exchanged for the member's account on the channel, which is
 * bound by the same rules as `绑定 <code>` (redeemChannelInvite → claimInvite); the app then
 * greets them in chat. Neither the state (it holds the invitation's token) nor the code is logged.
 */
export function mountJoinRoutes(app: Hono, deps: JoinRouteDeps): void {
  for (const login of deps.logins) {
    const channel = login.channel;
    const name = CHANNEL_NAMES[channel];
    app.get(joinPath(channel), async (c) => {
      c.header("Cache-Control", "no-store");
      // The URL holds the invitation: no Referer to anywhere, and not kept by the browser's cache.
      c.header("Referrer-Policy", "no-referrer");
      const answer = (status: 200 | 400 | 403 | 410 | 502, title: string, body: string) => c.html(page(title, body, status === 200), status);
      const state = parseInviteState(c.req.query("state"));
      if (!state.ok) {
        deps.log?.warn({ channel }, "join: a link without a valid invitation state");
        return answer(400, "链接无效", "这不是有效的督办邀请链接。请向办公室重新索取邀请。");
      }
      if (state.channel !== channel) {
        deps.log?.warn({ channel, invitedOn: state.channel }, "join: an invitation link of another channel");
        return answer(400, "渠道不符", `这个邀请是为${CHANNEL_NAMES[state.channel]}生成的，请在${CHANNEL_NAMES[state.channel]}中打开，或向办公室索取${name}邀请。`);
      }
      const code = c.req.query("code") ?? c.req.query("authCode");
      if (!code) {
        deps.log?.info({ channel, error: c.req.query("error")?.slice(0, 40) }, "join: the login came back without a code");
        return answer(400, "未完成登录", `${name}未返回登录结果（可能未同意授权）。请在${name}中重新打开邀请链接。`);
      }
      const rawState = c.req.query("state")!;
      // A reload of the page that bound this browser's member: the code is spent, the receipt says who it was.
      const seen = getCookie(c, RECEIPT_COOKIE);
      if (seen) {
        const bound = await claimedBy(deps.db, state.token, channel);
        if (bound && validReceipt(seen, channel, rawState, code, bound.contactId, deps.now())) {
          return answer(200, "已绑定", `您已是「${bound.unit}」的${bound.role}，督办提醒将通过${name}发送给您，现在可以关闭此页面。`);
        }
      }
      const account = await login.account(code, joinRedirectUri(deps.publicUrl, channel));
      if (!account.ok) {
        deps.log?.warn({ channel, problem: account.problem, detail: account.detail }, "join: the login was not accepted");
        if (account.problem === "code") return answer(400, "登录已失效", `请在${name}中重新打开邀请链接（登录结果只能使用一次，5 分钟内有效）。`);
        if (account.problem === "outsider") return answer(403, "无法绑定", `您不在本单位${name}的督办应用可用范围内。请联系办公室。`);
        return answer(502, "暂时无法完成", `暂时无法连接${name}，请稍后重新打开邀请链接。`);
      }
      const result = await redeemChannelInvite(deps.db, { token: state.token, channel, externalId: account.externalId, now: deps.now() });
      deps.log?.info({ channel, ok: result.ok, reason: result.ok ? undefined : result.reason, contactId: result.ok ? result.contactId : undefined, already: result.ok ? result.already : undefined }, "join: invite");
      if (!result.ok) {
        if (result.reason === "used") return answer(410, "邀请已被使用", "每个邀请只能使用一次。如需绑定，请向办公室重新索取邀请。");
        if (result.reason === "expired") return answer(410, "邀请已过期", "请向办公室重新索取邀请。");
        if (result.reason === "revoked") return answer(410, "邀请已撤销", "请向办公室重新索取邀请。");
        return answer(400, "链接无效", "这不是有效的督办邀请链接。请向办公室重新索取邀请。");
      }
      const role = result.role === "head" ? "负责人" : "联络员";
      setCookie(c, RECEIPT_COOKIE, receipt(channel, rawState, code, result.contactId, deps.now()), {
        path: joinPath(channel),
        maxAge: RECEIPT_SECONDS,
        httpOnly: true,
        sameSite: "Lax",
        secure: deps.publicUrl.startsWith("https://"),
      });
      if (result.already) return answer(200, "已绑定", `您已是「${result.unit.name}」的${role}，无需再次绑定。`);
      // The greeting in chat, as after "绑定 <code>"; the binding stands even if it cannot be sent now.
      const sent = await login.sendText(account.externalId, boundText(result)).catch((error: unknown) => ({ ok: false as const, error: error instanceof Error ? error.message : "send failed" }));
      if (!sent.ok) deps.log?.warn({ channel, contactId: result.contactId, error: sent.error }, "join: bound, but the greeting was not sent");
      return answer(200, "绑定成功", `您已绑定为「${result.unit.name}」的${role}。督办提醒将通过${name}发送给您，现在可以关闭此页面。`);
    });
  }
}
