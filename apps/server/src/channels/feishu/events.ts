import * as lark from "@larksuiteoapi/node-sdk";
import type { Logger } from "pino";
import { z } from "zod";
import { contactOnChannel, firstDelivery, parseCardActionKey } from "@duban/core/channels/liaison-actions";
import { CHANNEL_FILE_MAX_BYTES, converse, tapCard, type LiaisonMessage } from "@duban/core/channels/liaison-conversation";
import { TEXTS } from "@duban/core/channels/liaison-texts";
import { inviteTokenInText, redeemChannelInvite } from "@duban/core/invites/redeem-channel-invite";
import { markContactReachable } from "@duban/core/reminders/mark-contact-unreachable";
import type { OutgoingMessage } from "@duban/core/channels/messenger";
import type { Db } from "@duban/db/client";
import type { WorkingHours } from "@duban/domain/working-hours";
import { fileMessage } from "../channel-file.ts";
import { sdkLogger } from "./api.ts";
import { spentCard, type FeishuMessenger } from "./messenger.ts";
import { boundText, INVITE_REFUSED_TEXT } from "@duban/core/invites/channel-invite-link";

/**
 * What 飞书 sends the app, over the long connection (WSClient) or the HTTP callback, as the
 * SDK's EventDispatcher hands it over (schema 2.0: the header's fields and the event's, flat):
 * - im.message.receive_v1 (接收消息): a text to the bot in a p2p chat → "绑定 <code>", or the
 *   answer to the question asked back (the percentage after 推进中, the extension's reason); a
 *   picture or file, fetched from the message's resources and kept with the report;
 * - card.action.trigger (卡片回传交互): a tap on a reminder card's button. It must be answered
 *   within 3 seconds: the answer (a toast and the card with its buttons spent) is what the
 *   liaison sees; a slower handling answers "已收到" and finishes afterwards.
 * Each event is stored first by its header.event_id (ChannelEvent), so a replay after a
 * reconnect is handled once; an event for another app is dropped. No rule lives here.
 */
export interface FeishuInboundDeps {
  db: Db;
  now: () => Date;
  log?: Logger;
  workingHours?: WorkingHours;
  /** Our app's id: events carrying another app_id are refused. */
  appId: string;
  messenger: FeishuMessenger;
  /** How long a tap's handling may take before the 3-second answer goes out without it. */
  answerWithinMs?: number;
}

const headerSchema = z.object({ event_id: z.string().min(1).max(128), app_id: z.string() });

const messageEventSchema = headerSchema.extend({
  sender: z.object({ sender_id: z.object({ open_id: z.string().min(1).max(128) }), sender_type: z.string() }),
  message: z.object({ message_id: z.string(), chat_type: z.string(), message_type: z.string(), content: z.string() }),
});

const cardEventSchema = headerSchema.extend({
  operator: z.object({ open_id: z.string().min(1).max(128) }),
  action: z.object({ value: z.object({ key: z.string().max(64) }).partial().nullish() }),
  context: z.object({ open_message_id: z.string().optional() }).optional(),
});

type CardAnswer = { toast: { type: "success" | "info" | "warning" | "error"; content: string }; card?: { type: "raw"; data: unknown } };

const toast = (type: CardAnswer["toast"]["type"], content: string): CardAnswer => ({ toast: { type, content } });

export function feishuEventDispatcher(deps: FeishuInboundDeps, keys: { encryptKey?: string; verificationToken?: string } = {}): lark.EventDispatcher {
  return new lark.EventDispatcher({ ...keys, logger: sdkLogger(deps.log), loggerLevel: lark.LoggerLevel.warn }).register({
    "im.message.receive_v1": async (data: unknown) => {
      await onMessage(deps, data);
    },
    "card.action.trigger": (data: unknown) => onCardAction(deps, data),
  });
}

/** True when the event is for our app; logs and refuses it otherwise. */
function ours(deps: FeishuInboundDeps, appId: string, type: string): boolean {
  if (appId === deps.appId) return true;
  deps.log?.warn({ type }, "feishu: event for another app refused");
  return false;
}

/** Runs the handling once per event id; when it fails the id is forgotten, so 飞书's retry is handled again. */
async function once<T>(deps: FeishuInboundDeps, eventId: string, handle: () => Promise<T>): Promise<T | "seen"> {
  if (!(await firstDelivery(deps.db, "feishu", eventId, deps.now()))) return "seen";
  try {
    return await handle();
  } catch (error) {
    await deps.db.channelEvent.deleteMany({ where: { channel: "feishu", eventId } });
    throw error;
  }
}

async function onMessage(deps: FeishuInboundDeps, data: unknown): Promise<void> {
  const parsed = messageEventSchema.safeParse(data);
  if (!parsed.success) {
    deps.log?.warn("feishu: message event not understood");
    return;
  }
  const event = parsed.data;
  if (!ours(deps, event.app_id, "im.message.receive_v1")) return;
  // Only people writing to the bot one-to-one; group chats and other bots are not liaisons' answers.
  if (event.sender.sender_type !== "user" || event.message.chat_type !== "p2p") return;
  const { db, log, messenger } = deps;
  const openId = event.sender.sender_id.open_id;
  await once(deps, event.event_id, async () => {
    const now = deps.now();
    const text = event.message.message_type === "text" ? textOf(event.message.content) : null;
    // "绑定 <code>": the office's single-use invitation, sent to the bot by the member it is for.
    const token = text === null ? null : inviteTokenInText(text);
    if (token) {
      const result = await redeemChannelInvite(db, { token, channel: "feishu", externalId: openId, now });
      log?.info({ ok: result.ok, reason: result.ok ? undefined : result.reason, contactId: result.ok ? result.contactId : undefined }, "feishu: invite");
      await messenger.sendText(openId, result.ok ? boundText(result) : INVITE_REFUSED_TEXT);
      return;
    }
    const contact = await contactOnChannel(db, "feishu", openId);
    if (!contact) {
      await messenger.sendText(openId, "您尚未绑定督办联络人身份：请向办公室索取邀请码，并在此发送“绑定 邀请码”。");
      return;
    }
    // The member wrote to the bot: reachable again if a send had failed.
    await markContactReachable(db, { contactId: contact.id, now });
    // The conversation every channel shares: statuses and percentages in free text, 任务, 帮助, 申请延期, language;
    // a picture or file is kept with the report (its task asked for when several are open).
    const said = text !== null ? { text } : await fileOf(deps, event.message);
    const reply = await converse(db, { channel: "feishu", externalId: openId, contactId: contact.id, now, ...(deps.workingHours ? { workingHours: deps.workingHours } : {}) }, said);
    log?.info({ contactId: contact.id, messageType: event.message.message_type, fileProblem: said.fileProblem ?? undefined }, "feishu: message");
    await messenger.sendText(openId, reply);
  });
}

const fileContentSchema = z.object({ image_key: z.string().min(1).max(256).optional(), file_key: z.string().min(1).max(256).optional(), file_name: z.string().max(255).optional() });

/**
 * A picture (message_type image, content {"image_key"}) or file ({"file_key", "file_name"}):
 * fetched at once from the message's resources, within the size limit. Audio, video, stickers
 * and rich text are answered as a type Duban does not take.
 */
async function fileOf(deps: FeishuInboundDeps, message: { message_id: string; message_type: string; content: string }): Promise<LiaisonMessage> {
  if (message.message_type !== "image" && message.message_type !== "file") return { text: "", fileProblem: "unsupported" };
  const content = fileContentSchema.safeParse(parseJson(message.content)).data;
  const photo = message.message_type === "image";
  const key = photo ? content?.image_key : content?.file_key;
  if (!key) return { text: "", fileProblem: "unavailable" };
  const fetched = await deps.messenger.api.download(message.message_id, key, photo ? "image" : "file", CHANNEL_FILE_MAX_BYTES);
  if (!fetched.ok) deps.log?.warn({ problem: fetched.problem, error: fetched.error }, "feishu: file not fetched");
  return fileMessage(fetched, { photo, ref: `feishu:${key}`, fileName: content?.file_name ?? null });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A text message's content is JSON: {"text":"..."}. */
function textOf(content: string): string | null {
  try {
    const value = (JSON.parse(content) as { text?: unknown }).text;
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

async function onCardAction(deps: FeishuInboundDeps, data: unknown): Promise<CardAnswer | undefined> {
  const parsed = cardEventSchema.safeParse(data);
  if (!parsed.success) {
    deps.log?.warn("feishu: card action not understood");
    return toast("error", "无法识别的操作。");
  }
  const event = parsed.data;
  if (!ours(deps, event.app_id, "card.action.trigger")) return undefined;
  const work = once(deps, event.event_id, () => handleTap(deps, event.operator.open_id, event.action.value?.key ?? ""));
  // Answer within 飞书's 3 seconds whatever happens; a slow handling still finishes and replies by message.
  const first = await withinDeadline(work, deps.answerWithinMs ?? 2500);
  if (first === LATE) {
    work.then(
      (answer) => {
        if (answer !== "seen" && answer.card) void deps.messenger.send(answer.card);
        if (answer !== "seen" && answer.followUp) void deps.messenger.sendText(event.operator.open_id, answer.followUp);
      },
      (error: unknown) => deps.log?.error({ err: error }, "feishu: card tap failed after answering"),
    );
    return toast("info", "已收到，正在处理。");
  }
  if (first === "seen") return toast("info", "已处理。");
  if (first.card) {
    const card = first.card;
    setImmediate(() => void deps.messenger.send(card));
  }
  if (first.followUp) {
    // After the answer: the question asked back stays in the conversation, as in Telegram.
    const followUp = first.followUp;
    setImmediate(() => void deps.messenger.sendText(event.operator.open_id, followUp));
  }
  return first.answer;
}

export const LATE = Symbol("late");

/** The work's result, or LATE when it takes longer than `ms` (the work goes on; its failure is the caller's to handle). */
export async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<typeof LATE>((resolve) => (timer = setTimeout(resolve, ms, LATE)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function handleTap(deps: FeishuInboundDeps, openId: string, key: string): Promise<{ answer: CardAnswer; followUp: string | null; card?: OutgoingMessage }> {
  const { db, log } = deps;
  const now = deps.now();
  const contact = await contactOnChannel(db, "feishu", openId);
  if (!contact) return { answer: toast("warning", "您尚未绑定督办联络人身份：请向办公室索取邀请码，并向本应用发送“绑定 邀请码”。"), followUp: null };
  await markContactReachable(db, { contactId: contact.id, now });
  const action = parseCardActionKey(key);
  const who = { channel: "feishu" as const, externalId: openId, contactId: contact.id, now, ...(deps.workingHours ? { workingHours: deps.workingHours } : {}) };
  const { label, text, outcome } = action ? await tapCard(db, who, action) : { label: "未处理", text: TEXTS.zh.notYourTask, outcome: { kind: "refused" as const } };
  log?.info({ contactId: contact.id, outcome: outcome.kind }, "feishu: card tap");
  if (outcome.kind === "refused") return { answer: toast("warning", text), followUp: null };
  // A digest's item: the digest stays as it is; that reminder's own card follows the answer.
  if (outcome.kind === "opened") return { answer: toast("info", outcome.message.language === "en" ? "Report on it in the card below." : "请在下方卡片中报送。"), followUp: null, card: outcome.message };
  if (outcome.kind === "tasks") return { answer: toast("info", text.split("\n")[0] ?? ""), followUp: text };
  // The card keeps its reminder text, its buttons replaced by what was recorded.
  const reminder = action && "reminderId" in action ? await db.reminder.findFirst({ where: { id: action.reminderId, contactId: contact.id }, select: { kind: true, text: true } }) : null;
  const asksBack = outcome.kind === "ask-extension-reason" || (outcome.kind === "recorded" && outcome.askProgress);
  return {
    answer: { toast: { type: "success", content: text }, card: { type: "raw", data: spentCard(reminder?.kind ?? "reminder", reminder?.text ?? null, label) } },
    followUp: asksBack ? text : null,
  };
}
