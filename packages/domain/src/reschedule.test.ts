import { describe, expect, it } from "vitest";
import { createCalendar, shanghaiInstant } from "./calendar.ts";
import { roundMoves, ruleDueDateOfRound, submissionDueAt } from "./reschedule.ts";

const cal = createCalendar();
const at = (date: string, time = "17:30") => shanghaiInstant(date, time);

describe("ruleDueDateOfRound", () => {
  it("gives a one-off rule's date to the one-off round and a recurring rule's date to its own periods only", () => {
    expect(ruleDueDateOfRound({ kind: "once", dueDate: "2026-12-20" }, "once", cal)).toBe("2026-12-20");
    expect(ruleDueDateOfRound({ kind: "once", dueDate: "2026-12-20" }, "2026Q4", cal)).toBeNull();
    expect(ruleDueDateOfRound({ kind: "quarterly", offsetDays: 10, dayBasis: "workday" }, "2026Q3", cal)).toBe("2026-10-20");
    expect(ruleDueDateOfRound({ kind: "quarterly", offsetDays: 10, dayBasis: "workday" }, "2026", cal)).toBeNull();
    expect(ruleDueDateOfRound({ kind: "annual", month: 1, day: 31, dayBasis: "calendar" }, "once", cal)).toBeNull();
  });
});

describe("roundMoves", () => {
  const now = at("2026-12-08", "10:00");
  it("moves a round due today or later to the rule's date at the due time, and leaves past-due and unchanged rounds", () => {
    const moves = roundMoves({
      rule: { kind: "once", dueDate: "2026-12-20" },
      dueTime: "17:30",
      calendar: cal,
      now,
      rounds: [{ roundId: 1, periodKey: "once", dueAt: at("2026-12-10") }],
    });
    expect(moves).toEqual([{ roundId: 1, periodKey: "once", from: at("2026-12-10"), to: at("2026-12-20") }]);

    const quarterly = { kind: "quarterly" as const, offsetDays: 5, dayBasis: "workday" as const };
    const rounds = [
      { roundId: 2, periodKey: "2026Q3", dueAt: at("2026-10-14") },
      { roundId: 3, periodKey: "2026Q4", dueAt: at("2027-01-07") },
    ];
    const holiday = createCalendar([{ date: "2027-01-01", kind: "holiday", name: "元旦" }]);
    expect(roundMoves({ rule: quarterly, dueTime: "17:30", calendar: holiday, now, rounds }).map((m) => [m.roundId, m.to])).toEqual([[3, at("2027-01-08")]]);
    expect(roundMoves({ rule: quarterly, dueTime: "09:00", calendar: cal, now, rounds }).map((m) => [m.roundId, m.to])).toEqual([[3, at("2027-01-07", "09:00")]]);
  });

  it("counts a round due today as not yet past due, in Shanghai time", () => {
    const dueThisMorning = { roundId: 4, periodKey: "once", dueAt: at("2026-12-08", "09:00") };
    expect(roundMoves({ rule: { kind: "once", dueDate: "2026-12-20" }, dueTime: "09:00", calendar: cal, now, rounds: [dueThisMorning] })).toHaveLength(1);
    const dueYesterday = { ...dueThisMorning, dueAt: at("2026-12-07", "17:30") };
    expect(roundMoves({ rule: { kind: "once", dueDate: "2026-12-20" }, dueTime: "17:30", calendar: cal, now, rounds: [dueYesterday] })).toEqual([]);
  });
});

describe("submissionDueAt", () => {
  it("keeps the later of an approved extension and the round's new due date", () => {
    expect(submissionDueAt(at("2026-12-20"), null)).toEqual(at("2026-12-20"));
    expect(submissionDueAt(at("2026-12-20"), at("2026-12-31"))).toEqual(at("2026-12-31"));
    expect(submissionDueAt(at("2026-12-20"), at("2026-12-15"))).toEqual(at("2026-12-20"));
  });
});
