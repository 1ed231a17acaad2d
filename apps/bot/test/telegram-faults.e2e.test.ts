// Faults of the Bot API, played by the project's emulator over real HTTP: 429 with retry_after,
// 5xx, a hung call, a lost answer (Telegram delivered, the answer never came back) and 403. Each
// send's outcome is tallied and checked against what reached the chat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutgoingMessage, SendResult } from "@duban/core/channels/messenger";
import { createTelegramApi } from "../src/create-bot.ts";
import { TelegramMessenger } from "../src/telegram-messenger.ts";
import { startEmulator, type Emulator } from "./emulator.ts";

const TOKEN = "654321:FAULT_TEST_TOKEN_abcdefghijklmnop";
const CHAT = 8101;
let api: Emulator;
let messenger: TelegramMessenger;
let nextId = 1;
const tally = { sent: 0, retry: 0, answerLost: 0, unreachable: 0, failed: 0 };

function message(text: string): OutgoingMessage {
  return { reminderId: nextId++, key: `fault-${nextId}`, kind: "notice", chatId: String(CHAT), language: "zh", text, roundId: null, taskId: null, unitId: 1, contactId: null };
}

async function send(text: string): Promise<{ result: SendResult; calls: number; delivered: string[]; ms: number }> {
  const before = api.callsOf("sendMessage").length;
  const started = performance.now();
  const result = await messenger.send(message(text));
  const ms = performance.now() - started;
  if (result.ok) tally.sent++;
  else if (result.outcome === "retry") tally[result.maybeDelivered ? "answerLost" : "retry"]++;
  else tally[result.outcome]++;
  const delivered = (await api.user(CHAT).received(300)).map((m) => m.text);
  return { result, calls: api.callsOf("sendMessage").length - before, delivered, ms };
}

beforeAll(async () => {
  api = await startEmulator(TOKEN);
  // As in production but with a 2-second call timeout and short retry waits, so the test is quick.
  messenger = new TelegramMessenger(createTelegramApi(TOKEN, { apiRoot: api.apiRoot, throttle: false, autoRetry: { maxRetryAttempts: 2, maxDelaySeconds: 5 }, timeoutSeconds: 2 }), TOKEN);
});

afterAll(async () => {
  await api?.stop();
});

describe("Bot API faults (emulator)", () => {
  it("429 with a short retry_after: waited out in-process, sent once", async () => {
    api.failNext("sendMessage", 429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    const { result, calls, delivered } = await send("429 短等待");
    expect(result.ok).toBe(true);
    expect(calls).toBe(2);
    expect(delivered).toEqual(["429 短等待"]);
  });

  it("429 with a long retry_after: handed to the dispatcher with Telegram's wait, nothing sent", async () => {
    api.failNext("sendMessage", 429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 60", parameters: { retry_after: 60 } });
    const { result, delivered } = await send("429 长等待");
    expect(result).toMatchObject({ ok: false, outcome: "retry", retryAfterMs: 60_000 });
    expect(delivered).toEqual([]);
  });

  it("5xx: retried in-process; when it persists, a plain retry for the dispatcher", async () => {
    api.failNext("sendMessage", 502, { ok: false, error_code: 502, description: "Bad Gateway" });
    const once = await send("5xx 一次");
    expect(once.result.ok).toBe(true);
    expect(once.delivered).toEqual(["5xx 一次"]);
    api.failNext("sendMessage", 500, { ok: false, error_code: 500, description: "Internal Server Error" }, 3);
    const persistent = await send("5xx 持续");
    expect(persistent.result).toMatchObject({ ok: false, outcome: "retry" });
    expect(persistent.result).not.toHaveProperty("maybeDelivered");
    expect(persistent.calls).toBe(3);
    expect(persistent.delivered).toEqual([]);
  }, 90_000);

  it("a hung call ends at the call timeout (not grammY's 500 s) as a possible duplicate, not retried blindly", async () => {
    api.hangNext("sendMessage");
    const { result, calls, ms } = await send("挂起");
    expect(result).toMatchObject({ ok: false, outcome: "retry", maybeDelivered: true });
    expect(calls).toBe(1);
    expect(ms).toBeLessThan(10_000);
  });

  it("a lost answer: Telegram delivered it; the messenger does not resend, it reports the duplicate window", async () => {
    api.loseAnswerNext("sendMessage");
    const { result, calls, delivered } = await send("丢失应答");
    expect(result).toMatchObject({ ok: false, outcome: "retry", maybeDelivered: true });
    expect(calls).toBe(1);
    expect(delivered).toEqual(["丢失应答"]);
  });

  it("403 (blocked): unreachable, not retried", async () => {
    api.failNext("sendMessage", 403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    const { result, calls, delivered } = await send("已屏蔽");
    expect(result).toMatchObject({ ok: false, outcome: "unreachable" });
    expect(calls).toBe(1);
    expect(delivered).toEqual([]);
  });

  it("every outcome was counted as designed", () => {
    expect(tally).toEqual({ sent: 2, retry: 2, answerLost: 2, unreachable: 1, failed: 0 });
  });
});
