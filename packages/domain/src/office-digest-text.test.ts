import { describe, expect, it } from "vitest";
import { DIGEST_LIST_LIMIT, officeDigestText } from "./office-digest-text.ts";

describe("officeDigestText", () => {
  it("lists overdue units per plan, extension requests, blockers and today's due rounds", () => {
    const text = officeDigestText({
      date: "2026-10-12",
      overdue: [{ plan: "质量强市创建工作方案", units: [{ unit: "环保局", items: 2 }, { unit: "农业局", items: 1 }] }],
      pendingExtensions: [{ unit: "住建局", task: "任务8" }],
      openBlockers: [],
      dueToday: [{ task: "任务6", what: "季度进度（2026Q3）", owed: 3 }],
    });
    expect(text).toBe(
      [
        "【督办日报】10月12日",
        "",
        "一、逾期未报（2 个单位）",
        "《质量强市创建工作方案》",
        "· 环保局（2 项）",
        "· 农业局（1 项）",
        "",
        "二、待审批延期申请（1）",
        "· 住建局 — 任务8",
        "",
        "三、有困难待协调：无",
        "",
        "四、今日到期（1）",
        "· 任务6 季度进度（2026Q3）：3 个单位未报",
      ].join("\n"),
    );
  });

  it("cuts long lists", () => {
    const units = Array.from({ length: DIGEST_LIST_LIMIT + 5 }, (_, i) => ({ unit: `单位${i}`, items: 1 }));
    const text = officeDigestText({ date: "2026-10-12", overdue: [{ plan: "方案", units }], pendingExtensions: [], openBlockers: [], dueToday: [] });
    expect(text).toContain(`一、逾期未报（${DIGEST_LIST_LIMIT + 5} 个单位）`);
    expect(text).toContain(`· ……等共 ${DIGEST_LIST_LIMIT + 5} 项`);
    expect(text).not.toContain(`单位${DIGEST_LIST_LIMIT}（`);
  });
});
