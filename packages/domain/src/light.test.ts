import { describe, expect, it } from "vitest";
import { createCalendar, shanghaiInstant } from "./calendar.ts";
import { lightOf, worseLight } from "./light.ts";

const calendar = createCalendar();
const at = (date: string, time = "10:00") => shanghaiInstant(date, time);

describe("lightOf", () => {
  it("is green when nothing is owed", () => {
    expect(lightOf({ now: at("2026-07-01"), dueAt: null, submitted: false, blocked: false }, calendar)).toBe("green");
  });

  it("is green while the due date is more than 3 workdays away", () => {
    // Mon 2026-07-06 → Fri 2026-07-10 is 4 workdays ahead.
    expect(lightOf({ now: at("2026-07-06"), dueAt: at("2026-07-10", "17:30"), submitted: false, blocked: false }, calendar)).toBe("green");
  });

  it("turns yellow within 3 workdays of the due date", () => {
    expect(lightOf({ now: at("2026-07-07"), dueAt: at("2026-07-10", "17:30"), submitted: false, blocked: false }, calendar)).toBe("yellow");
    expect(lightOf({ now: at("2026-07-10"), dueAt: at("2026-07-10", "17:30"), submitted: false, blocked: false }, calendar)).toBe("yellow");
  });

  it("counts workdays, not calendar days, across National Day", () => {
    // Due Fri 2026-10-09; on Tue 2026-09-29 there are 7 calendar days of holiday in between.
    const due = at("2026-10-09", "17:30");
    const daysBetween = calendar.workdaysBetween("2026-09-29", "2026-10-09");
    expect(daysBetween).toBeLessThanOrEqual(3);
    expect(lightOf({ now: at("2026-09-29"), dueAt: due, submitted: false, blocked: false }, calendar)).toBe("yellow");
    expect(lightOf({ now: at("2026-09-22"), dueAt: due, submitted: false, blocked: false }, calendar)).toBe("green");
  });

  it("is red once the due moment has passed without a submission", () => {
    expect(lightOf({ now: at("2026-07-10", "17:31"), dueAt: at("2026-07-10", "17:30"), submitted: false, blocked: false }, calendar)).toBe("red");
  });

  it("is green once submitted, even if late or close to the date", () => {
    expect(lightOf({ now: at("2026-07-13"), dueAt: at("2026-07-10", "17:30"), submitted: true, blocked: false }, calendar)).toBe("green");
    expect(lightOf({ now: at("2026-07-09"), dueAt: at("2026-07-10", "17:30"), submitted: true, blocked: false }, calendar)).toBe("green");
  });

  it("is yellow when the unit reported difficulty, red if also overdue", () => {
    expect(lightOf({ now: at("2026-07-01"), dueAt: at("2026-09-30"), submitted: true, blocked: true }, calendar)).toBe("yellow");
    expect(lightOf({ now: at("2026-07-01"), dueAt: null, submitted: false, blocked: true }, calendar)).toBe("yellow");
    expect(lightOf({ now: at("2026-10-01"), dueAt: at("2026-09-30"), submitted: false, blocked: true }, calendar)).toBe("red");
  });
});

describe("worseLight", () => {
  it("orders red over yellow over green", () => {
    expect(worseLight("green", "yellow")).toBe("yellow");
    expect(worseLight("red", "yellow")).toBe("red");
    expect(worseLight("green", "green")).toBe("green");
  });
});
