import { describe, expect, it } from "vitest";
import { createCalendar, shanghaiInstant } from "./calendar.ts";
import { classifyItem, DEFAULT_SCORE_RULE, scoreFromCounts, scoreUnits, type ScoreItem } from "./score.ts";

const calendar = createCalendar();
const at = (date: string, time = "17:30") => shanghaiInstant(date, time);
const now = at("2026-12-31", "12:00");

function item(over: Partial<ScoreItem> & { due: string }): ScoreItem {
  const dueAt = at(over.due);
  return { submissionId: 1, unitId: 1, originalDueAt: dueAt, dueAt, submittedAt: null, exempt: false, ...over };
}

describe("考核 score rule", () => {
  it("counts a submission at or before its due moment as on time", () => {
    const c = classifyItem(item({ due: "2026-07-10", submittedAt: at("2026-07-10", "17:30") }), now, calendar);
    expect(c).toMatchObject({ outcome: "onTime", workdaysLate: 0 });
  });

  it("counts lateness in workdays, skipping 中秋 and 国庆 holidays", () => {
    // Due Thu 24 Sep 2026; 25–27 Sep and 1–7 Oct are holidays, so (24 Sep, 9 Oct] holds
    // 28, 29, 30 Sep and 8, 9 Oct: 5 workdays (11 weekdays without the holiday calendar).
    const c = classifyItem(item({ due: "2026-09-24", submittedAt: at("2026-10-09", "10:00") }), now, calendar);
    expect(c).toMatchObject({ outcome: "late", workdaysLate: 5 });
    // Later on the due day itself is still late, by at least one workday.
    expect(classifyItem(item({ due: "2026-09-24", submittedAt: at("2026-09-24", "20:00") }), now, calendar).workdaysLate).toBe(1);
    // Sat 10 Oct 2026 is a make-up workday (调休): Sat 10 Oct counts.
    expect(classifyItem(item({ due: "2026-10-09", submittedAt: at("2026-10-10", "09:00") }), now, calendar).workdaysLate).toBe(1);
  });

  it("uses the due date an approved extension moved", () => {
    const c = classifyItem(item({ due: "2026-07-10", dueAt: at("2026-07-20"), submittedAt: at("2026-07-17", "09:00") }), now, calendar);
    expect(c).toMatchObject({ outcome: "onTime", extended: true });
    const late = classifyItem(item({ due: "2026-07-10", dueAt: at("2026-07-20"), submittedAt: at("2026-07-21", "09:00") }), now, calendar);
    expect(late).toMatchObject({ outcome: "late", workdaysLate: 1 });
  });

  it("counts an exempt item as neither late nor missing", () => {
    expect(classifyItem(item({ due: "2026-07-10", submittedAt: at("2026-07-15"), exempt: true }), now, calendar).outcome).toBe("exempt");
    expect(classifyItem(item({ due: "2026-07-10", exempt: true }), now, calendar).outcome).toBe("exempt");
  });

  it("counts an unsubmitted past-due item as missing and a not-yet-due one not at all", () => {
    expect(classifyItem(item({ due: "2026-12-30" }), now, calendar)).toMatchObject({ outcome: "missing", workdaysLate: 1 });
    expect(classifyItem(item({ due: "2027-01-15" }), now, calendar).outcome).toBe("pending");
  });

  it("scores 100 × onTime/counted minus capped late and missing penalties", () => {
    expect(scoreFromCounts({ onTime: 3, counted: 4, missing: 0, lateWorkdays: [2] }, DEFAULT_SCORE_RULE)).toBe(73);
    // A 9-workday delay costs the cap (5), a missing one 5 more: 50 − 5 − 5.
    expect(scoreFromCounts({ onTime: 2, counted: 4, missing: 1, lateWorkdays: [9] }, DEFAULT_SCORE_RULE)).toBe(40);
    expect(scoreFromCounts({ onTime: 0, counted: 2, missing: 2, lateWorkdays: [] }, DEFAULT_SCORE_RULE)).toBe(0);
    expect(scoreFromCounts({ onTime: 0, counted: 0, missing: 0, lateWorkdays: [] }, DEFAULT_SCORE_RULE)).toBeNull();
    expect(scoreFromCounts({ onTime: 2, counted: 3, missing: 1, lateWorkdays: [] }, { latePenaltyPerWorkday: 0, latePenaltyCapWorkdays: 0, missingPenalty: 0 })).toBe(66.7);
  });

  it("sums a unit's year, leaving other years and exempt items out of the rate, ranking best first", () => {
    const items: ScoreItem[] = [
      item({ submissionId: 1, unitId: 7, due: "2026-04-10", submittedAt: at("2026-04-09") }),
      item({ submissionId: 2, unitId: 7, due: "2026-07-10", submittedAt: at("2026-07-14", "09:00") }), // Fri → Tue: 2 workdays
      item({ submissionId: 3, unitId: 7, due: "2026-10-15" }), // missing
      item({ submissionId: 4, unitId: 7, due: "2026-10-20", exempt: true }),
      item({ submissionId: 5, unitId: 7, due: "2025-10-20" }), // another year
      item({ submissionId: 6, unitId: 8, due: "2026-04-10", submittedAt: at("2026-04-10", "08:00") }),
    ];
    const { units } = scoreUnits({ year: 2026, now, rule: DEFAULT_SCORE_RULE, calendar, items, blockers: [{ unitId: 7, at: at("2026-05-01") }] });
    expect(units.map((u) => u.unitId)).toEqual([8, 7]);
    const u7 = units[1]!;
    expect(u7).toMatchObject({ owed: 4, onTime: 1, late: 1, missing: 1, exempt: 1, workdaysLate: 2, blockersRaised: 1 });
    // 100 × 1/3 − 2 − 5 = 26.33…
    expect(u7.score).toBe(26.3);
    expect(u7.quarters.map((q) => q.onTimeRate)).toEqual([null, 1, 0, 0]);
    expect(units[0]!.score).toBe(100);
  });
});
