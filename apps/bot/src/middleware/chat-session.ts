import type { MiddlewareFn, StorageAdapter } from "grammy";
import { writeBotSession } from "@duban/db/repositories/bot-sessions";
import type { BotContext } from "../context.ts";
import type { ChatSessionData } from "../reply-sessions.ts";

/** One session per private chat; other chats (a group the bot was added to) keep none. */
export function chatSessionKey(ctx: BotContext): string | undefined {
  return ctx.chat?.type === "private" ? `chat:${ctx.chat.id}` : undefined;
}

/**
 * grammY's session contract (`ctx.session`, kept in a StorageAdapter) with two savings on the
 * reply path: a row the contact lookup already read (`ctx.duban.storedSession`, same JSON the
 * database adapter stores; only when that adapter is the storage) is not read again, and nothing is written back unless the value changed.
 * With that adapter a handler may also store the step inside its own transaction (`ctx.duban.persistSession`).
 */
export function chatSession(storage: StorageAdapter<ChatSessionData>, options: { readWithContact: boolean }): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const key = chatSessionKey(ctx);
    if (key === undefined) return next();
    const stored = options.readWithContact && ctx.duban.storedSession?.key === key ? ctx.duban.storedSession.value : undefined;
    let value: ChatSessionData | undefined = stored !== undefined ? (stored === null ? undefined : (JSON.parse(stored) as ChatSessionData)) : await storage.read(key);
    let written = JSON.stringify(value ?? null);
    if (options.readWithContact) {
      ctx.duban.persistSession = async (tx) => {
        const now = JSON.stringify(value ?? null);
        if (now === written) return;
        await writeBotSession(tx, key, value);
        written = now;
      };
    }
    Object.defineProperty(ctx, "session", {
      configurable: true,
      enumerable: true,
      get: () => value,
      set: (next: ChatSessionData | null | undefined) => {
        value = next ?? undefined;
      },
    });
    await next(); // not written back when a handler throws (as grammY's session)
    if (JSON.stringify(value ?? null) === written) return;
    if (value === undefined) await storage.delete(key);
    else await storage.write(key, value);
  };
}
