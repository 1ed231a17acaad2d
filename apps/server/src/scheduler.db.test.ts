import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
});
