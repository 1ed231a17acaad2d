import { describe, expect, it } from "vitest";
import { shortPlanTitle } from "./short-title.ts";

describe("shortPlanTitle", () => {
  it("drops the document boilerplate around the subject", () => {
    expect(shortPlanTitle("关于印发建设质量强市实施方案的通知")).toBe("建设质量强市");
    expect(shortPlanTitle("优化营商环境工作方案")).toBe("优化营商环境");
  });
  it("cuts a long subject with an ellipsis", () => {
    const short = shortPlanTitle("某某市二〇二六年政府工作报告重点工作任务分解及责任落实实施方案", 10);
    expect(short).toHaveLength(10);
    expect(short.endsWith("…")).toBe(true);
  });
  it("keeps a title that is nothing but boilerplate readable", () => {
    expect(shortPlanTitle("实施方案")).toBe("实施方案");
  });
});
