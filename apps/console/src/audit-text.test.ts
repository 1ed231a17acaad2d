import { describe, expect, it } from "vitest";
import { auditDetailText } from "./audit-text.ts";

describe("auditDetailText", () => {
  it("words the rounds a deadline or calendar change moved, old → new due", () => {
    const detail = JSON.stringify({ date: "2027-01-01", movedRounds: [{ roundId: 3, deadlineId: 2, periodKey: "2026Q4", from: "2027-01-07 17:30", to: "2027-01-08 17:30" }] });
    expect(auditDetailText(detail, "zh")).toBe("日期：2027-01-01；随之改期的轮次：2026年第四季度 2027-01-07 17:30 → 2027-01-08 17:30");
    expect(auditDetailText(detail, "en")).toBe("date: 2027-01-01; rounds moved: Q4 2026 2027-01-07 17:30 → 2027-01-08 17:30");
    expect(auditDetailText(JSON.stringify({ movedRounds: [{ periodKey: "once", from: "2026-12-10 17:30", to: "2026-12-20 17:30" }] }), "en")).toBe("rounds moved: One-off 2026-12-10 17:30 → 2026-12-20 17:30");
  });

  it("shows stored UTC instants as Shanghai time in both languages, never 'UTC'", () => {
    // A 17:30 Shanghai deadline is stored as 09:30Z; a snooze to 09:00 Shanghai as 01:00Z.
    const extension = JSON.stringify({ unit: "环保局", oldDueAt: "2027-01-14T09:30:00.000Z", newDueAt: "2027-01-21T09:30:00.000Z", notified: 1 });
    expect(auditDetailText(extension, "zh")).toBe("单位：环保局；原截止：2027-01-14 17:30；新截止：2027-01-21 17:30；通知人数：1");
    expect(auditDetailText(extension, "en")).toBe("unit: 环保局; old due: 2027-01-14 17:30; new due: 2027-01-21 17:30; notified: 1");
    expect(auditDetailText(JSON.stringify({ roundId: 4, until: "2027-01-15T01:00:00.000Z" }), "en")).toBe("round id: 4; until: 2027-01-15 09:00");
    // Crossing midnight: 16:30Z is the next day in Shanghai.
    expect(auditDetailText(JSON.stringify({ until: "2027-01-14T16:30:00.000Z" }), "zh")).toBe("推迟到：2027-01-15 00:30");
    expect(auditDetailText(extension, "en")).not.toContain("UTC");
  });

  it("words a deadline's rule and ladder in the reader's language, not as JSON", () => {
    const detail = JSON.stringify({ title: "季度报送", rule: { kind: "quarterly", offsetDays: 5, dayBasis: "workday" }, dueTime: "17:30", ladder: null });
    expect(auditDetailText(detail, "zh")).toBe("标题：季度报送；规则：每季度结束后5个工作日内；截止时刻：17:30；提醒阶梯：默认");
    expect(auditDetailText(detail, "en")).toBe("title: 季度报送; rule: within 5 workdays after each quarter ends; due time: 17:30; ladder: default");
    const custom = JSON.stringify({ ladder: { before: [3, 1], onDueDay: true, overdueEvery: 2, overdueMax: 10, headAfter: 3, officeAfter: null, sendAt: "09:00" } });
    expect(auditDetailText(custom, "en")).toBe("ladder: −3/−1 · 0 · +2…10 · head+3 @09:00");
  });

  it("words roles, languages and calendar kinds only under their own key", () => {
    expect(auditDetailText(JSON.stringify({ username: "admin", role: "admin" }), "zh")).toBe("用户名：admin；角色：管理员");
    expect(auditDetailText(JSON.stringify({ date: "2026-10-10", kind: "workday", before: { kind: "holiday", name: null } }), "en")).toBe(
      "date: 2026-10-10; kind: make-up workday; before: (kind: holiday, name: —)",
    );
  });

  it("words a notice's re-send and broadcast details", () => {
    expect(auditDetailText(JSON.stringify({ recipients: 3, units: 2 }), "zh")).toBe("收件人数：3；单位：2");
    expect(auditDetailText(JSON.stringify({ title: "会议", includeHeads: false, withoutContact: ["住建局"] }), "zh")).toMatch(/^标题：会议；含一把手：.+；无法送达的单位：住建局$/);
  });
});
