import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_WORKING_HOURS } from "@duban/domain/working-hours";
import type { Calendar } from "@duban/domain/calendar";
import { createTestDb } from "@duban/db/testing";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { ensureRounds } from "../rounds/ensure-rounds.ts";
import { insertChunked, insertScalePlan } from "../testing/scale-fixture.ts";
import { RecordingMessenger, type SendResult } from "../channels/messenger.ts";
import { requestExtension } from "../submissions/request-extension.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";
import { loadOfficeDigest, sendOfficeDigest } from "./office-digest.ts";

// 2026-10-20 is a Tuesday: the 2026Q3 progress rounds are overdue, the Q3 质量分析报告 is due today.
const morning = at("2026-10-20", "09:00");

describe("每日督办简报 to the office chat (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let calendar: Calendar;
  const options = () => ({ officeChatId: "-100777", calendar, workingHours: DEFAULT_WORKING_HOURS });
  beforeEach(async () => {
    // Rounds opened on 2026-10-12 (FIXTURE_NOW): the 2026Q3 progress rounds are past due by the 20th.
    f = await liaisonFixture();
    calendar = await loadCalendar(f.db);
  });
  afterEach(() => f.cleanup());

  it("sums up overdue units per plan, extension requests, blockers and today's due rounds", async () => {
    const contact = await f.addContact({ unit: "市场监督管理局", telegramUserId: "7001" });
    const { roundId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    await requestExtension(f.db, { contactId: contact, roundId, reason: "数据尚未汇总完毕", now: morning });
    const digest = await loadOfficeDigest(f.db, morning);
    expect(digest.date).toBe("2026-10-20");
    expect(digest.overdue).toHaveLength(1);
    const overdueUnits = await f.db.submission.groupBy({ by: ["unitId"], where: { submittedAt: null, dueAt: { lt: morning } } });
    expect(digest.overdue[0]!.units).toHaveLength(overdueUnits.length);
    expect(digest.overdue[0]!.units.find((u) => u.unit === "环保局")?.items).toBe(await f.db.submission.count({ where: { submittedAt: null, dueAt: { lt: morning }, unit: { name: "环保局" } } }));
    expect(digest.pendingExtensions).toEqual([{ unit: "市场监督管理局", task: "任务8" }]);
    expect(digest.openBlockers).toEqual([]);
    const dueToday = await f.db.submission.count({ where: { submittedAt: null, dueAt: { gte: morning, lt: at("2026-10-21", "00:00") } } });
    expect(dueToday).toBeGreaterThan(0);
    expect(digest.dueToday).toEqual([{ task: "任务6", what: "每季度质量分析报告（2026Q3）", owed: dueToday }]);
  });

  it("goes out once a day within working hours, even when two instances try at the same moment", async () => {
    const messenger = new RecordingMessenger();
    expect(await sendOfficeDigest(f.db, messenger, at("2026-10-20", "08:59"), options())).toBe("outside-hours");
    // Saturday 2026-10-24 is a rest day.
    expect(await sendOfficeDigest(f.db, messenger, at("2026-10-24", "10:00"), options())).toBe("outside-hours");
    const outcomes = await Promise.all([sendOfficeDigest(f.db, messenger, morning, options()), sendOfficeDigest(f.db, messenger, morning, options())]);
    expect(outcomes.sort()).toEqual(["sent", "taken"]);
    expect(messenger.texts).toHaveLength(1);
    expect(messenger.texts[0]).toMatchObject({ chatId: "-100777" });
    expect(messenger.texts[0]!.text).toMatch(/^【督办日报】10月20日\n\n一、逾期未报（\d+ 个单位）\n《/);
    expect(await sendOfficeDigest(f.db, messenger, at("2026-10-20", "09:01"), options())).toBe("already-sent");
    expect(await f.db.officeDigest.count()).toBe(1);
    // The next workday has its own.
    expect(await sendOfficeDigest(f.db, messenger, at("2026-10-21", "09:00"), options())).toBe("sent");
    expect(await f.db.officeDigest.findMany({ select: { day: true, state: true }, orderBy: { day: "asc" } })).toEqual([
      { day: "2026-10-20", state: "sent" },
      { day: "2026-10-21", state: "sent" },
    ]);
  });

  it("retries a failed send after a backoff, with the same text", async () => {
    const failing = new RecordingMessenger();
    failing.sendText = async (): Promise<SendResult> => ({ ok: false, outcome: "retry", error: "502: Bad Gateway" });
    expect(await sendOfficeDigest(f.db, failing, morning, options())).toBe("retrying");
    const working = new RecordingMessenger();
    expect(await sendOfficeDigest(f.db, working, at("2026-10-20", "09:00"), options())).toBe("taken");
    expect(await sendOfficeDigest(f.db, working, at("2026-10-20", "09:05"), options())).toBe("sent");
    const row = await f.db.officeDigest.findUniqueOrThrow({ where: { day: "2026-10-20" } });
    expect(row).toMatchObject({ state: "sent", attempts: 2, lastError: null });
    expect(working.texts.map((t) => t.text)).toEqual([row.text]);
  });
});

describe("每日督办简报 at province scale (temporary database)", () => {
  it("counts 1,200 overdue units and 1,100 open 有困难 reports (no id list over 999)", { timeout: 180_000 }, async () => {
    const t = await createTestDb();
    try {
      const plan = await insertScalePlan(t.db, { tasks: 1, unitsPerTask: 1200, createdAt: at("2026-07-01", "08:00") });
      await ensureRounds(t.db, at("2026-10-12", "10:00"), await loadCalendar(t.db));
      const taskId = plan.taskIds[0]!;
      await insertChunked(
        plan.unitIds.slice(0, 1100).map((unitId) => ({ taskId, unitId, status: "blocked", source: "console", createdAt: at("2026-10-13", "10:00") })),
        (data) => t.db.statusUpdate.createMany({ data }),
      );
      // A later word from the first unit closes its blocker.
      await t.db.statusUpdate.create({ data: { taskId, unitId: plan.unitIds[0]!, status: "in_progress", source: "console", createdAt: at("2026-10-14", "10:00") } });
      const digest = await loadOfficeDigest(t.db, at("2027-01-20", "09:00"));
      expect(digest.overdue.map((p) => p.units.length)).toEqual([1200]);
      expect(digest.openBlockers).toHaveLength(1099);
    } finally {
      await t.cleanup();
    }
  });
});
