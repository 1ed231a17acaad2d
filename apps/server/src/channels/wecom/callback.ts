import { timingSafeEqual } from "node:crypto";
import { decrypt, getSignature } from "@wecom/crypto";
import type { Hono } from "hono";
import type { Logger } from "pino";
import { contactOnChannel, firstDelivery, parseCardActionKey } from "@duban/core/channels/liaison-actions";
import { CHANNEL_FILE_MAX_BYTES, converse, tapCard, type LiaisonMessage } from "@duban/core/channels/liaison-conversation";
import { TEXTS } from "@duban/core/channels/liaison-texts";
import { inviteTokenInText, redeemChannelInvite } from "@duban/core/invites/redeem-channel-invite";
import { markContactReachable } from "@duban/core/reminders/mark-contact-unreachable";
import type { Db } from "@duban/db/client";
import type { WorkingHours } from "@duban/domain/working-hours";
import { fileMessage } from "../channel-file.ts";
import { fetchWecomMedia } from "./api.ts";
import type { WecomMessenger } from "./messenger.ts";
import { parseFlatXml } from "./xml.ts";
import { boundText, INVITE_REFUSED_TEXT } from "@duban/core/invites/channel-invite-link";

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
      await deps.messenger.sendText(userId, result.ok ? boundText(result) : INVITE_REFUSED_TEXT);
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
      const answer = action ? await tapCard(db, who, action) : { label: "未处理", text: TEXTS.zh.notYourTask, outcome: { kind: "refused" as const } };
      log?.info({ contactId: contact.id, outcome: answer.outcome.kind }, "wecom: card tap");
      // A digest's item: that reminder's own card; the digest keeps its buttons for the other items.
      if (answer.outcome.kind === "opened") {
        const sent = await deps.messenger.send(answer.outcome.message);
        if (!sent.ok) log?.warn({ contactId: contact.id, error: sent.error }, "wecom: card not sent");
      }
      if (fields.ResponseCode && answer.label) {
        const updated = await deps.messenger.updateCard({ channel: "wecom", chatId: userId, ref: fields.ResponseCode, label: answer.label });
        if (!updated.ok) log?.warn({ contactId: contact.id, error: updated.error }, "wecom: card not updated");
      }
      if (answer.text) await deps.messenger.sendText(userId, answer.text);
      return;
    }
    const message: LiaisonMessage = msgType === "text" ? { text: fields.Content ?? "" } : await mediaMessage(deps, msgType, fields);
    const reply = await converse(db, who, message);
    log?.info({ contactId: contact.id, msgType, fileProblem: message.fileProblem ?? undefined }, "wecom: message");
    await deps.messenger.sendText(userId, reply);
  } catch (error) {
    // Not handled: forget the event so 企业微信's retry is handled again.
    await db.channelEvent.deleteMany({ where: { channel: "wecom", eventId } });
    throw error;
  }
}

/** An image or file message: its MediaId fetched at once (企业微信 keeps it 3 days), within the size limit. */
async function mediaMessage(deps: WecomCallbackDeps, msgType: string, fields: Record<string, string>): Promise<LiaisonMessage> {
  const mediaId = fields.MediaId;
  if (!mediaId || mediaId.length > 256) return { text: "", fileProblem: "unavailable" };
  const media = await fetchWecomMedia(deps.messenger.api, mediaId, CHANNEL_FILE_MAX_BYTES);
  if (!media.ok) deps.log?.warn({ problem: media.problem, error: media.error }, "wecom: media not fetched");
  return fileMessage(media, { photo: msgType === "image", ref: `wecom:${mediaId}`, fileName: fields.FileName || null });
}
