/**
 * A local Telegram Bot API for end-to-end tests: the `telegram-test-api` emulator on
 * 127.0.0.1, behind a small HTTP proxy (also on 127.0.0.1) that
 * - holds an empty getUpdates for a moment, as Telegram's long polling does (the emulator
 *   answers at once, which would make the bot spin);
 * - can answer the next calls of a method with a scripted failure (429 with retry_after, 403, 5xx),
 *   never answer them (a hung call), or deliver them and then drop the answer (a lost answer);
 * - records every call, so tests can see what the bot asked Telegram to do;
 * - knows files (which the emulator does not): getFile and /file/bot<token>/<path> for the
 *   files a test put there with `addFile` (what a liaison's photo or document would be).
 * Everything is real HTTP: grammY talks to the proxy exactly as it talks to api.telegram.org.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";

export interface ProxyCall {
  method: string;
  body: Record<string, any>;
}

export interface BotMessage {
  messageId: number;
  text: string;
  buttons: Array<{ text: string; callback_data: string }>;
}

/** A free TCP port on 127.0.0.1 (for a server whose URL must be known before it listens). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startEmulator(token: string) {
  const emulatorPort = await freePort();
  const emulator = new TelegramServer({ port: emulatorPort, host: "127.0.0.1", storeTimeout: 600 });
  await emulator.start();
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;

  const calls: ProxyCall[] = [];
  const failures = new Map<string, Array<{ status: number; body: unknown }>>();
  const faults = new Map<string, Array<"hang" | "lose-answer">>();
  const hung = new Set<http.ServerResponse>();
  const files = new Map<string, { path: string; content: Buffer }>();

  const proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    if (req.url?.startsWith(`/file/bot${token}/`)) {
      const path = decodeURIComponent(req.url.slice(`/file/bot${token}/`.length));
      const file = [...files.values()].find((f) => f.path === path);
      res.writeHead(file ? 200 : 404, { "content-type": "application/octet-stream" });
      res.end(file?.content ?? "Not Found");
      return;
    }
    const method = (req.url ?? "").split("/").pop() ?? "";
    let body: Record<string, any> = {};
    try {
      body = raw.length ? JSON.parse(raw.toString("utf8")) : {};
    } catch {
      body = {};
    }
    calls.push({ method, body });
    const fault = faults.get(method)?.shift();
    if (fault === "hang") {
      // Never answered: the caller's own timeout has to end it.
      hung.add(res);
      return;
    }
    const scripted = failures.get(method)?.shift();
    if (scripted) {
      res.writeHead(scripted.status, { "content-type": "application/json" });
      res.end(JSON.stringify(scripted.body));
      return;
    }
    if (method === "getFile") {
      const file = files.get(String(body.file_id));
      res.writeHead(file ? 200 : 400, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          file
            ? { ok: true, result: { file_id: body.file_id, file_unique_id: `u${body.file_id}`, file_size: file.content.length, file_path: file.path } }
            : { ok: false, error_code: 400, description: "Bad Request: invalid file_id" },
        ),
      );
      return;
    }
    let closed = false;
    req.on("close", () => (closed = true));
    const forward = () =>
      fetch(`${emulatorUrl}${req.url}`, { method: req.method, headers: { "content-type": req.headers["content-type"] ?? "application/json" }, ...(raw.length ? { body: raw } : {}) });
    try {
      let response = await forward();
      let text = await response.text();
      // Long polling: wait a little for updates instead of answering an empty list at once.
      for (let i = 0; method === "getUpdates" && !closed && i < 10 && /"result":\[\]/.test(text); i++) {
        await sleep(50);
        response = await forward();
        text = await response.text();
      }
      if (closed) return;
      if (fault === "lose-answer") {
        // Telegram did it (the message is in the chat), but the answer never comes back.
        res.socket?.destroy();
        return;
      }
      res.writeHead(response.status, { "content-type": "application/json" });
      res.end(text);
    } catch (error) {
      if (!closed) {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, error_code: 502, description: String(error) }));
      }
    }
  });
  // Telegram keeps idle connections open for long; Node's 5-second default would race a client
  // reusing the connection after a retry wait (a reset that looks like a lost answer).
  proxy.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const apiRoot = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const users = new Map<number, ReturnType<typeof makeUser>>();
  /** One Telegram user in a private chat with the bot (the same object for the same id). */
  function user(id: number, firstName = "测试用户") {
    let known = users.get(id);
    if (!known) users.set(id, (known = makeUser(id, firstName)));
    return known;
  }

  function makeUser(id: number, firstName: string) {
    const client = emulator.getClient(token, { userId: id, chatId: id, firstName, userName: `user${id}`, type: "private", timeout: 10_000 });
    const inbox: BotMessage[] = [];
    const pull = async () => {
      const response = await fetch(`${emulatorUrl}/getUpdates`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, chatId: id }) });
      const data = (await response.json()) as { result: Array<{ messageId: number; message: { text: string; reply_markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> } } }> };
      for (const item of data.result) {
        inbox.push({ messageId: item.messageId, text: item.message.text, buttons: (item.message.reply_markup?.inline_keyboard ?? []).flat() });
      }
    };
    return {
      id,
      /** Sends text (a command when it starts with "/"); optionally as a reply to a bot message. */
      async say(text: string, replyTo?: number) {
        const extra = replyTo ? { reply_to_message: { message_id: replyTo, chat: { id, type: "private" }, date: 0 } } : {};
        if (text.startsWith("/")) await client.sendCommand(client.makeCommand(text, extra as any));
        else await client.sendMessage(client.makeMessage(text, extra as any));
      },
      /** Sends a document (a file the test put on the emulator with `addFile`), with an optional caption. */
      async sendDocument(document: { fileId: string; fileName: string; mimeType: string; size: number }, caption?: string) {
        const message = client.makeMessage("", {
          document: { file_id: document.fileId, file_unique_id: `u${document.fileId}`, file_name: document.fileName, mime_type: document.mimeType, file_size: document.size },
          ...(caption ? { caption } : {}),
        } as any) as Record<string, unknown>;
        delete message.text;
        await client.sendMessage(message as any);
      },
      /** Sends a photo (Telegram's sizes, smallest first), with an optional caption. */
      async sendPhoto(fileId: string, caption?: string) {
        const message = client.makeMessage("", {
          photo: [
            { file_id: `${fileId}_small`, file_unique_id: `u${fileId}s`, width: 90, height: 90 },
            { file_id: fileId, file_unique_id: `u${fileId}`, width: 1280, height: 960, file_size: 120000 },
          ],
          ...(caption ? { caption } : {}),
        } as any) as Record<string, unknown>;
        delete message.text;
        await client.sendMessage(message as any);
      },
      /** Presses an inline button (raw callback data) under a bot message. */
      async press(data: string, messageId: number) {
        await client.sendCallback(client.makeCallbackQuery(data, { message: { message_id: messageId } as any }));
      },
      /** Waits for the next bot message that matches (messages that do not stay in the inbox). */
      async expect(match: string | RegExp | ((m: BotMessage) => boolean), timeoutMs = 10_000): Promise<BotMessage> {
        const test = typeof match === "function" ? match : (m: BotMessage) => (typeof match === "string" ? m.text.includes(match) : match.test(m.text));
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const index = inbox.findIndex(test);
          if (index >= 0) return inbox.splice(index, 1)[0]!;
          if (Date.now() > deadline) throw new Error(`no bot message matching ${String(match)} for user ${id}; inbox: ${JSON.stringify(inbox.map((m) => m.text))}`);
          await pull();
          await sleep(50);
        }
      },
      /** Everything received and not yet consumed (after a short wait). */
      async received(waitMs = 300): Promise<BotMessage[]> {
        await sleep(waitMs);
        await pull();
        return inbox.splice(0, inbox.length);
      },
    };
  }

  return {
    apiRoot,
    calls,
    user,
    /** The next `count` calls of `method` get this answer instead of reaching the emulator. */
    failNext(method: string, status: number, body: unknown, count = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < count; i++) queue.push({ status, body });
      failures.set(method, queue);
    },
    /** The next `count` calls of `method` are never answered (until stop). */
    hangNext(method: string, count = 1) {
      faults.set(method, [...(faults.get(method) ?? []), ...Array<"hang">(count).fill("hang")]);
    },
    /** The next `count` calls of `method` reach the emulator (and take effect), then the connection drops without an answer. */
    loseAnswerNext(method: string, count = 1) {
      faults.set(method, [...(faults.get(method) ?? []), ...Array<"lose-answer">(count).fill("lose-answer")]);
    },
    /** A file Telegram holds under this file id (as if a user had sent it). */
    addFile(fileId: string, path: string, content: Buffer | string) {
      files.set(fileId, { path, content: Buffer.from(content) });
    },
    callsOf(method: string): ProxyCall[] {
      return calls.filter((c) => c.method === method);
    },
    async stop() {
      for (const res of hung) res.socket?.destroy();
      await new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      });
      await emulator.stop();
    },
  };
}

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
