import { z } from "zod";
import type { Logger } from "pino";
import { contactOnChannel, firstDelivery, parseCardActionKey } from "@duban/core/channels/liaison-actions";
import { CHANNEL_FILE_MAX_BYTES, converse, tapCard, type LiaisonMessage } from "@duban/core/channels/liaison-conversation";
import { TEXTS } from "@duban/core/channels/liaison-texts";
import { inviteTokenInText, redeemChannelInvite } from "@duban/core/invites/redeem-channel-invite";
import { markContactReachable } from "@duban/core/reminders/mark-contact-unreachable";
import type { ReminderKind } from "@duban/core/channels/messenger";
import type { Db } from "@duban/db/client";
import type { WorkingHours } from "@duban/domain/working-hours";
import { fileMessage } from "../channel-file.ts";
import { fetchDingtalkFile } from "./api.ts";
import type { DingtalkMessenger } from "./messenger.ts";
import { boundText, INVITE_REFUSED_TEXT } from "@duban/core/invites/channel-invite-link";

/**
 * What 钉钉 pushes over Stream mode, handled the same way as 企业微信's callback: a member's
 * message to the robot (topic /v1.0/im/bot/messages/get: 机器人接收消息) and a tap on a card's
 * 回传请求 button (topic /v1.0/card/instances/callback: 卡片回调). The socket (stream.ts) acks a
 * frame only after this returned, so a frame that failed is pushed again by 钉钉.
 * Each event is stored first (ChannelEvent) under a key of its own content — the message's msgId;
 * a card, its member and its button — so a frame 钉钉 pushes again (no ack in time, or replayed
 * after a reconnect, with a new messageId) is handled once. Only 1-on-1 messages from members of
 * the robot's own organisation count: a userId means nothing in another organisation.
 */
export interface DingtalkInboundDeps {
  db: Db;
  now: () => Date;
  log?: Logger;
  workingHours?: WorkingHours;
  robotCode: string;
  messenger: DingtalkMessenger;
}

export const TOPIC_ROBOT_MESSAGE = "/v1.0/im/bot/messages/get";
export const TOPIC_CARD_CALLBACK = "/v1.0/card/instances/callback";

const robotMessageSchema = z.object({
  msgId: z.string().min(1).max(200),
  msgtype: z.string(),
  conversationType: z.string(),
  robotCode: z.string().optional(),
  chatbotCorpId: z.string().optional(),
  senderCorpId: z.string().optional(),
  /** The member's userId; absent for people outside the organisation. */
  senderStaffId: z.string().min(1).max(64).optional(),
  text: z.object({ content: z.string() }).optional(),
  /** picture: {downloadCode, pictureDownloadCode}; file: {downloadCode, fileName, fileId, spaceId}. */
  content: z.object({ downloadCode: z.string().min(1).max(2000).optional(), fileName: z.string().max(255).optional() }).passthrough().optional(),
});

const cardCallbackSchema = z.object({
  outTrackId: z.string().min(1).max(200),
  userId: z.string().min(1).max(64),
  corpId: z.string().optional(),
  /** JSON: {"cardPrivateData": {"actionIds": [...], "params": {...}}} */
  value: z.string().optional(),
  content: z.string().optional(),
});

const cardValueSchema = z.object({ cardPrivateData: z.object({ actionIds: z.array(z.string()).min(1) }) });

const NOT_BOUND = "您尚未绑定督办联络人身份：请向办公室索取邀请码，并在此发送“绑定 邀请码”。";

export type InboundResult = "handled" | "duplicate" | "ignored" | "refused";

/** Runs `handle` once per event id; a failure forgets the id, so 钉钉's next push is handled again. */
async function once(db: Db, eventId: string, now: Date, handle: () => Promise<void>): Promise<InboundResult> {
  if (!(await firstDelivery(db, "dingtalk", eventId, now))) return "duplicate";
  try {
    await handle();
    return "handled";
  } catch (error) {
    await db.channelEvent.deleteMany({ where: { channel: "dingtalk", eventId } });
    throw error;
  }
}

export async function handleRobotMessage(deps: DingtalkInboundDeps, data: unknown): Promise<InboundResult> {
  const { db, log } = deps;
  const parsed = robotMessageSchema.safeParse(data);
  if (!parsed.success) {
    log?.warn("dingtalk: robot message not understood");
    return "ignored";
  }
  const message = parsed.data;
  if (message.robotCode !== undefined && message.robotCode !== deps.robotCode) {
    log?.warn("dingtalk: message for another robot refused");
    return "refused";
  }
  // Group chats are not where liaisons answer; nothing is recorded from them.
  if (message.conversationType !== "1") return "ignored";
  const userId = message.senderStaffId;
  if (!userId || !message.senderCorpId || message.senderCorpId !== message.chatbotCorpId) {
    log?.warn("dingtalk: message from outside the organisation refused");
    return "refused";
  }
  const now = deps.now();
  return once(db, `msg:${message.msgId}`, now, async () => {
    const content = message.msgtype === "text" ? (message.text?.content ?? "").trim() : null;
    // "绑定 <token>": the office's single-use invitation, sent to the robot by the member it is for.
    const token = content !== null ? inviteTokenInText(content) : null;
    if (token) {
      const result = await redeemChannelInvite(db, { token, channel: "dingtalk", externalId: userId, now });
      log?.info({ ok: result.ok, reason: result.ok ? undefined : result.reason, contactId: result.ok ? result.contactId : undefined }, "dingtalk: invite");
      await deps.messenger.sendText(userId, result.ok ? boundText(result) : INVITE_REFUSED_TEXT);
      return;
    }
    const contact = await contactOnChannel(db, "dingtalk", userId);
    if (!contact) {
      await deps.messenger.sendText(userId, NOT_BOUND);
      return;
    }
    // The member wrote to the robot: reachable again if a send had failed (as Telegram's middleware does).
    await markContactReachable(db, { contactId: contact.id, now });
    // The conversation every channel shares: statuses and percentages in free text, 任务, 帮助, 申请延期, language;
    // a picture or file is kept with the report (its task asked for when several are open).
    const said = content !== null ? { text: content } : await fileOf(deps, message);
    const reply = await converse(db, who(deps, userId, contact.id, now), said);
    log?.info({ contactId: contact.id, msgtype: message.msgtype, fileProblem: said.fileProblem ?? undefined }, "dingtalk: message");
    await deps.messenger.sendText(userId, reply);
  });
}

export async function handleCardCallback(deps: DingtalkInboundDeps, data: unknown): Promise<InboundResult> {
  const { db, log } = deps;
  const parsed = cardCallbackSchema.safeParse(data);
  const value = parsed.success ? parseJson(parsed.data.value ?? parsed.data.content ?? "") : null;
  const actionId = cardValueSchema.safeParse(value).data?.cardPrivateData.actionIds[0];
  if (!parsed.success || !actionId) {
    log?.warn("dingtalk: card callback not understood");
    return "ignored";
  }
  const { outTrackId, userId } = parsed.data;
  const now = deps.now();
  // A card's button is tapped once by its member: the buttons are gone after the update.
  return once(db, `card:${outTrackId}:${userId}:${actionId.slice(0, 40)}`, now, async () => {
    const contact = await contactOnChannel(db, "dingtalk", userId);
    if (!contact) {
      log?.info("dingtalk: card tap by a member who is not bound");
      await deps.messenger.sendText(userId, NOT_BOUND);
      return;
    }
    await markContactReachable(db, { contactId: contact.id, now });
    const action = parseCardActionKey(actionId);
    const { label, text, outcome } = action ? await tapCard(db, who(deps, userId, contact.id, now), action) : { label: "未处理", text: TEXTS.zh.notYourTask, outcome: { kind: "refused" as const } };
    log?.info({ contactId: contact.id, outcome: outcome.kind }, "dingtalk: card tap");
    // A digest's item: that reminder's own card; the digest keeps its buttons for the other items.
    if (outcome.kind === "opened") {
      const sent = await deps.messenger.send(outcome.message);
      if (!sent.ok) log?.warn({ contactId: contact.id, error: sent.error }, "dingtalk: card not sent");
    }
    if (action && "reminderId" in action && action.type !== "open" && outcome.kind !== "refused") {
      // 钉钉 replaces the whole card: it is drawn again from the reminder's own text.
      const reminder = await db.reminder.findUnique({ where: { id: action.reminderId }, select: { text: true, kind: true } });
      const updated = await deps.messenger.updateCard({ channel: "dingtalk", chatId: userId, ref: outTrackId, label, ...(reminder ? { message: { text: reminder.text, kind: reminder.kind as ReminderKind } } : {}) });
      if (!updated.ok) log?.warn({ contactId: contact.id, error: updated.error }, "dingtalk: card not updated");
    }
    if (text) await deps.messenger.sendText(userId, text);
  });
}

/**
 * A picture or file (the types 钉钉 lets a member send the robot in their 1-on-1 chat besides
 * text): fetched at once through its downloadCode, within the size limit. Voice, video and rich
 * text are answered as a type Duban does not take.
 */
async function fileOf(deps: DingtalkInboundDeps, message: z.infer<typeof robotMessageSchema>): Promise<LiaisonMessage> {
  if (message.msgtype !== "picture" && message.msgtype !== "file") return { text: "", fileProblem: "unsupported" };
  const downloadCode = message.content?.downloadCode;
  if (!downloadCode) return { text: "", fileProblem: "unavailable" };
  const fetched = await fetchDingtalkFile(deps.messenger.api, downloadCode, CHANNEL_FILE_MAX_BYTES);
  if (!fetched.ok) deps.log?.warn({ problem: fetched.problem, error: fetched.error }, "dingtalk: file not fetched");
  // The record keeps the message's id: a downloadCode is long and only good for a while.
  return fileMessage(fetched, { photo: message.msgtype === "picture", ref: `dingtalk:${message.msgId}`, fileName: message.content?.fileName ?? null });
}

function who(deps: DingtalkInboundDeps, externalId: string, contactId: number, now: Date) {
  return { channel: "dingtalk" as const, externalId, contactId, now, ...(deps.workingHours ? { workingHours: deps.workingHours } : {}) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
