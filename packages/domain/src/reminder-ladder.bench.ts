import { bench, describe } from "vitest";
import { addDays, createCalendar, shanghaiInstant } from "./calendar.ts";
import { DEFAULT_LADDER, DEFAULT_WORKING_HOURS, planReminders, upcomingReminders, type LadderRound, type LadderState } from "./reminder-ladder.ts";

// 200 open rounds × 40 units, each unit with a liaison and a head; due dates spread over
// September–December 2026 so every rung kind is current somewhere; a quarter of the units submitted.
const rounds: LadderRound[] = Array.from({ length: 200 }, (_, r) => ({
  roundId: r + 1,
  dueDate: addDays("2026-09-01", (r * 7) % 120),
  ladder: DEFAULT_LADDER,
  units: Array.from({ length: 40 }, (_, u) => ({
    unitId: u + 1,
    submitted: (r + u) % 4 === 0,
    snoozedUntil: u % 10 === 0 ? shanghaiInstant("2026-10-21", "09:00") : null,
    contacts: [
      { contactId: (u + 1) * 10, role: "liaison" as const, reachable: u % 13 !== 0 },
      { contactId: (u + 1) * 10 + 1, role: "head" as const, reachable: true },
    ],
  })),
}));

const now = shanghaiInstant("2026-10-20", "10:00");
const base = { calendar: createCalendar(), workingHours: DEFAULT_WORKING_HOURS, rounds };
const fresh: LadderState = { ...base, existingKeys: new Set() };
const caughtUp: LadderState = { ...base, existingKeys: new Set(planReminders(fresh, now).map((r) => r.key)) };

describe("planReminders, 200 rounds × 40 units", () => {
  bench("nothing stored yet", () => {
    planReminders(fresh, now);
  });
  bench("everything current already stored", () => {
    planReminders(caughtUp, now);
  });
  bench("with a fresh calendar each pass", () => {
    planReminders({ ...fresh, calendar: createCalendar() }, now);
  });
  bench("7-day preview", () => {
    upcomingReminders(caughtUp, now, new Date(now.getTime() + 7 * 24 * 3600_000));
  });
});
