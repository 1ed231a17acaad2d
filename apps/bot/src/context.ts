import type { Context, SessionFlavor } from "grammy";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Logger } from "pino";
import type { ContactInfo } from "@duban/core/units/contact-queries";
import type { Db } from "@duban/db/client";
import type { SqlRunner } from "@duban/db/driver-sql";
import type { WorkingHours } from "@duban/domain/working-hours";
import type { CallbackAction } from "./callback-data.ts";
import type { ChatSessionData, ReplySessions } from "./reply-sessions.ts";

/** What every handler gets besides Telegram's context: the database, the clock, who is writing. */
export interface DubanContext {
  db: Db;
  log: Logger;
  /** The moment this update is handled (injected clock in tests). */
  now: Date;
  /** WORKING_HOURS: where 稍后提醒 lands, and when a round starts collecting answers. */
  workingHours: WorkingHours;
  /** The bound contact writing to the bot; null for a stranger. */
  contact: ContactInfo | null;
  /** The chat's current step (stored in the grammY session). */
  sessions: ReplySessions;
  /** Key of the callback-data signatures (derived from the bot token). */
  callbackSecret: string;
  /** The verified button payload of a callback query (set by the callback guard). */
  callback: CallbackAction | null;
  /** The chat session row read with the contact (its stored JSON; null: none), so it is not read twice. */
  storedSession?: { key: string; value: string | null };
  /**
   * Stores the chat's current step now, as a statement of the caller's transaction (a reply and
   * the step it leads to commit together); not written again at the end unless it changes.
   * Only with the database session store.
   */
  persistSession?: (tx: SqlRunner) => Promise<void>;
  /** Who is writing and their session, read with the update's dedupe (see dedupeUpdates). */
  writer?: { contact: ContactInfo | null; session: string | null | undefined; sessionKey: string | null };
}

export type BotContext = Context & I18nFlavor & SessionFlavor<ChatSessionData> & { duban: DubanContext };

export type Language = "zh" | "en";

export function languageOf(ctx: BotContext): Language {
  return ctx.duban.contact?.language ?? (ctx.from?.language_code?.startsWith("en") ? "en" : "zh");
}
