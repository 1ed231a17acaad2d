import type { AttachmentInput } from "@duban/core/record-status";
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
  /** The bot asked which task, which round or which status; the reply waits here meanwhile. */
  | { step: "pending"; pending: PendingReply; taskId: number | null; roundId: number | null; reminderId: number | null };

export const SESSION_TTL_MS = 30 * 60 * 1000;

/**
 * The short conversational state of each contact (at most one step), in memory with an expiry.
 *
 * Why not the database: what matters is already stored when a step starts — a tapped status is
 * recorded at once, before any follow-up question. Losing this state (restart, expiry) loses
 * only the context of the next message, which is then read on its own and, when unclear, asked
 * about. Behind this small interface a shared store can replace it if the bot ever runs in
 * several processes at once.
 */
export class ReplySessions {
  private readonly sessions = new Map<number, { session: ReplySession; expiresAt: number }>();

  constructor(private readonly ttlMs: number = SESSION_TTL_MS) {}

  get(contactId: number, now: Date): ReplySession | null {
    const entry = this.sessions.get(contactId);
    if (!entry) return null;
    if (entry.expiresAt <= now.getTime()) {
      this.sessions.delete(contactId);
      return null;
    }
    return entry.session;
  }

  set(contactId: number, session: ReplySession, now: Date): void {
    this.sessions.set(contactId, { session, expiresAt: now.getTime() + this.ttlMs });
    if (this.sessions.size > 1000) this.prune(now);
  }

  clear(contactId: number): void {
    this.sessions.delete(contactId);
  }

  private prune(now: Date): void {
    for (const [key, entry] of this.sessions) if (entry.expiresAt <= now.getTime()) this.sessions.delete(key);
  }
}

export function emptyPending(source: string): PendingReply {
  return { status: null, progress: null, values: [], note: null, attachments: [], source };
}
