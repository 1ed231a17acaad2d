import { describe, expect, it } from "vitest";
import { digestGroups, digestItemLabel, reminderDigestText, reminderText, type ReminderTextInput } from "./reminder-text.ts";

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

describe("reminderText sent late", () => {
  it("a before-N rung sent after downtime says the days really left, or that it is due today", () => {
    expect(reminderText({ ...base, rung: "before-3", workdaysLeft: 2 })).toContain("距截止还有 2 个工作日（2026-10-20 截止）");
    expect(reminderText({ ...base, rung: "before-3", workdaysLeft: 0 })).toContain("今天（2026-10-20）截止");
    expect(reminderText({ ...base, lang: "en", rung: "before-7", workdaysLeft: 4 })).toContain("due in 4 workday(s), on 2026-10-20");
  });
});

describe("reminderDigestText", () => {
  it("gathers several reminders into one message: each task with its due line", () => {
    const texts = [
      reminderText(base),
      reminderText({ ...base, taskNumber: "8", taskTitle: "建立和夯实城市计量基础。", deadlineTitle: "季度进度", rung: "due", dueDate: "2026-10-13" }),
      reminderText({ ...base, taskNumber: "9", taskTitle: "强化质量监管。", deadlineTitle: "季度进度", rung: "overdue-2", overdueWorkdays: 2, dueDate: "2026-10-09" }),
    ];
    expect(reminderDigestText("zh", texts)).toBe(
      [
        "【督办提醒】本单位有 3 项事项待报送：",
        "· 任务6：开展好质量分析工作。",
        "  每季度质量分析报告（2026年第三季度），距截止还有 3 个工作日（2026-10-20 截止）",
        "· 任务8：建立和夯实城市计量基础。",
        "  季度进度（2026年第三季度），今天（2026-10-13）截止",
        "· 任务9：强化质量监管。",
        "  季度进度（2026年第三季度），已逾期 2 个工作日（原定 2026-10-09 截止）",
        "请点击下方任务逐项报送进展，或直接回复本消息。",
      ].join("\n"),
    );
    const en = reminderDigestText("en", texts.map((_, i) => reminderText({ ...base, lang: "en", taskNumber: String(i + 1) })));
    expect(en.split("\n")[0]).toBe("Reminder: 3 items for your unit");
    expect(en).toContain("· Task 2: 开展好质量分析工作。");
  });

  it("groups the items of several plans under each plan's short title, in order of first appearance", () => {
    const quality = "同江市“质量强市”创建工作方案";
    const business = "关于印发同江市优化营商环境工作方案的通知";
    const texts = [
      reminderText({ ...base, planTitle: quality, taskNumber: "8", taskTitle: "建立和夯实城市计量基础。" }),
      reminderText({ ...base, planTitle: business, taskNumber: "1", taskTitle: "推行企业开办一网通办。", rung: "due", dueDate: "2026-10-12" }),
      reminderText({ ...base, planTitle: quality, taskNumber: "9", taskTitle: "强化质量监管。" }),
    ];
    expect(reminderDigestText("zh", texts)).toBe(
      [
        "【督办提醒】本单位有 3 项事项待报送：",
        "📁《同江市“质量强市”创建》",
        "· 任务8：建立和夯实城市计量基础。",
        "  每季度质量分析报告（2026年第三季度），距截止还有 3 个工作日（2026-10-20 截止）",
        "· 任务9：强化质量监管。",
        "  每季度质量分析报告（2026年第三季度），距截止还有 3 个工作日（2026-10-20 截止）",
        "📁《同江市优化营商环境》",
        "· 任务1：推行企业开办一网通办。",
        "  每季度质量分析报告（2026年第三季度），今天（2026-10-12）截止",
        "请点击下方任务逐项报送进展，或直接回复本消息。",
      ].join("\n"),
    );
    const en = reminderDigestText("en", texts.map((_, i) => reminderText({ ...base, lang: "en", planTitle: i === 1 ? business : quality, taskNumber: String(i + 1) })));
    expect(en.split("\n").filter((l) => l.startsWith("📁"))).toEqual(["📁 [同江市“质量强市”创建]", "📁 [同江市优化营商环境]"]);
    expect(en).toContain("· Task 3: 开展好质量分析工作。");
    expect(en).not.toContain("] Task");
    // The same grouping orders the digest's buttons: plan by plan.
    expect(digestGroups(texts, (x) => x).map((g) => [g.plan, g.items.length])).toEqual([
      ["同江市“质量强市”创建", 2],
      ["同江市优化营商环境", 1],
    ]);
  });
});

describe("digestItemLabel", () => {
  const text = (deadlineTitle: string, taskNumber = "8") =>
    reminderText({ lang: "zh", kind: "reminder", rung: "before-3", unitName: "市场监督管理局", taskNumber, taskTitle: "建立和夯实城市计量基础", planTitle: "同江市质量强市创建工作方案", deadlineTitle, periodLabel: "2026年第三季度", dueDate: "2026-07-15", overdueWorkdays: 0 });
  it("names the task, and the deadline when it fits", () => {
    expect(digestItemLabel(text("季度进度"), 10)).toBe("任务8 季度进度");
    expect(digestItemLabel(text("年度工作总结报送"), 10)).toBe("任务8");
    expect(digestItemLabel(text("年度工作总结报送"), 30)).toBe("任务8 年度工作总结报送");
  });
  it("cuts what does not fit", () => {
    expect(digestItemLabel(text("季度进度", "123456789012"), 10)).toBe("任务1234567…");
    expect(digestItemLabel(text("季度进度", "123456789012"), 10).length).toBe(10);
  });
});
