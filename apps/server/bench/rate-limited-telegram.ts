/**
 * A Bot API that enforces Telegram's rates, for `npm run bench` and tests: sendMessage is
 * accepted at `globalPerSecond` on average (token bucket, burst of one second's worth) and once
 * per chat per second;
 * beyond that it answers 429 with retry_after, as Telegram does. Every answer comes after
 * `latencyMs` (the round trip to Telegram). A chat listed in `hang` never gets an answer.
 * Listens on 127.0.0.1 only; real HTTP, so grammY talks to it as to api.telegram.org.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RateLimitedTelegram {
  apiRoot: string;
  /** Messages accepted, per chat id. */
  received: Map<string, number>;
  stats: { accepted: number; tooMany: number };
  close(): Promise<void>;
}

export async function startRateLimitedTelegram(options: { globalPerSecond?: number; latencyMs?: number; hang?: Set<string> } = {}): Promise<RateLimitedTelegram> {
  const perSecond = options.globalPerSecond ?? 30;
  const latency = options.latencyMs ?? 80;
  const received = new Map<string, number>();
  const stats = { accepted: 0, tooMany: 0 };
  // Global: a token bucket of `perSecond` tokens refilled at `perSecond`/s (30/s on average,
  // a second's worth at most in a burst). Per chat: one message per second.
  let tokens = perSecond;
  let refilled = performance.now();
  const lastPerChat = new Map<string, number>();
  let messageId = 1;
  const hung = new Set<http.ServerResponse>();

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = (req.url ?? "").split("/").pop() ?? "";
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
    const answer = (status: number, payload: unknown) =>
      setTimeout(() => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      }, latency);
    if (method === "getMe") return answer(200, { ok: true, result: { id: 1, is_bot: true, first_name: "Duban", username: "duban_bench_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } });
    if (method !== "sendMessage") return answer(400, { ok: false, error_code: 400, description: `Bad Request: ${method} is not emulated` });
    const chat = String(body.chat_id);
    if (options.hang?.has(chat)) {
      hung.add(res);
      return;
    }
    const now = performance.now();
    tokens = Math.min(perSecond, tokens + ((now - refilled) * perSecond) / 1000);
    refilled = now;
    const last = lastPerChat.get(chat);
    if (tokens < 1 || (last !== undefined && now - last < 1000)) {
      stats.tooMany++;
      return answer(429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    }
    tokens -= 1;
    lastPerChat.set(chat, now);
    stats.accepted++;
    received.set(chat, (received.get(chat) ?? 0) + 1);
    answer(200, { ok: true, result: { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat), type: "private" }, text: body.text } });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    stats,
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
