import { timingSafeEqual } from "node:crypto";
import { decrypt, getSignature } from "@wecom/crypto";
import type { Hono } from "hono";
import type { Logger } from "pino";
import { applyCardAction, applyText, contactOnChannel, firstDelivery, parseCardActionKey, type ActionOutcome } from "@duban/core/channels/liaison-actions";
import { inviteTokenInText, redeemChannelInvite } from "@duban/core/invites/redeem-channel-invite";
import { markContactReachable } from "@duban/core/mark-contact-unreachable";
import type { Db } from "@duban/db/client";
import type { ReportStatus } from "@duban/domain/parse-reply";
import type { WorkingHours } from "@duban/domain/working-hours";
import type { WecomMessenger } from "./messenger.ts";
import { parseFlatXml } from "./xml.ts";

/**
 * The 企业微信 app's callback URL (接收消息服务器, "设置API接收"), mounted at /wecom/callback:
 * - GET: URL verification (验证URL有效性): msg_signature over (Token, timestamp, nonce, echostr),
 *   echostr decrypted and answered in plain text.
 * - POST: an event or message (接收消息与事件, document/path/90238 and 90930): the body's
 *   <Encrypt> is signed the same way and decrypted with EncodingAESKey (加解密方案说明,
 *   document/path/90968: AES-256-CBC, PKCS#7, the plaintext ends with the CorpID, which must
 *   be ours), through the official @wecom/crypto.
 * A bad signature or a foreign CorpID is refused with 403 and nothing is written. An event is
 * stored first (ChannelEvent) so 企业微信's retries (no answer within 5 s: three tries) are handled
 * once; the answer is always an empty 200 (no passive reply), replies go out through the API.
 */
export interface WecomCallbackConfig {
  corpId: string;
  token: string;
  aesKey: string;
}

export interface WecomCallbackDeps {
  db: Db;
  now: () => Date;
  log?: Logger;
  workingHours?: WorkingHours;
  config: WecomCallbackConfig;
  messenger: WecomMessenger;
}

export class WecomCallbackError extends Error {
  constructor(
    readonly status: 400 | 403,
    message: string,
  ) {
    super(message);
  }
}

/** Verifies and decrypts one signed ciphertext; throws WecomCallbackError (403) when it is not 企业微信's for our app. */
export function openCiphertext(config: WecomCallbackConfig, query: { msg_signature?: string; timestamp?: string; nonce?: string }, ciphertext: string): string {
  const { msg_signature: signature, timestamp, nonce } = query;
  if (!signature || !timestamp || !nonce) throw new WecomCallbackError(403, "missing msg_signature, timestamp or nonce");
  const expected = Buffer.from(getSignature(config.token, timestamp, nonce, ciphertext));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new WecomCallbackError(403, "bad msg_signature");
  let opened: { message: string; id: string };
  try {
    opened = decrypt(config.aesKey, ciphertext);
  } catch {
    throw new WecomCallbackError(403, "cannot decrypt");
  }
  if (opened.id !== config.corpId) throw new WecomCallbackError(403, "message for another CorpID");
  return opened.message;
}

const STATUS_LABEL: Record<ReportStatus, string> = { not_started: "未开始", in_progress: "推进中", done: "已完成", blocked: "有困难" };

const shanghai = (date: Date) =>
  new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false }).format(date);

/** The spent card's button label and the message that follows a tap or text. */
export function answerOf(outcome: ActionOutcome): { label: string; text: string } {
  switch (outcome.kind) {
    case "recorded":
      return {
        label: `已记录：${STATUS_LABEL[outcome.status]}`,
        text: `已记录：${STATUS_LABEL[outcome.status]}。${outcome.askProgress ? "请回复完成百分比（如 60%）。" : outcome.submitted ? "本期报送已完成，谢谢！" : ""}`,
      };
    case "progress-recorded":
      return { label: "已记录", text: `已记录进度 ${outcome.progress}%，谢谢！` };
    case "snoozed":
      return { label: "稍后提醒", text: outcome.until ? `好的，将于 ${shanghai(outcome.until)} 再次提醒。` : "本单位已报送，无需再提醒。" };
    case "ask-extension-reason":
      return { label: "申请延期", text: "请回复延期理由（一两句话），提交后由办公室审核。" };
    case "extension-requested":
      return { label: "已申请延期", text: "延期申请已提交，办公室审核后会通知您。" };
    case "refused": {
      const text = {
        "not-yours": "该事项不属于本单位，或已不需要填报。",
        "already-submitted": "本单位已报送，无需延期。",
        "already-pending": "已有延期申请正在审核。",
        "contact-inactive": "您的联络人身份已停用，请联系办公室。",
        "invalid-reason": "请说明延期理由（至少两个字）。",
      }[outcome.reason];
      return { label: "未处理", text };
    }
    case "help":
      return { label: "", text: "请点击提醒卡片上的按钮填报进度；推进中之后可回复百分比（如 60%）。" };
  }
}

export function mountWecomCallback(app: Hono, deps: WecomCallbackDeps): void {
  const { config, log } = deps;

  app.get("/wecom/callback", (c) => {
    const echostr = c.req.query("echostr");
    if (!echostr) return c.text("missing echostr", 400);
    try {
      return c.text(openCiphertext(config, c.req.query(), echostr));
    } catch (error) {
      if (!(error instanceof WecomCallbackError)) throw error;
      log?.warn({ reason: error.message }, "wecom: URL verification refused");
      return c.text(error.message, error.status);
    }
  });

  app.post("/wecom/callback", async (c) => {
    let fields: Record<string, string>;
    try {
      const envelope = parseFlatXml(await c.req.text());
      if (!envelope?.Encrypt) throw new WecomCallbackError(400, "not a 企业微信 callback body");
      const plain = parseFlatXml(openCiphertext(config, c.req.query(), envelope.Encrypt));
      if (!plain) throw new WecomCallbackError(400, "decrypted message is not XML");
      fields = plain;
    } catch (error) {
      if (!(error instanceof WecomCallbackError)) throw error;
      log?.warn({ reason: error.message }, "wecom: callback refused");
      return c.text(error.message, error.status);
    }
    await handleEvent(deps, fields);
    return c.body(null, 200);
  });
}

async function handleEvent(deps: WecomCallbackDeps, fields: Record<string, string>): Promise<void> {
  const { db, log } = deps;
  const userId = fields.FromUserName;
  const msgType = fields.MsgType;
  if (!userId || !msgType) return;
  const isCardTap = msgType === "event" && fields.Event === "template_card_event";
  if (!isCardTap && msgType !== "text" && msgType !== "image" && msgType !== "file") return;
  // 排重: messages by MsgId; events by FromUserName + CreateTime (接收消息与事件), plus the button.
  const eventId = fields.MsgId ?? `${userId}:${fields.CreateTime ?? ""}:${fields.Event ?? ""}:${fields.EventKey ?? ""}`;
  const now = deps.now();
  if (!(await firstDelivery(db, "wecom", eventId, now))) return;
  try {
    // "绑定 <token>": the office's single-use invitation, sent to the app by the member it is for.
    const token = msgType === "text" ? inviteTokenInText(fields.Content ?? "") : null;
    if (token) {
      const result = await redeemChannelInvite(db, { token, channel: "wecom", externalId: userId, now });
      log?.info({ ok: result.ok, reason: result.ok ? undefined : result.reason, contactId: result.ok ? result.contactId : undefined }, "wecom: invite");
      const role = result.ok && result.role === "head" ? "负责人" : "联络员";
      await deps.messenger.sendText(userId, result.ok ? `已绑定为「${result.unit.name}」的${role}。督办提醒将发送到这里。` : "邀请无效、已使用或已过期，请向办公室重新索取。");
      return;
    }
    const contact = await contactOnChannel(db, "wecom", userId);
    if (!contact) {
      await deps.messenger.sendText(userId, "您尚未绑定督办联络人身份：请向办公室索取邀请码，并在此发送“绑定 邀请码”。");
      return;
    }
    // The member wrote to the app: reachable again if a send had failed (as Telegram's middleware does).
    await markContactReachable(db, { contactId: contact.id, now });
    const who = { channel: "wecom" as const, externalId: userId, contactId: contact.id, now, ...(deps.workingHours ? { workingHours: deps.workingHours } : {}) };
    if (isCardTap) {
      const action = parseCardActionKey(fields.EventKey ?? "");
      const outcome: ActionOutcome = action ? await applyCardAction(db, who, action) : { kind: "refused", reason: "not-yours" };
      const { label, text } = answerOf(outcome);
      log?.info({ contactId: contact.id, outcome: outcome.kind }, "wecom: card tap");
      if (fields.ResponseCode) {
        const updated = await deps.messenger.updateCard({ channel: "wecom", chatId: userId, ref: fields.ResponseCode, label });
        if (!updated.ok) log?.warn({ contactId: contact.id, error: updated.error }, "wecom: card not updated");
      }
      await deps.messenger.sendText(userId, text);
      return;
    }
    if (msgType !== "text") {
      await deps.messenger.sendText(userId, "暂不支持在企业微信中上传图片或文件，请通过办公室提交。");
      return;
    }
    const outcome = await applyText(db, who, fields.Content ?? "");
    log?.info({ contactId: contact.id, outcome: outcome.kind }, "wecom: text");
    await deps.messenger.sendText(userId, answerOf(outcome).text);
  } catch (error) {
    // Not handled: forget the event so 企业微信's retry is handled again.
    await db.channelEvent.deleteMany({ where: { channel: "wecom", eventId } });
    throw error;
  }
}
