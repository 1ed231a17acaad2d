import { cardActionKey, type CardAction } from "@duban/core/channels/liaison-actions";
import type { CardUpdate, Messenger, OutgoingMessage, SendResult } from "@duban/core/channels/messenger";
import { digestGroups, digestItemLabel, reminderDigestText } from "@duban/domain/reminder-text";
import { FeishuApi, FeishuHttpError, FeishuTransportError, type FeishuAnswer } from "./api.ts";

/** Kinds that ask the recipient to answer for the unit: they carry the status buttons (as in Telegram). */
const ANSWERABLE = new Set(["reminder", "urge", "escalation-head"]);

const TITLES: Record<string, string> = {
  reminder: "督办提醒：请填报进度",
  urge: "催办：请尽快报送",
  "escalation-head": "督办：本单位事项需关注",
};

/** Codes (发送消息's error list) for "this person cannot be reached by the app". */
const UNREACHABLE = new Set([
  230013, // Bot has NO availability to this user: outside the app's 可用范围
  99992361, // open_id cross app: an open_id of another app
]);
/** Answers worth another try later, with how long to wait when 飞书 does not say. */
const RETRY_LATER = new Map([
  [99991400, 1_000], // 应用频率限制 (HTTP 429): reset in x-ogw-ratelimit-reset
  [230020, 1_000], // 5 QPS per user/chat
  [1500, 30_000], // internal error
]);
/** The token endpoint refused the app's credentials: the app's configuration, not this message. */
const CREDENTIALS = new Set([10003, 10014, 99991661, 99991663, 99991668]);

/** How an answer (or a failed call) is reported to the dispatcher. */
export function classifyFeishu(answer: FeishuAnswer | Error): Exclude<SendResult, { ok: true }> {
  if (answer instanceof FeishuTransportError) return { ok: false, outcome: "retry", error: answer.message, ...(answer.maybeDelivered ? { maybeDelivered: true } : {}) };
  if (answer instanceof FeishuHttpError) {
    if (answer.answer) {
      const classified = classifyFeishu(answer.answer);
      if (answer.status === 429 || answer.answer.code === 99991400) return { ok: false, outcome: "retry", retryAfterMs: (answer.resetSeconds ?? 1) * 1000, error: classified.error };
      return classified;
    }
    if (answer.status === 429 || answer.status >= 500) return { ok: false, outcome: "retry", error: answer.message };
    return { ok: false, outcome: "failed", error: answer.message };
  }
  if (answer instanceof Error) return { ok: false, outcome: "retry", error: answer.message };
  const error = `${answer.code}: ${answer.msg}`;
  const wait = RETRY_LATER.get(answer.code);
  if (wait !== undefined) return { ok: false, outcome: "retry", retryAfterMs: wait, error };
  if (CREDENTIALS.has(answer.code)) return { ok: false, outcome: "retry", error };
  if (UNREACHABLE.has(answer.code)) return { ok: false, outcome: "unreachable", error };
  return { ok: false, outcome: "failed", error };
}

const plain = (content: string) => ({ tag: "plain_text", content });

/** Text elements are limited (the whole card to 30 KB): a reminder's text is far below, a note is cut. */
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function cardHeader(kind: string, template: string) {
  return { template, title: plain(clip(TITLES[kind] ?? "督办", 50)) };
}

/**
 * A 消息卡片 (interactive, JSON 1.0): a header, the reminder's text, and the buttons. Each
 * button's value carries the action key (`cardActionKey`), which the card.action.trigger
 * callback brings back. `update_multi`: a 共享卡片, the only kind PATCH can update.
 */
export function reminderCard(message: OutgoingMessage) {
  const actions: Array<{ text: string; type: string; action: CardAction }> = [
    { text: "已完成", type: "primary", action: { type: "status", reminderId: message.reminderId, status: "done" } },
    { text: "推进中", type: "default", action: { type: "status", reminderId: message.reminderId, status: "in_progress" } },
    { text: "有困难", type: "danger", action: { type: "status", reminderId: message.reminderId, status: "blocked" } },
    { text: "申请延期", type: "default", action: { type: "extension", reminderId: message.reminderId } },
  ];
  // A head's escalation is not theirs to snooze (as in Telegram).
  if (message.kind !== "escalation-head") actions.push({ text: "稍后提醒", type: "default", action: { type: "snooze", reminderId: message.reminderId } });
  return {
    config: { wide_screen_mode: true, update_multi: true },
    header: cardHeader(message.kind, message.kind === "reminder" ? "blue" : "orange"),
    elements: [
      { tag: "div", text: plain(clip(message.text, 3000)) },
      { tag: "action", actions: actions.map((a) => ({ tag: "button", text: plain(a.text), type: a.type, value: { key: cardActionKey(a.action) } })) },
    ],
  };
}

/** Items a digest card offers as buttons (the rest behind "其余任务"), in rows of this many. */
const DIGEST_BUTTONS = 20;
const BUTTONS_PER_ROW = 3;

/**
 * A digest (several reminders due to one liaison at once) as one card: the list as text, and a
 * button per item whose value is the item's "open" action (that reminder's own card, with the
 * status buttons, follows the tap); past DIGEST_BUTTONS, "其余任务" answers with the task list.
 */
export function digestCard(messages: OutgoingMessage[]) {
  const ordered = digestGroups(messages, (m) => m.text).flatMap((g) => g.items);
  const lang = messages[0]?.language === "en" ? "en" : "zh";
  const shown = ordered.length <= DIGEST_BUTTONS ? ordered : ordered.slice(0, DIGEST_BUTTONS - 1);
  const buttons = shown.map((m) => ({ tag: "button", text: plain(digestItemLabel(m.text, 20)), type: "default", value: { key: cardActionKey({ type: "open", reminderId: m.reminderId }) } }));
  if (shown.length < ordered.length) buttons.push({ tag: "button", text: plain(lang === "en" ? "More tasks" : "其余任务"), type: "default", value: { key: cardActionKey({ type: "tasks" }) } });
  const rows = Array.from({ length: Math.ceil(buttons.length / BUTTONS_PER_ROW) }, (_, i) => ({ tag: "action", actions: buttons.slice(i * BUTTONS_PER_ROW, (i + 1) * BUTTONS_PER_ROW) }));
  return {
    config: { wide_screen_mode: true, update_multi: true },
    header: { template: "blue", title: plain(lang === "en" ? `Reminder: ${ordered.length} items to report` : `督办提醒：${ordered.length} 项待报送`) },
    elements: [{ tag: "div", text: plain(clip(reminderDigestText(lang, ordered.map((m) => m.text)), 3000)) }, ...rows],
  };
}

/** The card after a tap: the same header and text (when known), the buttons replaced by what was recorded. */
export function spentCard(kind: string, text: string | null, label: string) {
  return {
    config: { wide_screen_mode: true, update_multi: true },
    header: cardHeader(kind, "grey"),
    elements: [...(text ? [{ tag: "div", text: plain(clip(text, 3000)) }] : []), { tag: "note", elements: [plain(clip(label, 100))] }],
  };
}

/** The longest pause a conversation reply waits for a rate limit to pass; longer ones are given up. */
const REPLY_WAIT_MAX_MS = 2000;

/** 飞书's text message limit is 150 KB; an answer or a notice is far below, this only guards. */
const textContent = (text: string) => JSON.stringify({ text: clip(text, 10_000) });

/**
 * The scheduler's Messenger over a 飞书 自建应用's bot: reminders, urges and head escalations as
 * interactive cards with buttons to the member's open_id; notices, decisions and office
 * escalations as text. `chatId` is the open_id. A digest is one card with a button per task (`digestCard`).
 */
export class FeishuMessenger implements Messenger {
  constructor(readonly api: FeishuApi) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const answerable = message.contactId !== null && message.roundId !== null && ANSWERABLE.has(message.kind);
    return this.create(message.chatId, answerable ? { msg_type: "interactive", content: JSON.stringify(reminderCard(message)) } : { msg_type: "text", content: textContent(message.text) });
  }

  /** Several reminders due at once, as one card whose buttons open each one's own card. */
  async sendDigest(messages: OutgoingMessage[]): Promise<SendResult> {
    return this.create(messages[0]!.chatId, { msg_type: "interactive", content: JSON.stringify(digestCard(messages)) });
  }

  /** A sent card's buttons replaced by the label (PATCH im/v1/messages/:message_id); `ref` is the message_id. */
  async updateCard(update: CardUpdate): Promise<SendResult> {
    return this.deliver(() => this.api.call("PATCH", `/open-apis/im/v1/messages/${encodeURIComponent(update.ref)}`, {}, { content: JSON.stringify(spentCard("reminder", null, update.label)) }), () => update.ref);
  }

  /**
   * A reply in the conversation (the answer to a tap or a text); not through the outbox, like
   * Telegram's replies. So a short refusal — the per-user 5 a second (230020) when a liaison
   * writes fast — is waited out here (twice at most), or the answer would be lost.
   */
  async sendText(openId: string, text: string): Promise<SendResult> {
    for (let attempt = 0; ; attempt++) {
      const result = await this.create(openId, { msg_type: "text", content: textContent(text) });
      const wait = !result.ok && result.outcome === "retry" && !result.maybeDelivered ? (result.retryAfterMs ?? 1000) : null;
      if (wait === null || wait > REPLY_WAIT_MAX_MS || attempt >= 2) return result;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private create(openId: string, body: { msg_type: string; content: string }): Promise<SendResult> {
    return this.deliver(
      () => this.api.call("POST", "/open-apis/im/v1/messages", { receive_id_type: "open_id" }, { receive_id: openId, ...body }),
      (answer) => String(answer.data?.message_id ?? ""),
    );
  }

  private async deliver(call: () => Promise<FeishuAnswer>, idOf: (answer: FeishuAnswer) => string): Promise<SendResult> {
    try {
      const answer = await call();
      if (answer.code !== 0) return classifyFeishu(answer);
      return { ok: true, messageId: idOf(answer) };
    } catch (error) {
      return classifyFeishu(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
