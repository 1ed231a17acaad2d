import { GrammyError, HttpError, type Api } from "grammy";
import type { Messenger, OutgoingMessage, SendResult } from "@duban/core/channels/messenger";
import { noticeIdOfKey } from "@duban/core/notices/notices";
import { digestGroups, reminderDigestText } from "@duban/domain/reminder-text";
import { callbackSecretFor } from "./callback-data.ts";
import { translator } from "./i18n.ts";
import { shorten } from "./format.ts";
import { Buttons } from "./keyboards.ts";

/** Kinds that ask the recipient to answer for the unit: they carry the status buttons. */
const ANSWERABLE = new Set(["reminder", "urge", "escalation-head"]);

/** Network failures that happen before a request is sent: Telegram cannot have seen it. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/**
 * How a failed Bot API call is reported to the dispatcher:
 * 429 → retry after Telegram's retry_after; 5xx (Telegram answered) and connection failures → retry;
 * 403 (blocked, never started) → unreachable; any other 4xx → failed, not retried.
 * A timeout or a connection lost after the request went out is the lost-answer case: Telegram may
 * have delivered the message. It is not retried in-process (auto-retry rethrows network errors);
 * the dispatcher resends it later, once per attempt, and counts and audits it as a possible
 * duplicate, like a reclaimed claim (see ARCHITECTURE, "Duplicate windows").
 */
export function classifySendError(error: unknown): Exclude<SendResult, { ok: true }> {
  if (error instanceof GrammyError) {
    const description = `${error.error_code}: ${error.description}`;
    if (error.error_code === 429) {
      const seconds = error.parameters.retry_after;
      return { ok: false, outcome: "retry", error: description, ...(typeof seconds === "number" ? { retryAfterMs: seconds * 1000 } : {}) };
    }
    if (error.error_code >= 500) return { ok: false, outcome: "retry", error: description };
    if (error.error_code === 403) return { ok: false, outcome: "unreachable", error: description };
    return { ok: false, outcome: "failed", error: description };
  }
  if (error instanceof HttpError) {
    const code = (error.error as { code?: unknown } | undefined)?.code;
    if (typeof code === "string" && NOT_SENT_CODES.has(code)) return { ok: false, outcome: "retry", error: `network: ${error.message}` };
    return { ok: false, outcome: "retry", maybeDelivered: true, error: `answer lost: ${error.message}` };
  }
  return { ok: false, outcome: "retry", error: error instanceof Error ? error.message : String(error) };
}

/**
 * The scheduler's Messenger over the Bot API. Reminders, urges and head escalations get the
 * status buttons (bound to the recipient), notices a 收到 button; office escalations and decisions are plain.
 * Uses the bot's Api, so auto-retry (short 429/5xx waits) and the throttler apply; what is
 * still failing is classified for the dispatcher, which keeps the outbox state.
 */
export class TelegramMessenger implements Messenger {
  private readonly secret: string;

  constructor(
    private readonly api: Api,
    botToken: string,
  ) {
    this.secret = callbackSecretFor(botToken);
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const language = message.language === "en" ? "en" : "zh";
    let reply_markup;
    if (message.contactId !== null && message.roundId !== null && ANSWERABLE.has(message.kind)) {
      const buttons = new Buttons(translator(language), message.contactId, this.secret);
      reply_markup = buttons.status(
        { kind: "reminder", id: message.reminderId },
        { snoozeReminderId: message.kind === "escalation-head" ? null : message.reminderId, extensionRoundId: message.roundId },
      );
    }
    const noticeId = message.kind === "notice" ? noticeIdOfKey(message.key) : null;
    if (message.contactId !== null && noticeId !== null) {
      reply_markup = new Buttons(translator(language), message.contactId, this.secret).noticeReceipt(noticeId, false);
    }
    try {
      const sent = await this.api.sendMessage(message.chatId, message.text, reply_markup ? { reply_markup } : {});
      return { ok: true, messageId: String(sent.message_id) };
    } catch (error) {
      return classifySendError(error);
    }
  }

  /**
   * Several ladder reminders due to one liaison at once, as one message: the tasks with their
   * due lines, and a button per item that opens its round's status buttons.
   */
  async sendDigest(messages: OutgoingMessage[]): Promise<SendResult> {
    const first = messages[0]!;
    const language = first.language === "en" ? "en" : "zh";
    // One button per round: "任务8 季度进度（2026年第三季度）" opens that round's status buttons;
    // plan by plan, as the text lists them (the label starts with the plan's short title).
    const rounds = new Map<number, string>();
    for (const m of digestGroups(messages, (x) => x.text).flatMap((g) => g.items)) {
      if (m.roundId === null || rounds.has(m.roundId)) continue;
      const [, task = "", what = ""] = m.text.split("\n");
      rounds.set(m.roundId, shorten(`${task.split(/[：:]/)[0]} ${what.split(/[，,]/)[0]}`, 30));
    }
    const buttons = new Buttons(translator(language), first.contactId!, this.secret);
    const reply_markup = buttons.list([...rounds].map(([roundId, label]) => ({ label, data: { action: "pick-round" as const, roundId } })));
    try {
      const sent = await this.api.sendMessage(first.chatId, reminderDigestText(language, messages.map((m) => m.text)), { reply_markup });
      return { ok: true, messageId: String(sent.message_id) };
    } catch (error) {
      return classifySendError(error);
    }
  }

  /** A plain message to a chat that is no contact's (the office's daily digest). */
  async sendText(chatId: string, text: string): Promise<SendResult> {
    try {
      const sent = await this.api.sendMessage(chatId, text);
      return { ok: true, messageId: String(sent.message_id) };
    } catch (error) {
      return classifySendError(error);
    }
  }
}

export function createTelegramMessenger(bot: { api: Api; token: string }): TelegramMessenger {
  return new TelegramMessenger(bot.api, bot.token);
}
