import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { previewDueReminders } from "./plan-due-reminders.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

describe("planned reminder texts (temporary SQLite)", () => {
  let f: LiaisonFixture;
  beforeEach(async () => {
    f = await liaisonFixture();
    await f.addContact({ unit: "市场监督管理局", telegramUserId: "1001" });
  });
  afterEach(() => f.cleanup());

  it("a rung sent a day late (after downtime) tells the workdays really left", async () => {
    // 2026Q3 progress is due Tuesday 13 October. Its before-3 rung is Friday 9 October (Saturday
    // 10 October is a 调休 workday, Monday 12 October the before-1 rung). Planned on Saturday
    // the 10th, the before-3 rung goes out with 2 workdays left (the 12th and the 13th).
    const due = await previewDueReminders(f.db, at("2026-10-10", "10:00"), await loadCalendar(f.db));
    const task8 = due.find((r) => r.task === "8" && r.unit === "市场监督管理局" && r.contact !== null);
    expect(task8?.rung).toBe("before-3");
    expect(task8?.text).toContain("距截止还有 2 个工作日（2026-10-13 截止）");
  });
});
