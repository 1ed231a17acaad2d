import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { listCalendarYear, removeCalendarOverride, setCalendarOverride, setCalendarOverrides } from "./calendar-overrides.ts";
import { loadCalendar } from "./calendar-source.ts";

const now = new Date("2026-10-12T02:00:00Z");

describe("日历 overrides (temporary SQLite)", () => {
  let test: TestDb;
  beforeEach(async () => {
    test = await createTestDb();
  });
  afterEach(() => test.cleanup());

  it("lists the year's holidays and make-up workdays from the State Council data", async () => {
    const year = await listCalendarYear(test.db, 2026);
    expect(year.covered).toBe(true);
    const national = year.days.filter((d) => d.kind === "holiday" && d.date.startsWith("2026-10-0"));
    expect(national.length).toBeGreaterThanOrEqual(7);
    expect(year.days.some((d) => d.kind === "workday" && d.source === "library")).toBe(true);
  });

  it("takes the office's own declarations for a year the library does not know, and they drive the workday calendar", async () => {
    expect((await listCalendarYear(test.db, 2031)).covered).toBe(false);
    await setCalendarOverrides(test.db, { days: [{ date: "2031-01-01", kind: "holiday", name: "元旦" }, { date: "2031-01-04", kind: "workday", name: "元旦" }], now, actor: 1 });
    const year = await listCalendarYear(test.db, 2031);
    expect(year.covered).toBe(true);
    expect(year.days.map((d) => [d.date, d.kind, d.source])).toEqual([
      ["2031-01-01", "holiday", "override"],
      ["2031-01-04", "workday", "override"],
    ]);
    const calendar = await loadCalendar(test.db);
    expect(calendar.isWorkday("2031-01-01")).toBe(false);
    expect(calendar.isWorkday("2031-01-04")).toBe(true);

    const { id } = await setCalendarOverride(test.db, { date: "2031-01-01", kind: "workday", name: null, now, actor: 1 });
    expect((await loadCalendar(test.db)).isWorkday("2031-01-01")).toBe(true);
    await removeCalendarOverride(test.db, { id, now, actor: 1 });
    expect(await test.db.calendarOverride.count()).toBe(1);
    expect((await test.db.auditEvent.findMany({ orderBy: { id: "asc" } })).map((e) => e.action)).toEqual(["calendar.bulk-set", "calendar.update", "calendar.delete"]);
  });

  it("refuses an impossible date", async () => {
    await expect(setCalendarOverride(test.db, { date: "2031-02-30", kind: "holiday", now, actor: 1 })).rejects.toThrow();
  });
});
