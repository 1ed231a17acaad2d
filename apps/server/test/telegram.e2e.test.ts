// `npm start` with a bot, end to end over HTTP: the server (Hono + tRPC) and the grammY bot in
// one process, against the telegram-test-api emulator on 127.0.0.1 (behind the bot's test proxy).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../bot/test/emulator.ts";
import { parseEnv } from "../src/env.ts";
import { startDuban, type RunningServer } from "../src/start.ts";
import { consoleSession } from "./console-session.ts";

const TOKEN = "123456789:TEST_TOKEN_abcdefghijklmnopqrstuvwxyz";
const dir = mkdtempSync(path.join(os.tmpdir(), "duban-server-e2e-"));
let api: Emulator;
let server: RunningServer;

const office = consoleSession(() => server.url);
const trpc = office.trpc;

beforeAll(async () => {
  api = await startEmulator(TOKEN);
  const env = parseEnv({
    PORT: "0",
    DATABASE_URL: `file:${path.join(dir, "duban.db")}`,
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: "admin password",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    // The scheduler runs (on the real clock); tests below do not depend on its minute passes.
    SCHEDULER: "1",
  });
  server = await startDuban(env, pino({ level: "silent" }));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("server with the Telegram bot in one process", () => {
  it("starts the bot by long polling and knows its username", () => {
    expect(server.bot).toMatchObject({ mode: "polling", username: "TestNameBot" });
  });

  it("office invites a liaison in the console API; the liaison joins and reports; the office sees it", async () => {
    await trpc("auth.login", { username: "admin", password: "admin password" }, "POST");
    const units = await trpc<Array<{ id: number; name: string }>>("units.list");
    const sma = units.find((u) => u.name === "市场监督管理局")!;
    const invite = await trpc<{ link: string }>("units.createInvite", { unitId: sma.id, role: "liaison", name: "李娜" }, "POST");
    expect(invite.link).toMatch(/^https:\/\/t\.me\/TestNameBot\?start=[A-Za-z0-9_-]+$/);

    const liaison = api.user(3001, "李娜");
    await liaison.say(`/start ${new URL(invite.link).searchParams.get("start")}`);
    await liaison.expect("您已登记为“市场监督管理局”的联络员");

    await liaison.say("受检率96.5%");
    await liaison.expect("国家重点管理计量器具受检率：96.5%");

    const plan = await trpc<{ groups: Array<{ tasks: Array<{ id: number; number: string }> }> }>("plan.get");
    const task8 = plan.groups.flatMap((g) => g.tasks).find((t) => t.number === "8")!;
    const detail = await trpc<{ indicators: Array<{ name: string; latest: { value: number; unit: string } | null }> }>("tasks.get", { id: task8.id });
    expect(detail.indicators.find((i) => i.name === "国家重点管理计量器具受检率")?.latest).toMatchObject({ value: 96.5, unit: "市场监督管理局" });
  });

  it("催办 in the console reaches the missing unit's liaison at once, not at the next minute", async () => {
    const rounds = await trpc<Array<{ roundId: number; taskNumber: string; units: Array<{ unitId: number; unit: string; submittedAt: string | null }> }>>("rounds.list", {});
    const round = rounds.find((r) => r.taskNumber === "5" && r.units.some((u) => u.unit === "市场监督管理局" && !u.submittedAt))!;
    const sma = round.units.find((u) => u.unit === "市场监督管理局")!;
    const result = await trpc<{ reminders: number }>("rounds.urge", { roundId: round.roundId, unitIds: [sma.unitId] }, "POST");
    expect(result.reminders).toBe(1);
    // Waits at most 5 s: the scheduler's own pass could be up to a minute away.
    const urge = await api.user(3001).expect("【催办】", 5_000);
    expect(urge.text).toContain("任务5");
  });

  it("the office opens a document a liaison sent: read back from Telegram by its file id, for signed-in users only", async () => {
    const content = "%PDF-1.4 第三季度计量工作总结";
    api.addFile("DOC_REPORT_1", "documents/file_12.pdf", content);
    const liaison = api.user(3001);
    await liaison.sendDocument({ fileId: "DOC_REPORT_1", fileName: "第三季度计量工作总结.pdf", mimeType: "application/pdf", size: Buffer.byteLength(content) }, "受检率96.5%");
    await liaison.expect("附件：第三季度计量工作总结.pdf");

    const plan = await trpc<{ groups: Array<{ tasks: Array<{ id: number; number: string }> }> }>("plan.get");
    const task8 = plan.groups.flatMap((g) => g.tasks).find((t) => t.number === "8")!;
    const detail = await trpc<{ history: Array<{ attachments: Array<{ id: number; fileName: string | null }> }> }>("tasks.get", { id: task8.id });
    const attachment = detail.history.flatMap((h) => h.attachments).find((a) => a.fileName === "第三季度计量工作总结.pdf")!;
    const url = new URL(`/files/attachments/${attachment.id}`, server.url);

    const response = await fetch(url, { headers: { cookie: office.cookie } });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(`inline; filename="${"_".repeat(10)}.pdf"; filename*=UTF-8''${encodeURIComponent("第三季度计量工作总结.pdf")}`);
    expect(await response.text()).toBe(content);
    // No sandbox for a PDF: Chromium's viewer would refuse to show it.
    expect(response.headers.get("content-security-policy")).toBeNull();

    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(new URL("/files/attachments/999999", server.url), { headers: { cookie: office.cookie } })).status).toBe(404);

    // A file the browser could run (HTML) is only ever downloaded, never rendered in the console's origin.
    api.addFile("DOC_HTML_1", "documents/file_13.html", "<script>alert(1)</script>");
    await liaison.sendDocument({ fileId: "DOC_HTML_1", fileName: "说明.html", mimeType: "text/html", size: 25 });
    await liaison.expect("附件：说明.html");
    const again = await trpc<{ history: Array<{ attachments: Array<{ id: number; fileName: string | null }> }> }>("tasks.get", { id: task8.id });
    const html = again.history.flatMap((h) => h.attachments).find((a) => a.fileName === "说明.html")!;
    const risky = await fetch(new URL(`/files/attachments/${html.id}`, server.url), { headers: { cookie: office.cookie } });
    expect(risky.headers.get("content-type")).toBe("application/octet-stream");
    expect(risky.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(risky.headers.get("content-security-policy")).toMatch(/^sandbox/);
  });
});
