/**
 * The port through which reminders, urges, escalations and notices leave Duban.
 * The bot implements it over the Telegram Bot API; tests and the CLI use the recording
 * messenger. Implementations never throw for delivery problems: they classify them.
 */
export type ReminderKind = "reminder" | "urge" | "escalation-head" | "escalation-office" | "notice" | "decision";

/** The kinds the reminder ladder plans against a due date (replanned when that date moves). */
export const LADDER_KINDS: ReminderKind[] = ["reminder", "escalation-head", "escalation-office"];

export interface OutgoingMessage {
  reminderId: number;
  key: string;
  kind: ReminderKind;
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
  /** 429, 5xx, timeouts: try again after `retryAfterMs` (if Telegram said) */
  | { ok: false; outcome: "retry"; retryAfterMs?: number; error: string; /** The request may have reached Telegram (timeout, connection lost): a resend may be a duplicate. */ maybeDelivered?: boolean }
  /** 403: blocked by the user or never started */
  | { ok: false; outcome: "unreachable"; error: string }
  /** anything else (400 bad request...) — do not retry */
  | { ok: false; outcome: "failed"; error: string };

export interface Messenger {
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * Several reminders due to one person at once, as one message (optional: without it each is
   * sent on its own). The result stands for all of them.
   */
  sendDigest?(messages: OutgoingMessage[]): Promise<SendResult>;
  /** A plain message to a chat that is no contact's (the office's daily digest). */
  sendText?(chatId: string, text: string): Promise<SendResult>;
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
