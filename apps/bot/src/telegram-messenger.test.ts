import { describe, expect, it } from "vitest";
import { Bot, GrammyError, HttpError } from "grammy";
import type { OutgoingMessage } from "@duban/core/channels/messenger";
import { callbackSecretFor, decodeCallbackData } from "./callback-data.ts";
import { classifySendError, TelegramMessenger } from "./telegram-messenger.ts";

const grammyError = (code: number, description: string, parameters = {}) =>
  new GrammyError("call failed", { ok: false, error_code: code, description, parameters }, "sendMessage", {});

describe("classifySendError", () => {
  it("429 → retry after retry_after; 5xx and network → retry; 403 → unreachable; other 4xx → failed", () => {
    expect(classifySendError(grammyError(429, "Too Many Requests: retry after 7", { retry_after: 7 }))).toEqual({
      ok: false,
      outcome: "retry",
      retryAfterMs: 7000,
      error: "429: Too Many Requests: retry after 7",
    });
    expect(classifySendError(grammyError(502, "Bad Gateway"))).toMatchObject({ outcome: "retry" });
    expect(classifySendError(new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNRESET")))).toMatchObject({ outcome: "retry" });
    expect(classifySendError(grammyError(403, "Forbidden: bot was blocked by the user"))).toMatchObject({ outcome: "unreachable" });
    expect(classifySendError(grammyError(400, "Bad Request: chat not found"))).toMatchObject({ outcome: "failed" });
  });
});

describe("TelegramMessenger", () => {
  const token = "123:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  function messengerWith(respond: (method: string, payload: any) => any) {
    const bot = new Bot(token, { botInfo: { id: 1, is_bot: true, first_name: "b", username: "b" } as any });
    const calls: any[] = [];
    bot.api.config.use(async (_prev, method, payload) => {
      calls.push({ method, payload });
      return respond(method, payload);
    });
    return { messenger: new TelegramMessenger(bot.api, token), calls };
  }
  const message = (kind: OutgoingMessage["kind"], extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    reminderId: 5,
    key: "k",
    kind,
    chatId: "1001",
    language: "zh",
    text: "【督办提醒】",
    roundId: 3,
    taskId: 8,
    unitId: 2,
    contactId: 9,
    ...extra,
  });
  const ok = () => ({ ok: true, result: { message_id: 42, date: 0, chat: { id: 1001, type: "private" } } });

  it("sends reminders with status buttons bound to the recipient and returns the message id", async () => {
    const { messenger, calls } = messengerWith(ok);
    expect(await messenger.send(message("reminder"))).toEqual({ ok: true, messageId: "42" });
    const buttons = calls[0].payload.reply_markup.inline_keyboard.flat();
    expect(buttons.map((b: any) => b.text)).toEqual(["已完成", "推进中", "有困难", "稍后提醒", "申请延期"]);
    // Telegram's inline keyboard: rows of at most 8 buttons, each payload at most 64 bytes.
    expect(calls[0].payload.reply_markup.inline_keyboard.map((row: unknown[]) => row.length)).toEqual([2, 2, 1]);
    expect(decodeCallbackData(buttons[4].callback_data, callbackSecretFor(token))).toEqual({ action: "extension", contactId: 9, roundId: 3 });
    expect(decodeCallbackData(buttons[1].callback_data, callbackSecretFor(token))).toEqual({
      action: "status",
      contactId: 9,
      status: "in_progress",
      ref: { kind: "reminder", id: 5 },
    });
  });

  it("English buttons for English contacts; no snooze for a head; office escalations and notices are plain", async () => {
    const { messenger, calls } = messengerWith(ok);
    await messenger.send(message("urge", { language: "en" }));
    await messenger.send(message("escalation-head"));
    await messenger.send(message("escalation-office", { contactId: null }));
    await messenger.send(message("decision", { roundId: 3 }));
    expect(calls[0].payload.reply_markup.inline_keyboard.flat().map((b: any) => b.text)).toEqual(["Done", "In progress", "Blocked", "Remind me later", "Ask for extension"]);
    expect(calls[1].payload.reply_markup.inline_keyboard.flat().map((b: any) => b.text)).toEqual(["已完成", "推进中", "有困难", "申请延期"]);
    expect(calls[2].payload.reply_markup).toBeUndefined();
    expect(calls[3].payload.reply_markup).toBeUndefined();
  });

  it("reports delivery problems instead of throwing", async () => {
    const { messenger } = messengerWith(() => ({ ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }));
    expect(await messenger.send(message("reminder"))).toMatchObject({ ok: false, outcome: "unreachable" });
  });
});
