import { describe, expect, it } from "vitest";
import { normalizeUnitName } from "./parse-plan.ts";
import { isCollectiveUnit, looksLikeUnit, splitRoleSuffix, splitUnitClause } from "./plan-units.ts";

describe("normalizeUnitName", () => {
  it("removes every kind of space between Chinese characters", () => {
    expect(normalizeUnitName("  市场监督\u00a0管理局 ")).toBe("市场监督管理局");
    expect(normalizeUnitName("\u3000市 财 政 局\u3000")).toBe("市财政局");
    expect(normalizeUnitName("市教育局\u200b")).toBe("市教育局");
  });

  it("strips surrounding punctuation and a trailing 等/等单位", () => {
    expect(normalizeUnitName("环保局。")).toBe("环保局");
    expect(normalizeUnitName("、住建局；")).toBe("住建局");
    expect(normalizeUnitName("“市商务局”")).toBe("市商务局");
    expect(normalizeUnitName("市交通运输局等")).toBe("市交通运输局");
    expect(normalizeUnitName("市交通运输局等有关单位")).toBe("市交通运输局");
  });

  it("unifies brackets to full width and folds full-width letters and digits", () => {
    expect(normalizeUnitName("各县(市、区)人民政府")).toBe("各县（市、区）人民政府");
    expect(normalizeUnitName("国网ＸＸ供电公司第１分公司")).toBe("国网XX供电公司第1分公司");
  });

  it("drops a stray bracket left at the edge", () => {
    expect(normalizeUnitName("市财政局）")).toBe("市财政局");
  });

  it("keeps spaces between Latin words", () => {
    expect(normalizeUnitName(" China  Mobile ")).toBe("China Mobile");
  });

  it("is idempotent", () => {
    for (const raw of ["  市场监督\u00a0管理局 ", "各县(市、区)人民政府", "市交通运输局等", "质量、计量、标准化联席会议成员单位"]) {
      const once = normalizeUnitName(raw);
      expect(normalizeUnitName(once)).toBe(once);
    }
  });
});

describe("splitUnitClause", () => {
  const names = (clause: string) => splitUnitClause(clause, "generic").map((u) => u.name);

  it("splits on 、 but keeps a joint-meeting body whole", () => {
    expect(names("市场监督管理局、交运局")).toEqual(["市场监督管理局", "交运局"]);
    expect(names("质量、计量、标准化联席会议成员单位")).toEqual(["质量、计量、标准化联席会议成员单位"]);
    expect(names("政府办、质量、计量、标准化联席会议成员单位")).toEqual(["政府办", "质量、计量、标准化联席会议成员单位"]);
  });

  it("never splits inside brackets or on 和, splits on 及 only between whole names", () => {
    expect(names("各县（市、区）人民政府、市财政局")).toEqual(["各县（市、区）人民政府", "市财政局"]);
    expect(names("市卫生和计划生育委员会")).toEqual(["市卫生和计划生育委员会"]);
    expect(names("市财政局及各县区政府")).toEqual(["市财政局", "各县区政府"]);
    expect(names("市文化及旅游局")).toEqual(["市文化及旅游局"]);
  });

  it("gives a role word to its unit and the unmarked ones before it", () => {
    expect(splitUnitClause("市发改委牵头、市财政局配合", "generic")).toEqual([
      { name: "市发改委", role: "lead" },
      { name: "市财政局", role: "support" },
    ]);
    expect(splitUnitClause("市财政局、市统计局配合", "generic")).toEqual([
      { name: "市财政局", role: "support" },
      { name: "市统计局", role: "support" },
    ]);
    expect(splitUnitClause("市住建局（牵头）、市城管局", "generic")).toEqual([
      { name: "市住建局", role: "lead" },
      { name: "市城管局", role: "generic" },
    ]);
    expect(splitUnitClause("由市教育局负责", "support")).toEqual([{ name: "市教育局", role: "generic" }]);
  });
});

describe("unit name checks", () => {
  it("recognises organisation names by their ending", () => {
    for (const name of ["政府办", "教体局", "铁路公司", "人民银行同江市支行", "规划服务中心", "市妇联", "市科协", "团市委", "各乡镇"]) {
      expect(looksLikeUnit(name), name).toBe(true);
    }
    for (const name of ["质量", "计量", "abc", "这是一个很长的句子而不是单位名称因为它一直写下去没有停下来的意思", "抓好落实工作", "市财政局：负责"]) {
      expect(looksLikeUnit(name), name).toBe(false);
    }
  });

  it("recognises units that stand for many", () => {
    for (const name of ["质量、计量、标准化联席会议成员单位", "各成员单位", "各县（市、区）人民政府", "市直各部门", "有关单位"]) {
      expect(isCollectiveUnit(name), name).toBe(true);
    }
    for (const name of ["市场监督管理局", "人民银行同江市支行", "政府办"]) expect(isCollectiveUnit(name), name).toBe(false);
  });

  it("reads role words after a name", () => {
    expect(splitRoleSuffix("市发改委牵头负责")).toEqual({ name: "市发改委", role: "lead" });
    expect(splitRoleSuffix("各乡镇参与")).toEqual({ name: "各乡镇", role: "support" });
    expect(splitRoleSuffix("市财政局")).toEqual({ name: "市财政局", role: null });
    expect(splitRoleSuffix("牵头")).toEqual({ name: "牵头", role: null });
  });
});
