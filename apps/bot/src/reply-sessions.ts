import type { AttachmentInput } from "@duban/core/submissions/record-status";
import type { Db } from "@duban/db/client";
import { forgetBotSessionsBefore } from "@duban/db/repositories/bot-sessions";
import type { ReportStatus } from "@duban/domain/parse-reply";

/** Where a reply will be filed. */
export interface ReplyTarget {
  taskId: number;
  roundId: number | null;
  reminderId: number | null;
}

/** What a liaison said that is kept while the bot asks a question about it. */
export interface PendingReply {
  status: ReportStatus | null;
  progress: number | null;
  values: Array<{ indicatorId: number; value: number }>;
  note: string | null;
  attachments: AttachmentInput[];
  source: string;
}

export type ReplySession =
  /** A status was just recorded: the next message adds progress (when asked) or details to it. */
  | { step: "progress" | "details"; statusUpdateId: number; taskId: number; roundId: number | null; submitted: boolean }
  /** 申请延期 was tapped: the next text is the reason. */
  | { step: "extension-reason"; roundId: number; taskId: number; statusUpdateId: number | null }
  /** "申请延期" was typed and several items are owed: the bot asked which; the reason given waits here. */
  | { step: "extension-pick"; reason: string | null }
  /** The bot asked which task, which round or which status; the reply waits here meanwhile. */
  | { step: "pending"; pending: PendingReply; taskId: number | null; roundId: number | null; reminderId: number | null };

export const SESSION_TTL_MS = 30 * 60 * 1000;

/** What the bot keeps per private chat between updates (grammY session, stored in the database). */
export interface ChatSessionData {
  reply?: { session: ReplySession; expiresAt: number };
}

/** Read and write access to this update's chat session (grammY's `ctx.session`). */
export interface ChatSessionAccess {
  read(): ChatSessionData | null | undefined;
  write(data: ChatSessionData | null): void;
}

/**
 * The short conversational state of one chat (at most one step), with an expiry.
 *
 * It lives in grammY's session, stored in the database (BotSession), so a restart or a
 * second bot instance continues the step where the liaison left it. Even so, what matters
 * is stored before a step starts — a tapped status is recorded at once — so an expired
 * step only loses the context of the next message, which is then read on its own and,
 * when unclear, asked about.
 */
export class ReplySessions {
  constructor(
    private readonly access: ChatSessionAccess,
    private readonly now: Date,
    private readonly ttlMs: number = SESSION_TTL_MS,
  ) {}

  get(): ReplySession | null {
    const entry = this.access.read()?.reply;
    if (!entry) return null;
    if (entry.expiresAt <= this.now.getTime()) {
      this.clear();
      return null;
    }
    return entry.session;
  }

  set(session: ReplySession): void {
    this.access.write({ reply: { session, expiresAt: this.now.getTime() + this.ttlMs } });
  }

  /** Nothing left to keep: the stored row is deleted. */
  clear(): void {
    if (this.access.read()) this.access.write(null);
  }
}

export function emptyPending(source: string): PendingReply {
  return { status: null, progress: null, values: [], note: null, attachments: [], source };
}

/** Removes chat sessions untouched for longer than a step can live (people who never came back). */
export function pruneChatSessions(db: Db, now: Date, ttlMs: number = SESSION_TTL_MS): Promise<number> {
  return forgetBotSessionsBefore(db, new Date(now.getTime() - ttlMs));
}
