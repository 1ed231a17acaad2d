import { describe, expect, it } from "vitest";
import { createCalendar, shanghaiDate, shanghaiInstant, shanghaiTime } from "./calendar.ts";
import {
  DEFAULT_LADDER,
  DEFAULT_WORKING_HOURS,
  isWithinWorkingHours,
  ladderSchedule,
  ladderSchema,
  nextWorkingMorning,
  planReminders,
  reminderKey,
  upcomingReminders,
  workingTimeOnOrAfter,
  type Ladder,
  type LadderRound,
  type LadderState,
  type LadderUnit,
  type PlannedReminder,
  type ScheduledRung,
} from "./reminder-ladder.ts";

const cal = createCalendar();
const hours = DEFAULT_WORKING_HOURS;
const sh = (date: string, time: string) => shanghaiInstant(date, time);
const stamp = (d: Date) => `${shanghaiDate(d)} ${shanghaiTime(d)}`;
const HOUR = 3600_000;

// Quarterly report for 2026Q3, due 10 workdays after the quarter: 2026-10-20 (Tuesday).
const DUE = "2026-10-20";

function unit(overrides: Partial<LadderUnit> = {}): LadderUnit {
  return {
    unitId: 10,
    submitted: false,
    snoozedUntil: null,
    contacts: [
      { contactId: 100, role: "liaison", reachable: true },
      { contactId: 101, role: "head", reachable: true },
    ],
    ...overrides,
  };
}

function round(units: LadderUnit[], overrides: Partial<LadderRound> = {}): LadderRound {
  return { roundId: 1, dueDate: DUE, ladder: { ...DEFAULT_LADDER, before: [...DEFAULT_LADDER.before] }, units, ...overrides };
}

function state(rounds: LadderRound[], existing: Iterable<string> = []): LadderState {
  return { calendar: cal, workingHours: hours, rounds, existingKeys: new Set(existing) };
}

const keys = (rs: PlannedReminder[]) => rs.map((r) => r.key);
const rungs = (track: ScheduledRung[]) => track.map((r) => `${r.rung}@${stamp(r.at)}`);

describe("working hours", () => {
  it("are 09:00 inclusive to 17:30 exclusive on workdays", () => {
    expect(isWithinWorkingHours(sh("2026-10-12", "08:59"), cal, hours)).toBe(false);
    expect(isWithinWorkingHours(sh("2026-10-12", "09:00"), cal, hours)).toBe(true);
    expect(isWithinWorkingHours(sh("2026-10-12", "17:29"), cal, hours)).toBe(true);
    expect(isWithinWorkingHours(new Date(sh("2026-10-12", "17:29").getTime() + 59_000), cal, hours)).toBe(true);
    expect(isWithinWorkingHours(sh("2026-10-12", "17:30"), cal, hours)).toBe(false);
    expect(isWithinWorkingHours(sh("2026-10-12", "17:31"), cal, hours)).toBe(false);
  });

  it("exclude holidays and weekends but include 调休 workdays", () => {
    expect(isWithinWorkingHours(sh("2026-10-02", "10:00"), cal, hours)).toBe(false);
    expect(isWithinWorkingHours(sh("2026-10-11", "10:00"), cal, hours)).toBe(false);
    expect(isWithinWorkingHours(sh("2026-10-10", "10:00"), cal, hours)).toBe(true);
  });

  it("find the next working morning", () => {
    expect(stamp(nextWorkingMorning(sh("2026-10-12", "10:00"), cal, hours))).toBe("2026-10-13 09:00");
    expect(stamp(nextWorkingMorning(sh("2026-10-12", "08:00"), cal, hours))).toBe("2026-10-12 09:00");
    expect(stamp(nextWorkingMorning(sh("2026-10-12", "09:00"), cal, hours))).toBe("2026-10-13 09:00");
    expect(stamp(nextWorkingMorning(sh("2026-10-09", "17:31"), cal, hours))).toBe("2026-10-10 09:00");
    expect(stamp(nextWorkingMorning(sh("2026-09-30", "18:00"), cal, hours))).toBe("2026-10-08 09:00");
    expect(stamp(nextWorkingMorning(sh("2026-10-03", "09:30"), cal, hours))).toBe("2026-10-08 09:00");
  });

  it("keep a time inside working hours and move one outside to the next morning", () => {
    expect(stamp(workingTimeOnOrAfter(sh("2026-10-12", "17:29"), cal, hours))).toBe("2026-10-12 17:29");
    expect(stamp(workingTimeOnOrAfter(sh("2026-10-12", "17:31"), cal, hours))).toBe("2026-10-13 09:00");
    expect(stamp(workingTimeOnOrAfter(sh("2026-10-12", "07:00"), cal, hours))).toBe("2026-10-12 09:00");
  });
});

describe("ladderSchema", () => {
  it("fills every field from the default ladder", () => {
    expect(ladderSchema.parse({})).toEqual(DEFAULT_LADDER);
    expect(DEFAULT_LADDER).toEqual({
      before: [7, 3, 1],
      onDueDay: true,
      overdueEvery: 2,
      overdueMax: 30,
      headAfter: 3,
      officeAfter: 5,
      sendAt: "09:00",
    });
  });

  it("orders and de-duplicates the days before", () => {
    expect(ladderSchema.parse({ before: [1, 7, 3, 3] }).before).toEqual([7, 3, 1]);
  });

  it.each([{ overdueEvery: 0 }, { before: [0] }, { sendAt: "9:00" }, { headAfter: 0 }, { overdueMax: -1 }, { before: [1.5] }])(
    "rejects %j",
    (ladder) => {
      expect(ladderSchema.safeParse(ladder).success).toBe(false);
    },
  );
});

describe("ladderSchedule", () => {
  const schedule = ladderSchedule(DUE, DEFAULT_LADDER, cal, hours);

  it("puts each liaison rung on the right workday at 09:00", () => {
    expect(rungs(schedule.liaison).slice(0, 7)).toEqual([
      "before-7@2026-10-10 09:00", // the 调休 Saturday counts as a workday
      "before-3@2026-10-15 09:00",
      "before-1@2026-10-19 09:00",
      "due@2026-10-20 09:00",
      "overdue-2@2026-10-22 09:00",
      "overdue-4@2026-10-26 09:00",
      "overdue-6@2026-10-28 09:00",
    ]);
    expect(schedule.liaison).toHaveLength(4 + 15);
    expect(schedule.liaison.at(-1)?.rung).toBe("overdue-30");
    expect(stamp(schedule.liaison.at(-1)?.at ?? new Date(0))).toBe("2026-12-01 09:00");
  });

  it("copies the head from 3 workdays overdue and escalates to the office once at 5", () => {
    expect(rungs(schedule.head).slice(0, 3)).toEqual(["head-3@2026-10-23 09:00", "head-5@2026-10-27 09:00", "head-7@2026-10-29 09:00"]);
    expect(schedule.head.map((r) => r.rung).at(-1)).toBe("head-29");
    expect(schedule.head.every((r) => r.kind === "escalation-head")).toBe(true);
    expect(rungs(schedule.office)).toEqual(["office-5@2026-10-27 09:00"]);
    expect(schedule.office[0]?.kind).toBe("escalation-office");
  });

  it("never puts a rung on a rest day or outside working hours, whatever the due date", () => {
    for (let d = "2026-01-01"; d <= "2026-12-31"; d = shanghaiDate(new Date(sh(d, "12:00").getTime() + 24 * HOUR))) {
      const s = ladderSchedule(d, DEFAULT_LADDER, cal, hours);
      for (const r of [...s.liaison, ...s.head, ...s.office]) {
        expect(isWithinWorkingHours(r.at, cal, hours), `${d} ${r.rung} ${stamp(r.at)}`).toBe(true);
        expect(shanghaiTime(r.at)).toBe("09:00");
      }
      const times = s.liaison.map((r) => r.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it("moves a due-day rung falling on a holiday to the next working morning", () => {
    const s = ladderSchedule("2026-10-01", DEFAULT_LADDER, cal, hours);
    expect(rungs(s.liaison).slice(0, 5)).toEqual([
      "before-7@2026-09-21 09:00",
      "before-3@2026-09-28 09:00",
      "before-1@2026-09-30 09:00",
      "due@2026-10-08 09:00",
      "overdue-2@2026-10-09 09:00",
    ]);
  });

  it("moves a send time outside working hours to the next working morning", () => {
    const late = ladderSchedule(DUE, { ...DEFAULT_LADDER, sendAt: "17:31" }, cal, hours);
    expect(rungs(late.liaison).slice(0, 3)).toEqual(["before-7@2026-10-12 09:00", "before-3@2026-10-16 09:00", "before-1@2026-10-20 09:00"]);
    const edge = ladderSchedule(DUE, { ...DEFAULT_LADDER, sendAt: "17:29" }, cal, hours);
    expect(rungs(edge.liaison).slice(0, 2)).toEqual(["before-7@2026-10-10 17:29", "before-3@2026-10-15 17:29"]);
    const early = ladderSchedule(DUE, { ...DEFAULT_LADDER, sendAt: "07:30" }, cal, hours);
    expect(rungs(early.liaison)[0]).toBe("before-7@2026-10-10 09:00");
  });

  it("follows an edited ladder", () => {
    const ladder: Ladder = { before: [5], onDueDay: false, overdueEvery: 3, overdueMax: 6, headAfter: null, officeAfter: null, sendAt: "10:00" };
    const s = ladderSchedule(DUE, ladder, cal, hours);
    expect(rungs(s.liaison)).toEqual(["before-5@2026-10-13 10:00", "overdue-3@2026-10-23 10:00", "overdue-6@2026-10-28 10:00"]);
    expect(s.head).toEqual([]);
    expect(s.office).toEqual([]);
  });
});

describe("reminderKey", () => {
  it("is built from round, unit, contact and rung", () => {
    expect(reminderKey({ roundId: 1, unitId: 10, contactId: 100, rung: "before-7" })).toBe("r1:u10:c100:before-7");
    expect(reminderKey({ roundId: 7, unitId: 3, contactId: null, rung: "office-5" })).toBe("r7:u3:coffice:office-5");
  });
});

describe("planReminders", () => {
  it("sends the first rung to the liaison only, at its time", () => {
    const planned = planReminders(state([round([unit()])]), sh("2026-10-10", "09:00"));
    expect(planned).toEqual([
      {
        key: "r1:u10:c100:before-7",
        roundId: 1,
        unitId: 10,
        contactId: 100,
        rung: "before-7",
        kind: "reminder",
        at: sh("2026-10-10", "09:00"),
        dueDate: DUE,
      },
    ]);
  });

  it("plans nothing before the first rung", () => {
    expect(planReminders(state([round([unit()])]), sh("2026-10-09", "16:00"))).toEqual([]);
  });

  it("does not repeat a rung already stored", () => {
    expect(planReminders(state([round([unit()])], ["r1:u10:c100:before-7"]), sh("2026-10-10", "11:00"))).toEqual([]);
  });

  it("plans nothing outside working hours, even when a rung is due", () => {
    const s = state([round([unit()])]);
    expect(planReminders(s, sh("2026-10-15", "08:59"))).toEqual([]);
    expect(keys(planReminders(s, sh("2026-10-15", "17:29")))).toEqual(["r1:u10:c100:before-3"]);
    expect(planReminders(s, sh("2026-10-15", "17:31"))).toEqual([]);
    expect(planReminders(s, sh("2026-10-17", "10:00"))).toEqual([]);
    expect(keys(planReminders(s, sh("2026-10-16", "09:00")))).toEqual(["r1:u10:c100:before-3"]);
  });

  it("sends nothing to a unit that has submitted", () => {
    const s = state([round([unit({ submitted: true })])]);
    for (const now of [sh("2026-10-10", "09:00"), sh("2026-10-20", "09:00"), sh("2026-10-27", "10:00"), sh("2026-11-30", "10:00")]) {
      expect(planReminders(s, now)).toEqual([]);
    }
  });

  it("copies the head at 3 workdays overdue", () => {
    const sent = ["before-7", "before-3", "before-1", "due", "overdue-2"].map((r) => `r1:u10:c100:${r}`);
    const planned = planReminders(state([round([unit()])], sent), sh("2026-10-23", "09:00"));
    expect(planned.map((r) => [r.key, r.kind])).toEqual([["r1:u10:c101:head-3", "escalation-head"]]);
  });

  it("escalates to the office at 5 workdays overdue", () => {
    const sent = ["c100:overdue-4", "c101:head-3"].map((k) => `r1:u10:${k}`);
    const planned = planReminders(state([round([unit()])], sent), sh("2026-10-27", "09:00"));
    expect(planned.map((r) => [r.key, r.contactId, r.kind])).toEqual([
      ["r1:u10:c101:head-5", 101, "escalation-head"],
      ["r1:u10:coffice:office-5", null, "escalation-office"],
    ]);
  });

  it("collapses rungs missed during 72 hours of downtime into the current one", () => {
    const sent = ["before-7", "before-3"].map((r) => `r1:u10:c100:${r}`);
    // Down from Monday 2026-10-19 08:00 to Thursday 2026-10-22 08:00: before-1 and due were missed.
    const planned = planReminders(state([round([unit()])], sent), sh("2026-10-22", "09:00"));
    expect(keys(planned)).toEqual(["r1:u10:c100:overdue-2"]);
  });

  it("collapses each track separately after a longer outage", () => {
    const sent = ["before-7", "before-3", "before-1"].map((r) => `r1:u10:c100:${r}`);
    const planned = planReminders(state([round([unit()])], sent), sh("2026-10-29", "10:00"));
    expect(planned.map((r) => `${r.key}@${stamp(r.at)}`)).toEqual([
      "r1:u10:coffice:office-5@2026-10-27 09:00",
      "r1:u10:c100:overdue-6@2026-10-28 09:00",
      "r1:u10:c101:head-7@2026-10-29 09:00",
    ]);
  });

  it("stops reminding after overdueMax but keeps the office escalation", () => {
    const ladder: Ladder = { ...DEFAULT_LADDER, overdueMax: 2 };
    const planned = planReminders(state([round([unit()], { ladder })]), sh("2026-11-20", "10:00"));
    expect(keys(planned)).toEqual(["r1:u10:c100:overdue-2", "r1:u10:coffice:office-5"]);
  });

  it("skips unreachable contacts but still escalates to the office", () => {
    const nobody = unit({
      contacts: [
        { contactId: 100, role: "liaison", reachable: false },
        { contactId: 101, role: "head", reachable: false },
      ],
    });
    expect(keys(planReminders(state([round([nobody])]), sh("2026-10-27", "10:00")))).toEqual(["r1:u10:coffice:office-5"]);

    const twoLiaisons = unit({
      contacts: [
        { contactId: 100, role: "liaison", reachable: true },
        { contactId: 102, role: "liaison", reachable: false },
        { contactId: 103, role: "liaison", reachable: true },
      ],
    });
    expect(keys(planReminders(state([round([twoLiaisons])]), sh("2026-10-15", "10:00")))).toEqual([
      "r1:u10:c100:before-3",
      "r1:u10:c103:before-3",
    ]);
  });

  it("plans across rounds and units, ordered by time then round, unit and key", () => {
    const s = state([
      round([unit({ unitId: 12 }), unit({ unitId: 11, submitted: true }), unit({ unitId: 10 })], { roundId: 2 }),
      round([unit({ unitId: 10 })], { roundId: 1, dueDate: "2026-10-19" }),
    ]);
    expect(keys(planReminders(s, sh("2026-10-15", "10:00")))).toEqual([
      "r1:u10:c100:before-3", // due 10-19: before-3 on 10-14
      "r2:u10:c100:before-3",
      "r2:u12:c100:before-3",
    ]);
  });

  it("is deterministic: same state and clock, same plan, whatever the contact order", () => {
    const a = unit();
    const b = unit({ contacts: [...a.contacts].reverse() });
    const now = sh("2026-10-27", "10:00");
    const first = planReminders(state([round([a])]), now);
    expect(planReminders(state([round([a])]), now)).toEqual(first);
    expect(planReminders(state([round([b])]), now)).toEqual(first);
    expect(new Set(keys(first)).size).toBe(first.length);
  });

  describe("snooze (稍后提醒)", () => {
    const sentBefore3 = ["r1:u10:c100:before-7", "r1:u10:c100:before-3"];
    const snoozedAt = sh("2026-10-15", "10:00");
    const until = nextWorkingMorning(snoozedAt, cal, hours);

    it("snoozes to the next working morning and reminds once then", () => {
      expect(stamp(until)).toBe("2026-10-16 09:00");
      const s = state([round([unit({ snoozedUntil: until })])], sentBefore3);
      expect(planReminders(s, sh("2026-10-15", "16:00"))).toEqual([]);
      const planned = planReminders(s, until);
      expect(planned.map((r) => [r.key, stamp(r.at)])).toEqual([["r1:u10:c100:snooze-2026-10-16", "2026-10-16 09:00"]]);
      const after = state([round([unit({ snoozedUntil: until })])], [...sentBefore3, "r1:u10:c100:snooze-2026-10-16"]);
      expect(planReminders(after, sh("2026-10-16", "15:00"))).toEqual([]);
      expect(keys(planReminders(after, sh("2026-10-19", "09:00")))).toEqual(["r1:u10:c100:before-1"]);
    });

    it("silences a regular rung that falls inside the snooze and reminds at the snooze time", () => {
      const s = state([round([unit({ snoozedUntil: sh("2026-10-20", "14:00") })])], [...sentBefore3, "r1:u10:c100:before-1"]);
      expect(planReminders(s, sh("2026-10-20", "09:00"))).toEqual([]);
      expect(keys(planReminders(s, sh("2026-10-20", "14:00")))).toEqual(["r1:u10:c100:snooze-2026-10-20"]);
    });

    it("sends only the regular rung when it falls at the snooze time", () => {
      const snoozeAt = nextWorkingMorning(sh("2026-10-19", "09:05"), cal, hours);
      expect(stamp(snoozeAt)).toBe("2026-10-20 09:00");
      const s = state([round([unit({ snoozedUntil: snoozeAt })])], [...sentBefore3, "r1:u10:c100:before-1"]);
      expect(keys(planReminders(s, snoozeAt))).toEqual(["r1:u10:c100:due"]);
      const after = state([round([unit({ snoozedUntil: snoozeAt })])], [...sentBefore3, "r1:u10:c100:before-1", "r1:u10:c100:due"]);
      expect(planReminders(after, sh("2026-10-20", "11:00"))).toEqual([]);
    });

    it("moves a snooze ending outside working hours to the next working morning", () => {
      const s = state([round([unit({ snoozedUntil: sh("2026-10-13", "20:00") })])], ["r1:u10:c100:before-7"]);
      expect(planReminders(s, sh("2026-10-13", "17:00"))).toEqual([]);
      const planned = planReminders(s, sh("2026-10-14", "09:00"));
      expect(planned.map((r) => `${r.key}@${stamp(r.at)}`)).toEqual(["r1:u10:c100:snooze-2026-10-14@2026-10-14 09:00"]);
    });

    it("does not hold back the head or the office", () => {
      const s = state([round([unit({ snoozedUntil: sh("2026-10-28", "09:00") })])], ["r1:u10:c101:head-3"]);
      expect(keys(planReminders(s, sh("2026-10-27", "10:00")))).toEqual(["r1:u10:c101:head-5", "r1:u10:coffice:office-5"]);
    });
  });
});

describe("upcomingReminders", () => {
  const from = sh("2026-10-14", "18:00");
  const to = sh("2026-10-21", "18:00");

  it("previews every rung falling in the window", () => {
    const preview = upcomingReminders(state([round([unit()])]), from, to);
    expect(preview.map((r) => `${r.key}@${stamp(r.at)}`)).toEqual([
      "r1:u10:c100:before-3@2026-10-15 09:00",
      "r1:u10:c100:before-1@2026-10-19 09:00",
      "r1:u10:c100:due@2026-10-20 09:00",
    ]);
  });

  it("leaves out stored keys, submitted units and unreachable contacts", () => {
    const units = [unit(), unit({ unitId: 11, submitted: true }), unit({ unitId: 12, contacts: [{ contactId: 120, role: "liaison", reachable: false }] })];
    const preview = upcomingReminders(state([round(units)], ["r1:u10:c100:before-3"]), from, to);
    expect(keys(preview)).toEqual(["r1:u10:c100:before-1", "r1:u10:c100:due"]);
  });

  it("includes escalations and the window end, excludes the window start", () => {
    const preview = upcomingReminders(state([round([unit()])]), sh("2026-10-23", "09:00"), sh("2026-10-27", "09:00"));
    expect(keys(preview)).toEqual(["r1:u10:c100:overdue-4", "r1:u10:c101:head-5", "r1:u10:coffice:office-5"]);
  });

  it("shows the snooze reminder instead of the rungs it swallows", () => {
    const s = state([round([unit({ snoozedUntil: sh("2026-10-19", "14:00") })])]);
    expect(keys(upcomingReminders(s, from, to))).toEqual(["r1:u10:c100:snooze-2026-10-19", "r1:u10:c100:due"]);
  });
});

describe("a quarter driven tick by tick", () => {
  it("emits every rung exactly once, on time, within working hours", () => {
    // Unit 10 never submits; unit 11 submits on 2026-10-21 at 12:00.
    const dueRound = (now: Date): LadderRound =>
      round([unit(), unit({ unitId: 11, submitted: now.getTime() >= sh("2026-10-21", "12:00").getTime() })]);
    const stored = new Map<string, { at: Date; emittedAt: Date }>();
    const tick = 15 * 60_000;
    for (let t = sh("2026-07-01", "00:00").getTime(); t < sh("2026-12-31", "00:00").getTime(); t += tick) {
      const now = new Date(t);
      for (const r of planReminders(state([dueRound(now)], stored.keys()), now)) {
        expect(stored.has(r.key), r.key).toBe(false);
        expect(isWithinWorkingHours(now, cal, hours)).toBe(true);
        stored.set(r.key, { at: r.at, emittedAt: now });
      }
    }

    const schedule = ladderSchedule(DUE, DEFAULT_LADDER, cal, hours);
    const expected10 = [
      ...schedule.liaison.map((r) => reminderKey({ roundId: 1, unitId: 10, contactId: 100, rung: r.rung })),
      ...schedule.head.map((r) => reminderKey({ roundId: 1, unitId: 10, contactId: 101, rung: r.rung })),
      ...schedule.office.map((r) => reminderKey({ roundId: 1, unitId: 10, contactId: null, rung: r.rung })),
    ];
    const submittedBy = sh("2026-10-21", "12:00").getTime();
    const expected11 = schedule.liaison
      .filter((r) => r.at.getTime() < submittedBy)
      .map((r) => reminderKey({ roundId: 1, unitId: 11, contactId: 100, rung: r.rung }));
    expect([...stored.keys()].sort()).toEqual([...expected10, ...expected11].sort());
    expect(expected10).toHaveLength(19 + 14 + 1);
    expect(expected11).toEqual(["r1:u11:c100:before-7", "r1:u11:c100:before-3", "r1:u11:c100:before-1", "r1:u11:c100:due"]);
    for (const { at, emittedAt } of stored.values()) {
      expect(emittedAt.getTime()).toBe(at.getTime());
      expect(cal.isWorkday(shanghaiDate(at))).toBe(true);
    }
  });

  it("collapses what a 72-hour outage missed into one reminder per track, then carries on", () => {
    // Due on the National Day holiday: due rung 10-08, overdue-2 10-09, head-3 on the 调休 Saturday 10-10.
    const dueRound = round([unit()], { dueDate: "2026-10-01" });
    const outage = [sh("2026-10-08", "00:00").getTime(), sh("2026-10-11", "00:00").getTime()] as const;
    const stored = new Map<string, Date>();
    const perTick: number[] = [];
    for (let t = sh("2026-09-01", "00:00").getTime(); t < sh("2026-11-01", "00:00").getTime(); t += HOUR) {
      if (t >= outage[0] && t < outage[1]) continue;
      const planned = planReminders(state([dueRound], stored.keys()), new Date(t));
      const tracks = new Set(planned.map((r) => `${r.unitId}:${r.contactId}`));
      expect(tracks.size, stamp(new Date(t))).toBe(planned.length);
      for (const r of planned) stored.set(r.key, new Date(t));
      perTick.push(planned.length);
    }
    expect(stored.has("r1:u10:c100:due")).toBe(false);
    expect(stored.has("r1:u10:c100:overdue-2")).toBe(false);
    expect(stamp(stored.get("r1:u10:c101:head-3") ?? new Date(0))).toBe("2026-10-12 09:00");
    expect(stamp(stored.get("r1:u10:c100:overdue-4") ?? new Date(0))).toBe("2026-10-12 09:00");
    expect(stamp(stored.get("r1:u10:c101:head-5") ?? new Date(0))).toBe("2026-10-13 09:00");
    expect(stamp(stored.get("r1:u10:coffice:office-5") ?? new Date(0))).toBe("2026-10-13 09:00");
    expect(stamp(stored.get("r1:u10:c100:before-7") ?? new Date(0))).toBe("2026-09-21 09:00");
    expect(Math.max(...perTick)).toBe(2);
  });
});
