// Duban behind Debian's nginx terminating TLS, end to end: the test makes a self-signed
// certificate with openssl, starts nginx with deploy/nginx/duban.conf (ports and paths swapped
// for random loopback ones) and the real server behind it, then talks HTTPS to nginx from
// 127.0.0.2 — a client address distinct from the proxy's (127.0.0.1).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@duban/db/client";
import { REPO_ROOT } from "@duban/db/migrate/migrations";
import { freePort, startEmulator, type Emulator } from "../../bot/test/emulator.ts";
import { parseEnv } from "../src/env.ts";
import { startDuban, type RunningServer } from "../src/start.ts";

const NGINX = "/usr/sbin/nginx";
const TOKEN = "123456789:PROXY_TOKEN_abcdefghijklmnopqrstuvwxyz";
const SECRET = "duban-proxy_S3cret";
const LIAISON = { id: 4101, first_name: "李强" };
const dir = mkdtempSync(path.join(os.tmpdir(), "duban-proxy-e2e-"));
const databaseUrl = `file:${path.join(dir, "duban.db")}`;
let api: Emulator;
let server: RunningServer;
let db: Db;
let nginx: ChildProcess | null = null;
let httpsPort = 0;
let cert = "";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request to nginx, trusting only the test's certificate, from `from` (a loopback address). */
function request(method: string, pathname: string, options: { body?: unknown; cookie?: string; headers?: Record<string, string>; from?: string } = {}): Promise<Reply> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port: httpsPort,
        path: pathname,
        method,
        ca: cert,
        localAddress: options.from ?? "127.0.0.2",
        headers: {
          origin: `https://127.0.0.1:${httpsPort}`,
          ...(body ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function login(username: string, password: string, from?: string, headers?: Record<string, string>): Promise<Reply> {
  return request("POST", "/trpc/auth.login", { body: { username, password }, ...(from ? { from } : {}), ...(headers ? { headers } : {}) });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.end(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${existsSync(path.join(dir, "error.log")) ? readFileSync(path.join(dir, "error.log"), "utf8") : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** deploy/nginx/duban.conf with the test's ports and certificate; fails if the example changed shape. */
function siteConfig(httpPort: number, dubanPort: number, certFile: string, keyFile: string): string {
  let site = readFileSync(path.join(REPO_ROOT, "deploy/nginx/duban.conf"), "utf8");
  const swaps: Array<[string, string]> = [
    ["listen 80;", `listen 127.0.0.1:${httpPort};`],
    ["listen 443 ssl;", `listen 127.0.0.1:${httpsPort} ssl;`],
    ["server 127.0.0.1:3000;", `server 127.0.0.1:${dubanPort};`],
    ["/etc/ssl/duban/fullchain.pem", certFile],
    ["/etc/ssl/duban/privkey.pem", keyFile],
  ];
  for (const [from, to] of swaps) {
    if (!site.includes(from)) throw new Error(`deploy/nginx/duban.conf no longer contains "${from}": update this test with it`);
    site = site.replace(from, to);
  }
  return site;
}

beforeAll(async () => {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is not installed: this test runs Debian's nginx (apt-get install nginx openssl; .ci/run installs them)`);
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", keyFile, "-out", certFile], { stdio: "ignore" });
  cert = readFileSync(certFile, "utf8");

  api = await startEmulator(TOKEN);
  const dubanPort = await freePort();
  httpsPort = await freePort();
  const httpPort = await freePort();
  const publicUrl = `https://127.0.0.1:${httpsPort}`;
  const env = parseEnv({
    PORT: String(dubanPort),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: "admin password",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_URL: `${publicUrl}/telegram/webhook`,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    PUBLIC_URL: publicUrl,
    TRUST_PROXY: "1",
    SCHEDULER: "0",
    BACKUP_AT: "off",
  });
  server = await startDuban(env, pino({ level: "silent" }));
  db = createDb(databaseUrl);

  // nginx's workers drop root for an unprivileged user: its folders must be theirs to write.
  for (const sub of ["temp", "logs"]) mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o777 });
  chmodSync(path.join(dir, "temp"), 0o777);
  writeFileSync(path.join(dir, "site.conf"), siteConfig(httpPort, dubanPort, certFile, keyFile));
  writeFileSync(
    path.join(dir, "nginx.conf"),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  include ${dir}/site.conf;
}
`,
  );
  nginx = spawn(NGINX, ["-e", path.join(dir, "error.log"), "-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  nginx.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  nginx.once("exit", (code) => {
    if (code) process.stderr.write(`nginx exited ${code}: ${stderr}\n`);
  });
  await waitForPort(httpsPort);
}, 90_000);

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once("exit", resolve));
    nginx.kill("SIGQUIT");
    await exited;
  }
  await db?.$disconnect();
  await server?.stop();
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("Duban behind nginx with TLS", () => {
  it("login over HTTPS sets a Secure, HttpOnly session cookie that then opens the console's API", async () => {
    const response = await login("admin", "admin password");
    expect(response.status).toBe(200);
    const setCookie = [response.headers["set-cookie"] ?? []].flat().join("\n");
    expect(setCookie).toMatch(/; ?Secure/i);
    expect(setCookie).toMatch(/; ?HttpOnly/i);
    const cookie = setCookie.split(";")[0]!;
    const units = await request("GET", "/trpc/units.list", { cookie });
    expect(units.status).toBe(200);
    expect(units.body).toContain("市场监督管理局");
    expect((await request("GET", "/trpc/units.list")).status).toBe(401);
  });

  it("a webhook update through the proxy, with its secret, is handled; without it, refused", async () => {
    const cookie = [(await login("admin", "admin password")).headers["set-cookie"] ?? []].flat()[0]!.split(";")[0]!;
    const units = JSON.parse((await request("GET", "/trpc/units.list", { cookie })).body) as { result: { data: Array<{ id: number; name: string }> } };
    const unit = units.result.data.find((u) => u.name === "市场监督管理局")!;
    const invite = JSON.parse((await request("POST", "/trpc/units.createInvite", { cookie, body: { unitId: unit.id, role: "liaison", name: LIAISON.first_name } })).body) as { result: { data: { link: string } } };
    const token = new URL(invite.result.data.link).searchParams.get("start")!;
    const update = {
      update_id: 810_001,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: LIAISON.id, type: "private", first_name: LIAISON.first_name },
        from: { id: LIAISON.id, is_bot: false, first_name: LIAISON.first_name, language_code: "zh-hans" },
        text: `/start ${token}`,
        entities: [{ type: "bot_command", offset: 0, length: 6 }],
      },
    };
    expect(api.callsOf("setWebhook")[0]?.body).toMatchObject({ url: `https://127.0.0.1:${httpsPort}/telegram/webhook`, secret_token: SECRET });
    const refused = await request("POST", "/telegram/webhook", { body: update, headers: { "X-Telegram-Bot-Api-Secret-Token": "wrong" } });
    expect(refused.status).toBe(401);
    const handled = await request("POST", "/telegram/webhook", { body: update, headers: { "X-Telegram-Bot-Api-Secret-Token": SECRET } });
    expect(handled.status).toBe(200);
    await api.user(LIAISON.id, LIAISON.first_name).expect("您已登记为“市场监督管理局”的联络员");
    expect(await db.contact.findUniqueOrThrow({ where: { telegramUserId: String(LIAISON.id) }, include: { unit: true } })).toMatchObject({ unit: { name: "市场监督管理局" } });
  });

  it("the login throttle sees the client's address (X-Forwarded-For via nginx), not the proxy's, and a forged header does not fool it", async () => {
    await db.loginAttempt.deleteMany();
    const failed = await login("admin", "wrong password", "127.0.0.2", { "X-Forwarded-For": "203.0.113.9" });
    expect(failed.status).not.toBe(200);
    const attempts = await db.loginAttempt.findMany({ orderBy: { id: "asc" } });
    expect(attempts.map((a) => a.ip)).toEqual(["127.0.0.2"]);

    // Enough failures from 127.0.0.2 over many accounts lock that address out …
    for (let i = 0; i < 20; i++) await login(`nobody${i}`, "wrong password", "127.0.0.2");
    const locked = await login("admin", "admin password", "127.0.0.2");
    expect(locked.status).toBe(429);
    // … while another client behind the same proxy still logs in.
    const other = await login("admin", "admin password", "127.0.0.3");
    expect(other.status).toBe(200);
    expect(new Set((await db.loginAttempt.findMany()).map((a) => a.ip))).toEqual(new Set(["127.0.0.2", "127.0.0.3"]));
  });

  it("/metrics is not served through the proxy; /ready and /health are", async () => {
    expect((await request("GET", "/metrics")).status).toBe(404);
    expect((await request("GET", "/health")).status).toBe(200);
    const ready = await request("GET", "/ready");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true, database: true, scheduler: "off" });
  });
});
