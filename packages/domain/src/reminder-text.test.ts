import { describe, expect, it } from "vitest";
import { reminderText, type ReminderTextInput } from "./reminder-text.ts";

const base: ReminderTextInput = {
  lang: "zh",
  kind: "reminder",
  rung: "before-3",
  unitName: "环保局",
  taskNumber: "6",
  taskTitle: "开展好质量分析工作。",
  deadlineTitle: "每季度质量分析报告",
  periodLabel: "2026年第三季度",
  dueDate: "2026-10-20",
  overdueWorkdays: 0,
};

describe("reminderText", () => {
  it("names the task, the period and the days left", () => {
    const text = reminderText(base);
    expect(text).toContain("任务6：开展好质量分析工作。");
    expect(text).toContain("每季度质量分析报告（2026年第三季度）");
    expect(text).toContain("距截止还有 3 个工作日（2026-10-20 截止）");
  });

  it("says how late an overdue unit is, and copies the head with the unit's name", () => {
    const text = reminderText({ ...base, kind: "escalation-head", rung: "head-3", overdueWorkdays: 3 });
    expect(text).toContain("环保局尚未报送");
    expect(text).toContain("已逾期 3 个工作日");
  });

  it("speaks English to contacts who chose it", () => {
    expect(reminderText({ ...base, lang: "en", rung: "due" })).toContain("due today (2026-10-20)");
  });
});
