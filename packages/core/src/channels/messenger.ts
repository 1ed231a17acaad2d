/**
 * The port through which reminders, urges, escalations and notices leave Duban, on any channel.
 * Each channel has an adapter: Telegram (apps/bot), 企业微信 (apps/server/src/channels/wecom),
 * 钉钉 (apps/server/src/channels/dingtalk), 飞书 (apps/server/src/channels/feishu);
 * `routeByChannel` hands each message to its channel's adapter. Tests and the CLI use the
 * recording messenger. Implementations never throw for delivery problems: they classify them.
 * What comes back (a tap, a text) goes through `./channels/liaison-actions.ts`, so every channel
 * calls the same use cases.
 */
import { reminderDigestText } from "@duban/domain/reminder-text";

export const CHANNELS = ["telegram", "wecom", "dingtalk", "feishu"] as const;
export type Channel = (typeof CHANNELS)[number];

export type ReminderKind = "reminder" | "urge" | "escalation-head" | "escalation-office" | "notice" | "decision";

/** The kinds the reminder ladder plans against a due date (replanned when that date moves). */
export const LADDER_KINDS: ReminderKind[] = ["reminder", "escalation-head", "escalation-office"];

export interface OutgoingMessage {
  reminderId: number;
  key: string;
  kind: ReminderKind;
  /** Where it goes (Telegram when absent); `chatId` is that channel's address (chat id, 企业微信 userid…). */
  channel?: Channel;
  chatId: string;
  language: string;
  text: string;
  /** Present for messages about a round: the bot offers the status buttons for it. */
  roundId: number | null;
  taskId: number | null;
  unitId: number;
  contactId: number | null;
}

export type SendResult =
  | { ok: true; messageId: string }
  /** 429, 5xx, timeouts, a platform's rate limit: try again after `retryAfterMs` (if the platform said) */
  | { ok: false; outcome: "retry"; retryAfterMs?: number; error: string; /** The request may have reached Telegram (timeout, connection lost): a resend may be a duplicate. */ maybeDelivered?: boolean }
  /** 403: blocked by the user or never started */
  | { ok: false; outcome: "unreachable"; error: string }
  /** anything else (400 bad request...) — do not retry */
  | { ok: false; outcome: "failed"; error: string };

export interface Messenger {
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * Several reminders due to one person at once, as one message (optional: without it each is
   * sent on its own). The result stands for all of them. Each item should be tappable: Telegram
   * and the card channels give each a button whose action is `{type: "open"}`
   * (liaison-actions.ts), which sends that reminder's own card with its status buttons.
   */
  sendDigest?(messages: OutgoingMessage[]): Promise<SendResult>;
  /**
   * Replaces a sent card after the recipient acted on it (the status recorded, the buttons
   * spent). `ref` is what the channel needs to find the card (企业微信: the tap's response_code).
   */
  updateCard?(update: CardUpdate): Promise<SendResult>;
  /** A plain message to a chat that is no contact's (the office's daily digest). */
  sendText?(chatId: string, text: string): Promise<SendResult>;
}

export interface CardUpdate {
  channel: Channel;
  chatId: string;
  ref: string;
  /** The spent buttons' new label, e.g. "已记录：推进中". */
  label: string;
  /** The card's message text and kind, for channels whose update replaces the whole card (钉钉). */
  message?: { text: string; kind: ReminderKind };
}

/**
 * One Messenger over several channels: each message goes to its channel's adapter. A channel
 * with no adapter (not configured in this instance) is retried later, so its reminders wait in
 * the outbox as Telegram's do when the bot is off.
 */
export function routeByChannel(adapters: Partial<Record<Channel, Messenger>>): Messenger {
  const NOT_CONFIGURED_RETRY_MS = 10 * 60 * 1000;
  const missing = (channel: Channel): SendResult => ({ ok: false, outcome: "retry", retryAfterMs: NOT_CONFIGURED_RETRY_MS, error: `channel ${channel} is not configured in this instance` });
  const adapterOf = (channel: Channel | undefined) => adapters[channel ?? "telegram"];
  return {
    async send(message) {
      const adapter = adapterOf(message.channel);
      return adapter ? adapter.send(message) : missing(message.channel ?? "telegram");
    },
    async sendDigest(messages) {
      const channel = messages[0]?.channel ?? "telegram";
      const adapter = adapterOf(channel);
      if (!adapter) return missing(channel);
      if (adapter.sendDigest) return adapter.sendDigest(messages);
      // Without a digest form of its own: one plain message listing them all (one result stands for the group).
      const first = messages[0]!;
      return adapter.send({ ...first, kind: "notice", roundId: null, text: reminderDigestText(first.language === "en" ? "en" : "zh", messages.map((m) => m.text)) });
    },
    async updateCard(update) {
      const adapter = adapterOf(update.channel);
      if (!adapter?.updateCard) return missing(update.channel);
      return adapter.updateCard(update);
    },
    // The office chat is a Telegram chat (TELEGRAM_OFFICE_CHAT_ID).
    async sendText(chatId, text) {
      const adapter = adapters.telegram;
      if (!adapter?.sendText) return missing("telegram");
      return adapter.sendText(chatId, text);
    },
  };
}

/** Records what it would send; used by the CLI (`scheduler tick`) and tests. */
export class RecordingMessenger implements Messenger {
  readonly sent: OutgoingMessage[] = [];
  /** The reminders that went together as one digest message. */
  readonly digests: OutgoingMessage[][] = [];
  private next = 1;
  async send(message: OutgoingMessage): Promise<SendResult> {
    this.sent.push(message);
    return { ok: true, messageId: `recorded-${this.next++}` };
  }
  async sendDigest(messages: OutgoingMessage[]): Promise<SendResult> {
    this.sent.push(...messages);
    this.digests.push(messages);
    return { ok: true, messageId: `recorded-${this.next++}` };
  }
  /** Plain messages to a chat (the office digest). */
  readonly texts: Array<{ chatId: string; text: string }> = [];
  async sendText(chatId: string, text: string): Promise<SendResult> {
    this.texts.push({ chatId, text });
    return { ok: true, messageId: `recorded-${this.next++}` };
  }
}
