import { describe, expect, it } from "vitest";
import { auditDetailText } from "./audit-text.ts";

describe("auditDetailText", () => {
  it("words the rounds a deadline or calendar change moved, old → new due", () => {
    const detail = JSON.stringify({ date: "2027-01-01", movedRounds: [{ roundId: 3, deadlineId: 2, periodKey: "2026Q4", from: "2027-01-07 17:30", to: "2027-01-08 17:30" }] });
    expect(auditDetailText(detail, "zh")).toBe("日期：2027-01-01；随之改期的轮次：2026Q4 2027-01-07 17:30 → 2027-01-08 17:30");
    expect(auditDetailText(JSON.stringify({ movedRounds: [{ periodKey: "once", from: "2026-12-10 17:30", to: "2026-12-20 17:30" }] }), "en")).toBe("rounds moved: one-off 2026-12-10 17:30 → 2026-12-20 17:30");
  });
});
