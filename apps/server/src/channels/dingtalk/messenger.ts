import { cardActionKey, type CardAction } from "@duban/core/channels/liaison-actions";
import type { CardUpdate, Messenger, OutgoingMessage, SendResult } from "@duban/core/channels/messenger";
import { digestGroups, digestItemLabel, reminderDigestText } from "@duban/domain/reminder-text";
import { DingtalkApi, DingtalkTokenError, DingtalkTransportError, type DingtalkAnswer } from "./api.ts";

/**
 * The scheduler's Messenger over a 钉钉 企业内部应用's robot, in the robot's 1-on-1 chat with the
 * member (`chatId` is the member's userId, 钉钉's staffId):
 * - reminders, urges and head escalations as 互动卡片 (机器人发送互动卡片, POST
 *   /v1.0/im/v1.0/robot/interactiveCards/send, the built-in "StandardCard" template, so the office
 *   builds no template): the text and one 回传请求 (actionType "request") button per action, whose
 *   id is the action's key (`cardActionKey`); a tap comes back over Stream mode on the card
 *   callback topic with that id in cardPrivateData.actionIds;
 * - after a tap the card is replaced (更新机器人发送互动卡片, PUT /v1.0/im/robots/interactiveCards,
 *   by cardBizId): the same text, the buttons gone, what was recorded in their place;
 * - a digest (several reminders due at once) as one such card with a button per task, whose id
 *   is the item's "open" action (`digestCard`);
 * - notices, decisions, office escalations and replies as text (批量发送人与机器人会话中机器人消息,
 *   POST /v1.0/robot/oToMessages/batchSend, msgKey sampleText). That call answers 200 also when it
 *   did not deliver: it names the members it refused (invalidStaffIdList) and those over their
 *   limit (flowControlledStaffIdList), so both are read as the delivery check.
 * Not 工作通知 (corpconversation): it drops a repeated text silently (same content to a member once
 * a day) and answers success over its limits.
 */

/** Kinds that ask the recipient to answer for the unit: they carry the status buttons (as in Telegram). */
const ANSWERABLE = new Set(["reminder", "urge", "escalation-head"]);

const TITLES: Record<string, string> = {
  reminder: "督办提醒：请填报进度",
  urge: "催办：请尽快报送",
  "escalation-head": "督办：本单位事项需关注",
};

/** 钉钉 asks to wait about a second after its QPS limit; the outbox retries a little later. */
const QPS_RETRY_MS = 2_000;
/** Over a member's message limit (flowControlledStaffIdList): a minute later. */
const FLOW_CONTROL_RETRY_MS = 60_000;
/** A missing permission or a disabled robot: the office fixes the app, the reminders wait for it. */
const CONFIG_RETRY_MS = 10 * 60 * 1000;

/** How an answer (or a failed call) is reported to the dispatcher. */
export function classifyDingtalk(answer: DingtalkAnswer | Error): Exclude<SendResult, { ok: true }> {
  if (answer instanceof DingtalkTransportError) return { ok: false, outcome: "retry", error: answer.message, ...(answer.maybeDelivered ? { maybeDelivered: true } : {}) };
  // The token failed: the app's credentials or 钉钉, not this message; it waits for them to be fixed.
  if (answer instanceof DingtalkTokenError) return { ok: false, outcome: "retry", retryAfterMs: CONFIG_RETRY_MS, error: answer.message };
  if (answer instanceof Error) return { ok: false, outcome: "retry", error: answer.message };
  const code = typeof answer.body.code === "string" ? answer.body.code : "";
  const error = `HTTP ${answer.status} ${code}: ${String(answer.body.message ?? "")}`.slice(0, 300);
  if (answer.status === 429 || code.startsWith("Forbidden.AccessDenied.QpsLimit")) return { ok: false, outcome: "retry", retryAfterMs: QPS_RETRY_MS, error };
  // 钉钉 may have taken the message before failing: a resend may be a duplicate.
  if (answer.status >= 500) return { ok: false, outcome: "retry", error, maybeDelivered: true };
  // Still refused after one new token (api.ts), or a permission the app lacks: try again later.
  if (answer.status === 401 || answer.status === 403) return { ok: false, outcome: "retry", retryAfterMs: CONFIG_RETRY_MS, error };
  return { ok: false, outcome: "failed", error };
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

interface CardButton {
  text: string;
  status: "primary" | "normal" | "warning";
  action: CardAction;
}

function buttonsOf(message: Pick<OutgoingMessage, "reminderId" | "kind">): CardButton[] {
  const id = message.reminderId;
  const buttons: CardButton[] = [
    { text: "已完成", status: "primary", action: { type: "status", reminderId: id, status: "done" } },
    { text: "推进中", status: "normal", action: { type: "status", reminderId: id, status: "in_progress" } },
    { text: "有困难", status: "warning", action: { type: "status", reminderId: id, status: "blocked" } },
    { text: "申请延期", status: "normal", action: { type: "extension", reminderId: id } },
  ];
  // A head's escalation is not theirs to snooze (as in Telegram).
  if (message.kind !== "escalation-head") buttons.push({ text: "稍后提醒", status: "normal", action: { type: "snooze", reminderId: id } });
  return buttons;
}

/**
 * The StandardCard JSON (卡片搭建平台's 通用卡片 schema: config, header, contents) of a reminder:
 * its title, its text as plain text (no markdown to escape), and its buttons, or, once spent,
 * the label of what was recorded instead of them.
 */
export function reminderCard(message: { reminderId: number; kind: string; text: string }, spent?: string) {
  const contents: unknown[] = [{ type: "text", text: clip(message.text, 2000), id: "duban_text" }];
  if (spent !== undefined) {
    contents.push({ type: "text", text: `✔ ${clip(spent, 40)}`, id: "duban_recorded" });
  } else {
    contents.push({
      type: "action",
      id: "duban_actions",
      actions: buttonsOf(message as OutgoingMessage).map((b) => {
        const key = cardActionKey(b.action);
        return { type: "button", id: key, actionType: "request", status: b.status, label: { type: "text", text: b.text, id: `label_${key}` } };
      }),
    });
  }
  return {
    config: { autoLayout: true, enableForward: false },
    header: { title: { type: "text", text: TITLES[message.kind] ?? "督办" } },
    contents,
  };
}

/** Items a digest card offers as buttons (the rest behind "其余任务"). */
const DIGEST_BUTTONS = 20;

/**
 * A digest (several reminders due to one liaison at once) as one StandardCard: the list as
 * text, and a 回传请求 button per item whose id is the item's "open" action (that reminder's own
 * card, with the status buttons, follows the tap); past DIGEST_BUTTONS, "其余任务" answers with
 * the task list.
 */
export function digestCard(messages: OutgoingMessage[]) {
  const ordered = digestGroups(messages, (m) => m.text).flatMap((g) => g.items);
  const lang = messages[0]?.language === "en" ? "en" : "zh";
  const shown = ordered.length <= DIGEST_BUTTONS ? ordered : ordered.slice(0, DIGEST_BUTTONS - 1);
  const items: Array<{ text: string; key: string }> = shown.map((m) => ({ text: digestItemLabel(m.text, 20), key: cardActionKey({ type: "open", reminderId: m.reminderId }) }));
  if (shown.length < ordered.length) items.push({ text: lang === "en" ? "More tasks" : "其余任务", key: cardActionKey({ type: "tasks" }) });
  return {
    config: { autoLayout: true, enableForward: false },
    header: { title: { type: "text", text: lang === "en" ? `Reminder: ${ordered.length} items to report` : `督办提醒：${ordered.length} 项待报送` } },
    contents: [
      { type: "text", text: clip(reminderDigestText(lang, ordered.map((m) => m.text)), 2000), id: "duban_text" },
      { type: "action", id: "duban_actions", actions: items.map((item) => ({ type: "button", id: item.key, actionType: "request", status: "normal", label: { type: "text", text: item.text, id: `label_${item.key}` } })) },
    ],
  };
}

/** sampleText's content is cut well within the robot message limit. */
const TEXT_MAX = 4000;

export class DingtalkMessenger implements Messenger {
  constructor(readonly api: DingtalkApi) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const answerable = message.contactId !== null && message.roundId !== null && ANSWERABLE.has(message.kind);
    if (!answerable) return this.sendText(message.chatId, message.text);
    // cardBizId: unique per card, also when a reminder is sent again after a lost answer; the tap names it.
    const cardBizId = `duban-${message.reminderId}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
    return this.deliver("POST", "/v1.0/im/v1.0/robot/interactiveCards/send", {
      cardTemplateId: "StandardCard",
      robotCode: this.api.config.robotCode,
      cardBizId,
      singleChatReceiver: JSON.stringify({ userId: message.chatId }),
      cardData: JSON.stringify(reminderCard(message)),
      sendOptions: {},
    }, () => ({ ok: true, messageId: cardBizId }));
  }

  /** Several reminders due at once, as one card whose buttons open each one's own card. */
  async sendDigest(messages: OutgoingMessage[]): Promise<SendResult> {
    const first = messages[0]!;
    const cardBizId = `duban-d${first.reminderId}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
    return this.deliver("POST", "/v1.0/im/v1.0/robot/interactiveCards/send", {
      cardTemplateId: "StandardCard",
      robotCode: this.api.config.robotCode,
      cardBizId,
      singleChatReceiver: JSON.stringify({ userId: first.chatId }),
      cardData: JSON.stringify(digestCard(messages)),
      sendOptions: {},
    }, () => ({ ok: true, messageId: cardBizId }));
  }

  /** After a tap: the card again, with what was recorded where its buttons were (`ref` is the cardBizId). */
  async updateCard(update: CardUpdate): Promise<SendResult> {
    const reminderId = Number(/^duban-(\d+)-/.exec(update.ref)?.[1] ?? 0);
    const message = { reminderId, kind: update.message?.kind ?? "reminder", text: update.message?.text ?? "" };
    return this.deliver("PUT", "/v1.0/im/robots/interactiveCards", { cardBizId: update.ref, cardData: JSON.stringify(reminderCard(message, update.label)) }, () => ({ ok: true, messageId: update.ref }));
  }

  /** A text in the member's chat with the robot (a notice, or the answer to a tap or a text). */
  async sendText(userId: string, text: string): Promise<SendResult> {
    return this.deliver(
      "POST",
      "/v1.0/robot/oToMessages/batchSend",
      { robotCode: this.api.config.robotCode, userIds: [userId], msgKey: "sampleText", msgParam: JSON.stringify({ content: clip(text, TEXT_MAX) }) },
      (answer) => {
        const listed = (field: string) => Array.isArray(answer.body[field]) && (answer.body[field] as unknown[]).includes(userId);
        // The delivery check: a 200 that names the member did not deliver to them.
        if (listed("invalidStaffIdList")) return { ok: false, outcome: "unreachable", error: `invalidStaffIdList: ${userId}` };
        if (listed("flowControlledStaffIdList")) return { ok: false, outcome: "retry", retryAfterMs: FLOW_CONTROL_RETRY_MS, error: `flowControlledStaffIdList: ${userId}` };
        return { ok: true, messageId: String(answer.body.processQueryKey ?? "") };
      },
    );
  }

  private async deliver(method: "POST" | "PUT", path: string, body: unknown, resultOf: (answer: DingtalkAnswer) => SendResult): Promise<SendResult> {
    try {
      const answer = await this.api.call(method, path, body);
      if (answer.status !== 200) return classifyDingtalk(answer);
      return resultOf(answer);
    } catch (error) {
      return classifyDingtalk(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
