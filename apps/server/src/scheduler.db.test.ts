import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecordingMessenger } from "@duban/core/channels/messenger";
import { at, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { startScheduler } from "./scheduler.ts";

describe("the server's scheduler (temporary SQLite)", () => {
  let f: LiaisonFixture;
  beforeEach(async () => {
    f = await liaisonFixture();
    await f.db.deadline.updateMany({ data: { ladder: JSON.stringify({ sendAt: "13:00" }) } });
  });
  afterEach(() => f.cleanup());

  const pass = async (now: Date) => {
    const scheduler = startScheduler({ db: f.db, messenger: null, log: pino({ level: "silent" }), workingHours: { start: "08:00", end: "12:00" }, now: () => now });
    await scheduler.catchUp;
    await scheduler.stop();
  };

  it("plans within WORKING_HOURS: with 08:00-12:00, the rungs of Tuesday 13:00 are written on Wednesday at 08:00", async () => {
    await pass(at("2026-10-20", "13:00"));
    expect(await f.db.reminder.count()).toBe(0);
    await pass(at("2026-10-21", "08:00"));
    const planned = await f.db.reminder.findMany({ select: { rung: true, dueAt: true } });
    expect(planned.some((r) => r.rung === "office-5")).toBe(true);
    expect(new Set(planned.map((r) => r.dueAt.toISOString()))).toEqual(new Set([at("2026-10-21", "08:00").toISOString()]));
  });

  it("stops after the message being sent: the rest stays queued, and a message stuck on Telegram does not hold the shutdown", async () => {
    const liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: "1001" });
    const unitId = await f.unitId("市场监督管理局");
    const now = at("2026-10-12", "10:00");
    await f.db.reminder.createMany({
      data: [1, 2, 3].map((n) => ({ key: `notice-${n}`, kind: "notice", unitId, contactId: liaison, rung: "notice", dueAt: now, text: `通知${n}`, nextAttemptAt: now })),
    });
    let release: () => void = () => undefined;
    const sends: string[] = [];
    const messenger = {
      send: (message: { key: string }) => {
        sends.push(message.key);
        // The first send hangs (Telegram unreachable) until the test lets it go.
        return new Promise<{ ok: true; messageId: string }>((resolve) => (release = () => resolve({ ok: true, messageId: "1" })));
      },
    };
    const scheduler = startScheduler({ db: f.db, messenger, log: pino({ level: "silent" }), now: () => now, stopTimeoutMs: 200 });
    await expect.poll(() => sends.length).toBe(1);
    await scheduler.stop();
    release();
    await expect.poll(async () => (await f.db.reminder.findUniqueOrThrow({ where: { key: sends[0]! } })).state).toBe("sent");
    // Nothing more was sent after the shutdown began; the other two wait for the next start.
    expect(sends).toHaveLength(1);
    const waiting = (await f.db.reminder.findMany({ where: { kind: "notice", state: "pending" } })).map((r) => r.key);
    expect(waiting.sort()).toEqual(["notice-1", "notice-2", "notice-3"].filter((k) => k !== sends[0]));
  });

  it("sends the office's daily digest once a working day, whatever the number of instances", async () => {
    const digestPass = async (now: Date, messenger: RecordingMessenger) => {
      const scheduler = startScheduler({ db: f.db, messenger, log: pino({ level: "silent" }), officeChatId: "-100555", now: () => now, pollMs: 60_000 });
      await scheduler.catchUp;
      await scheduler.stop();
    };
    const one = new RecordingMessenger();
    const two = new RecordingMessenger();
    await digestPass(at("2026-10-20", "08:30"), one);
    expect(one.texts).toEqual([]);
    await Promise.all([digestPass(at("2026-10-20", "09:00"), one), digestPass(at("2026-10-20", "09:00"), two)]);
    await digestPass(at("2026-10-20", "11:00"), two);
    const texts = [...one.texts, ...two.texts];
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ chatId: "-100555" });
    expect(texts[0]!.text).toContain("【督办日报】10月20日");
  });
});
