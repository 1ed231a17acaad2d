// `npm start` with the 飞书 channel and no Telegram bot, end to end: start.ts opens the long
// connection to the 飞书 emulator on 127.0.0.1 and routes 飞书 contacts' reminders to it.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@duban/db/client";
import { FeishuEmulator } from "../src/channels/feishu/testing/feishu-emulator.ts";
import { parseEnv } from "../src/env.ts";
import { startDuban, type RunningServer } from "../src/start.ts";
import { consoleSession } from "./console-session.ts";

const APP = { appId: "cli_5e1f0a2b3c4d5e6f", appSecret: "e2e-app-secret" };
const LIU = "ou_liu0000000000000000000000000003";
const dir = mkdtempSync(path.join(os.tmpdir(), "duban-feishu-e2e-"));
const databaseUrl = `file:${path.join(dir, "duban.db")}`;
let emulator: FeishuEmulator;
let server: RunningServer;
let db: Db;
let logged = "";

const office = consoleSession(() => server.url);
const trpc = office.trpc;

beforeAll(async () => {
  emulator = new FeishuEmulator({ ...APP, members: [LIU] });
  await emulator.start();
  const env = parseEnv({
    PORT: "0",
    DATABASE_URL: databaseUrl,
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: "admin password",
    FEISHU_APP_ID: APP.appId,
    FEISHU_APP_SECRET: APP.appSecret,
    FEISHU_API_ROOT: emulator.url,
    SCHEDULER: "1",
  });
  server = await startDuban(env, pino({ level: "info" }, new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) })));
  await emulator.until(() => emulator.connected === 1, 10_000);
  // The test's own client writes only after the server's first pass: two clients in one process
  // would wait for each other's SQLite write lock with the event loop blocked.
  await emulator.until(() => logged.includes("scheduler pass"), 30_000);
  db = createDb(databaseUrl);
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("server with the 飞书 channel in one process (no Telegram)", () => {
  it("says the channel is on, and opens the long connection itself", () => {
    expect(logged).toContain("飞书 channel on");
    expect(logged).toContain("TELEGRAM_BOT_TOKEN is not set");
    expect(emulator.endpointPulls).toBe(1);
  });

  it("a liaison binds in 飞书; the console's 催办 reaches them as a card at once; their tap is on the task's page", async () => {
    // The office invites from the console: 飞书 is offered (no Telegram here) and the answer is the line to send.
    await trpc("auth.login", { username: "admin", password: "admin password" }, "POST");
    expect(await trpc<string[]>("units.inviteChannels")).toEqual(["feishu"]);
    const unit = await db.unit.findUniqueOrThrow({ where: { name: "市场监督管理局" } });
    const invite = await trpc<{ bindText: string; link: string | null }>("units.createInvite", { unitId: unit.id, role: "liaison", name: "刘洋", channel: "feishu" }, "POST");
    expect(invite.link).toBeNull();
    await emulator.text(LIU, invite.bindText);
    expect(emulator.sent.at(-1)?.text).toContain("已绑定为「市场监督管理局」的联络员");

    const rounds = await trpc<Array<{ roundId: number; taskNumber: string; units: Array<{ unitId: number; unit: string; submittedAt: string | null }> }>>("rounds.list", {});
    const round = rounds.find((r) => r.taskNumber === "5" && r.units.some((u) => u.unit === "市场监督管理局" && !u.submittedAt))!;
    const sma = round.units.find((u) => u.unit === "市场监督管理局")!;
    expect(await trpc<{ reminders: number }>("rounds.urge", { roundId: round.roundId, unitIds: [sma.unitId] }, "POST")).toMatchObject({ reminders: 1 });
    await emulator.until(() => emulator.sent.some((m) => m.msg_type === "interactive" && m.card?.header?.title?.content === "催办：请尽快报送"), 20_000);
    const card = emulator.sent.find((m) => m.msg_type === "interactive")!;
    expect(card.card?.elements[0]?.text?.content).toContain("任务5");

    const tap = await emulator.tap(card, "已完成");
    expect(tap.data?.toast?.content).toContain("状态：已完成");
    const plan = await trpc<{ groups: Array<{ tasks: Array<{ id: number; number: string }> }> }>("plan.get");
    const task5 = plan.groups.flatMap((g) => g.tasks).find((t) => t.number === "5")!;
    const detail = await trpc<{ history: Array<{ status: string; unit: { name: string } }> }>("tasks.get", { id: task5.id });
    expect(detail.history[0]).toMatchObject({ status: "done", unit: { name: "市场监督管理局" } });
    expect(logged).not.toContain(APP.appSecret);
    // A whole server and its first scheduler pass share the machine with the other test files.
  }, 90_000);
});
