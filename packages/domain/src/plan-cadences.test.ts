import { describe, expect, it } from "vitest";
import { extractCadences } from "./plan-cadences.ts";

describe("extractCadences", () => {
  it("reads a quarterly report up to the clause that names it", () => {
    expect(extractCadences("每季度定期分析全市产业质量状况,及时向市政府上报质量分析报告,定期向社会发布分析结果。")).toEqual([
      { kind: "quarterly", what: "质量分析报告", text: "每季度定期分析全市产业质量状况,及时向市政府上报质量分析报告" },
    ]);
  });

  it("reads annual papers and reports", () => {
    expect(extractCadences("每年发布全区国民体质监测报告。")).toEqual([{ kind: "annual", what: "全区国民体质监测报告", text: "每年发布全区国民体质监测报告" }]);
    expect(extractCadences("按季度向市政府报送工作进展情况通报。")).toEqual([
      { kind: "quarterly", what: "工作进展情况通报", text: "按季度向市政府报送工作进展情况通报" },
    ]);
  });

  it("keeps analysis work without a named deliverable", () => {
    expect(extractCadences("每季度开展一次质量形势分析。")).toEqual([{ kind: "quarterly", what: "开展一次质量形势分析", text: "每季度开展一次质量形势分析" }]);
  });

  it("ignores routine work and text without a cadence", () => {
    expect(extractCadences("对获证企业每年至少检查2次；每季度组织一次社区健身展示活动。")).toEqual([]);
    expect(extractCadences("鼓励企业定期向社会发布质量信用报告。")).toEqual([]);
  });
});
