import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../env.ts";
import { startDuban, type RunningServer } from "../../start.ts";
import { dingtalkChannel } from "./dingtalk-channel.ts";
import { DingtalkEmulator } from "./testing/dingtalk-emulator.ts";

const CONFIG = { clientId: "dingstartclient01", clientSecret: "start-secret-do-not-log", robotCode: "dingstartclient01", corpId: "ding0corp0start" };

describe("npm start with DINGTALK_* set (temporary SQLite, the emulator as api.dingtalk.com)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "duban-dingtalk-start-"));
  const emulator = new DingtalkEmulator({ ...CONFIG, members: ["liuyang"] });
  let server: RunningServer | null = null;
  let logged = "";
  const log = pino({ level: "info" }, new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) }));

  afterAll(async () => {
    await server?.stop();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens the Stream connection and answers a member's message from the database; closes it on stop", async () => {
    await emulator.start();
    const env = parseEnv({
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${path.join(dir, "duban.db")}`,
      SCHEDULER: "0",
      BACKUP_AT: "off",
      DINGTALK_CLIENT_ID: CONFIG.clientId,
      DINGTALK_CLIENT_SECRET: CONFIG.clientSecret,
      DINGTALK_ROBOT_CODE: CONFIG.robotCode,
      DINGTALK_API_ROOT: emulator.url,
    });
    server = await startDuban(env, log);
    await emulator.connected(10_000);
    expect(logged).toContain("钉钉 channel on");
    await emulator.userSends("liuyang", "你好").acked;
    expect(emulator.texts.at(-1)).toMatchObject({ userId: "liuyang", content: expect.stringContaining("尚未绑定") });
    await server.stop();
    server = null;
    await expect(emulator.userSends("liuyang", "在吗").acked).rejects.toThrow(/no Stream connection|not acked/);
    expect(logged).not.toContain(CONFIG.clientSecret);
  });

  it("without DINGTALK_* the channel is off, said once in the log", () => {
    let quiet = "";
    const off = dingtalkChannel(parseEnv({}), pino({ level: "info" }, new Writable({ write: (chunk, _encoding, done) => ((quiet += String(chunk)), done()) })));
    expect(off).toBeNull();
    expect(quiet).toContain("DINGTALK_* are not set: the 钉钉 channel is off");
  });
});
