// The server's guards over real HTTP (127.0.0.1, port 0): body limits, the same-origin check on
// mutations, range-checked ids and the one error path.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@duban/core/auth/password";
import { createSession, SESSION_COOKIE } from "@duban/core/auth/session";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { createLogger } from "@duban/bot/safe-log";
import { createServerApp } from "../src/app.ts";

const TOKEN = "123456789:GUARD_TOKEN_abcdefghijklmnopqrstuvwxyz";
let test: TestDb;
let server: ServerType;
let base = "";
let cookie = "";
const logLines: string[] = [];

beforeAll(async () => {
  test = await createTestDb();
  const user = await test.db.user.create({ data: { username: "viewer1", role: "viewer", passwordHash: await hashPassword("correct horse") } });
  cookie = `${SESSION_COOKIE}=${(await createSession(test.db, user.id, new Date(), "127.0.0.1")).token}`;
  const log = createLogger({ level: "info", secrets: [TOKEN], destination: { write: (line: string) => void logLines.push(line) } });
  const app = createServerApp({
    db: test.db,
    log,
    consoleDist: "/nonexistent",
    publicUrl: "https://duban.example.gov.cn",
    // A webhook that fails the way grammY does, with the token in the URL of its message.
    telegramWebhook: async () => {
      throw new Error(`request to https://api.telegram.org/bot${TOKEN}/sendMessage failed`);
    },
  });
  server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await test.cleanup();
});

const FIFTY_MB = 50 * 1024 * 1024;

/** POSTs a 50 MB body (streamed from one reused chunk) and resolves with the status and the time to the answer. */
function postHuge(path: string, options: { chunked?: boolean } = {}): Promise<{ status: number; ms: number; writtenAtAnswer: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(options.chunked ? {} : { "content-length": String(FIFTY_MB) }) },
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    let answered = false;
    const pump = () => {
      while (!answered && written < FIFTY_MB) {
        written += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    request.on("response", (response) => {
      answered = true;
      const ms = performance.now() - started;
      const writtenAtAnswer = written;
      response.resume();
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, ms, writtenAtAnswer });
      });
    });
    request.on("error", (error) => (answered ? undefined : reject(error)));
    pump();
  });
}

/** A full collection (vitest.config.ts passes --expose-gc), so garbage is not counted as held. */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Memory JavaScript holds: heap objects and Buffers / ArrayBuffers. */
function held(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe("request body limits", () => {
  it("a 50 MB POST to any route is refused with 413 at once, without the server holding it", async () => {
    const paths = ["/trpc/auth.login", "/trpc/imports.preview", "/telegram/webhook", "/health", "/no/such/route"];
    // Warm-up: connections, JIT and the heap's first growth are not the server holding a body.
    for (const path of paths) await postHuge(path);
    collect();
    const rssBefore = process.memoryUsage().rss;
    const heldBefore = held();
    const times: number[] = [];
    for (const path of paths) {
      const tries = [await postHuge(path), await postHuge(path), await postHuge(path), await postHuge(path)];
      expect(tries.map((t) => t.status), path).toEqual([413, 413, 413, 413]);
      // Answered from the headers: the 413 arrives while the client has sent a small part of the body.
      for (const t of tries) expect(t.writtenAtAnswer, path).toBeLessThan(5 * 1024 * 1024);
      times.push(...tries.map((t) => t.ms));
    }
    // Wall time on a machine shared by many test runs is noisy: the fastest answer shows what the
    // server itself needs (a few ms when idle); a server reading 50 MB could not be this fast.
    expect(Math.min(...times)).toBeLessThan(100);
    // 20 × 50 MB went out; the process (client and server) grew by far less than one body.
    collect();
    // What JavaScript still holds (heap and buffers) grew by less than 10 MB: no body is kept.
    expect(held() - heldBefore).toBeLessThan(10 * 1024 * 1024);
    // RSS also counts pages freed but not yet returned to the system, noisy on a busy machine;
    // one 50 MB body held would still show here.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(40 * 1024 * 1024);
  }, 120_000);

  it("a chunked body without Content-Length is cut off at the limit", async () => {
    collect();
    const rssBefore = process.memoryUsage().rss;
    const heldBefore = held();
    expect((await postHuge("/trpc/auth.login", { chunked: true })).status).toBe(413);
    collect();
    // What JavaScript still holds (heap and buffers) grew by less than 10 MB: no body is kept.
    expect(held() - heldBefore).toBeLessThan(10 * 1024 * 1024);
    // RSS also counts pages freed but not yet returned to the system, noisy on a busy machine;
    // one 50 MB body held would still show here.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(40 * 1024 * 1024);
  }, 60_000);
});

describe("cross-origin mutations", () => {
  const login = (headers: Record<string, string>) =>
    fetch(`${base}/trpc/auth.login`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ username: "viewer1", password: "wrong password" }) });

  it("refuses a POST from another origin (Origin, or Sec-Fetch-Site without Origin) with 403 before the procedure runs", async () => {
    const hostile: Array<Record<string, string>> = [{ origin: "https://evil.example" }, { origin: "null" }, { origin: `${base}.evil.example` }, { "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }];
    for (const headers of hostile) {
      const response = await login(headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await test.db.loginAttempt.count()).toBe(0);
  });

  it("accepts the same origin, PUBLIC_URL, and clients that are not browsers", async () => {
    const friendly: Array<Record<string, string>> = [{ origin: base }, { origin: "https://duban.example.gov.cn" }, { "sec-fetch-site": "same-origin" }, {}];
    for (const headers of friendly) {
      const response = await login(headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
    }
    expect(await test.db.loginAttempt.count()).toBe(4);
    // Reads are not mutations.
    expect((await fetch(`${base}/health`, { headers: { origin: "https://evil.example" } })).status).toBe(200);
  });
});

describe("ids and errors", () => {
  it("an attachment id out of range is a 404, not a database error", async () => {
    for (const id of ["99999999999999999999", "2147483648", "0"]) {
      const response = await fetch(`${base}/files/attachments/${id}`, { headers: { cookie } });
      expect(response.status, id).toBe(404);
    }
  });

  it("an unexpected error is a plain 500, logged once with the token scrubbed", async () => {
    const before = logLines.length;
    const response = await fetch(`${base}/telegram/webhook`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain("api.telegram.org");
    const logged = logLines.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("bot<redacted>/sendMessage");
    expect(logLines.join("")).not.toContain(TOKEN.split(":")[1]!);
  });
});
