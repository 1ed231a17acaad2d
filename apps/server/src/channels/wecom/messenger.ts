import { cardActionKey, type CardAction } from "@duban/core/channels/liaison-actions";
import type { CardUpdate, Messenger, OutgoingMessage, SendResult } from "@duban/core/channels/messenger";
import { digestGroups, digestItemLabel, reminderDigestText } from "@duban/domain/reminder-text";
import { WecomApi, WecomApiError, WecomTransportError, type WecomAnswer } from "./api.ts";

/** Kinds that ask the recipient to answer for the unit: they carry the status buttons (as in Telegram). */
const ANSWERABLE = new Set(["reminder", "urge", "escalation-head"]);

const TITLES: Record<string, string> = {
  reminder: "督办提醒：请填报进度",
  urge: "催办：请尽快报送",
  "escalation-head": "督办：本单位事项需关注",
};

/** 全局错误码 (document/path/90313) the delivery loop treats as "this member cannot be reached". */
const UNREACHABLE = new Set([
  81013, // UserID、部门ID、标签ID全部非法或无权限
  60111, // UserID不存在
  82001, // 指定的成员/部门/标签全部为空
]);
/** Answers worth another try later: 45009 接口调用超过限制, 45033 接口并发调用超过限制, -1 系统繁忙. */
const RETRY_LATER = new Map([
  [45009, 60_000],
  [45033, 10_000],
  [-1, 30_000],
]);
const TOKEN_TROUBLE = new Set([42001, 40014]);

/** How an answer (or a failed call) is reported to the dispatcher. */
export function classifyWecom(answer: WecomAnswer | Error): Exclude<SendResult, { ok: true }> {
  if (answer instanceof WecomTransportError) return { ok: false, outcome: "retry", error: answer.message, ...(answer.maybeDelivered ? { maybeDelivered: true } : {}) };
  // gettoken failed: the app's credentials or 企业微信, not this message; it waits for them to be fixed.
  if (answer instanceof WecomApiError) return { ok: false, outcome: "retry", error: answer.message };
  if (answer instanceof Error) return { ok: false, outcome: "retry", error: answer.message };
  const error = `${answer.errcode}: ${answer.errmsg}`;
  const wait = RETRY_LATER.get(answer.errcode);
  if (wait !== undefined) return { ok: false, outcome: "retry", retryAfterMs: wait, error };
  // Still expired after one refresh and retry (api.ts): try again on the next pass.
  if (TOKEN_TROUBLE.has(answer.errcode)) return { ok: false, outcome: "retry", error };
  if (UNREACHABLE.has(answer.errcode)) return { ok: false, outcome: "unreachable", error };
  return { ok: false, outcome: "failed", error };
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * A 按钮交互型 template card (模板卡片类型, document/path/90236 and 101032): title, the reminder's
 * text, and the buttons. Button keys carry the action (`cardActionKey`); a tap comes back as a
 * template_card_event with that EventKey. Length limits are the docs' (title 26, sub title 112,
 * button text 10 characters, at most 6 buttons).
 */
export function reminderCard(message: OutgoingMessage, taskId: string) {
  const actions: Array<{ text: string; style: number; action: CardAction }> = [
    { text: "已完成", style: 1, action: { type: "status", reminderId: message.reminderId, status: "done" } },
    { text: "推进中", style: 2, action: { type: "status", reminderId: message.reminderId, status: "in_progress" } },
    { text: "有困难", style: 3, action: { type: "status", reminderId: message.reminderId, status: "blocked" } },
    { text: "申请延期", style: 4, action: { type: "extension", reminderId: message.reminderId } },
  ];
  // A head's escalation is not theirs to snooze (as in Telegram).
  if (message.kind !== "escalation-head") actions.push({ text: "稍后提醒", style: 4, action: { type: "snooze", reminderId: message.reminderId } });
  const [first = "", ...rest] = message.text.split("\n");
  return {
    card_type: "button_interaction",
    source: { desc: "督办" },
    main_title: { title: clip(TITLES[message.kind] ?? "督办", 26), desc: clip(first, 30) },
    sub_title_text: clip(rest.join("\n") || first, 112),
    task_id: taskId,
    button_list: actions.map((a) => ({ text: a.text, style: a.style, key: cardActionKey(a.action) })),
  };
}

/** 按钮交互型's limit: at most 6 buttons. */
const CARD_BUTTONS = 6;

/**
 * A digest (several reminders due to one liaison at once) as one 按钮交互型 card: the list in
 * its text, and a button per item (its key the item's "open" action: that reminder's own card,
 * with the status buttons, comes back). Over the 6 buttons a card takes, 5 items and "其余任务",
 * which answers with the unit's task list.
 */
export function digestCard(messages: OutgoingMessage[], taskId: string) {
  const ordered = digestGroups(messages, (m) => m.text).flatMap((g) => g.items);
  const lang = messages[0]?.language === "en" ? "en" : "zh";
  const shown = ordered.length <= CARD_BUTTONS ? ordered : ordered.slice(0, CARD_BUTTONS - 1);
  const buttons = shown.map((m) => ({ text: digestItemLabel(m.text, 10), style: 2, key: cardActionKey({ type: "open", reminderId: m.reminderId }) }));
  if (shown.length < ordered.length) buttons.push({ text: lang === "en" ? "More tasks" : "其余任务", style: 4, key: cardActionKey({ type: "tasks" }) });
  const [, ...lines] = reminderDigestText(lang, ordered.map((m) => m.text)).split("\n");
  return {
    card_type: "button_interaction",
    source: { desc: "督办" },
    main_title: { title: clip(lang === "en" ? `Reminder: ${ordered.length} items to report` : `督办提醒：${ordered.length} 项待报送`, 26), desc: clip(lang === "en" ? "Tap a task to report on it" : "点击任务逐项报送", 30) },
    sub_title_text: clip(lines.slice(0, -1).join("\n"), 112),
    task_id: taskId,
    button_list: buttons,
  };
}

/** 企业微信's limit for a text message is 2,048 bytes. */
function clipBytes(text: string, maxBytes = 2048): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = text;
  while (Buffer.byteLength(cut) > maxBytes - 3) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * The scheduler's Messenger over a 企业微信 self-built app (自建应用): reminders, urges and head
 * escalations as button cards to the member's userid; notices, decisions and office escalations
 * as text. `chatId` is the userid. A digest is one card with a button per task (`digestCard`).
 */
export class WecomMessenger implements Messenger {
  constructor(readonly api: WecomApi) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const answerable = message.contactId !== null && message.roundId !== null && ANSWERABLE.has(message.kind);
    // task_id must be unique within the app, also when a reminder is sent again after a lost answer.
    const taskId = `duban-${message.reminderId}-${Date.now().toString(36)}`;
    const body = answerable
      ? { touser: message.chatId, msgtype: "template_card", agentid: this.api.config.agentId, template_card: reminderCard(message, taskId) }
      : { touser: message.chatId, msgtype: "text", agentid: this.api.config.agentId, text: { content: clipBytes(message.text) } };
    return this.deliver("/cgi-bin/message/send", body, (answer) => String(answer.msgid ?? ""));
  }

  /** Several reminders due at once, as one card whose buttons open each one's own card. */
  async sendDigest(messages: OutgoingMessage[]): Promise<SendResult> {
    const first = messages[0]!;
    const taskId = `duban-d${first.reminderId}-${Date.now().toString(36)}`;
    return this.deliver("/cgi-bin/message/send", { touser: first.chatId, msgtype: "template_card", agentid: this.api.config.agentId, template_card: digestCard(messages, taskId) }, (answer) => String(answer.msgid ?? ""));
  }

  /** After a tap: the buttons become one spent, unclickable button with what was recorded (更新按钮为不可点击状态). */
  async updateCard(update: CardUpdate): Promise<SendResult> {
    return this.deliver(
      "/cgi-bin/message/update_template_card",
      { userids: [update.chatId], agentid: this.api.config.agentId, response_code: update.ref, button: { replace_name: clip(update.label, 10) } },
      () => update.ref,
    );
  }

  /** A reply in the conversation (the answer to a tap or a text); not through the outbox, like Telegram's replies. */
  async sendText(userId: string, text: string): Promise<SendResult> {
    return this.deliver("/cgi-bin/message/send", { touser: userId, msgtype: "text", agentid: this.api.config.agentId, text: { content: clipBytes(text) } }, (answer) => String(answer.msgid ?? ""));
  }

  private async deliver(path: string, body: unknown, idOf: (answer: WecomAnswer) => string): Promise<SendResult> {
    try {
      const answer = await this.api.post(path, body);
      if (answer.errcode !== 0) return classifyWecom(answer);
      // A partly invalid recipient list still answers 0, naming them: Duban sends to one member.
      if (typeof answer.invaliduser === "string" && answer.invaliduser !== "") return { ok: false, outcome: "unreachable", error: `invaliduser: ${answer.invaliduser}` };
      return { ok: true, messageId: idOf(answer) };
    } catch (error) {
      return classifyWecom(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
