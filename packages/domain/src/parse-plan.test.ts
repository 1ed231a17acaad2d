import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ParsedPlan, PlanParseError, parsePlan, toPlanJson } from "./parse-plan.ts";

const seedText = readFileSync(new URL("../../../plans/tongjiang-quality-city-2016.txt", import.meta.url), "utf8");
const seed = parsePlan(seedText);
const tasks = seed.groups.flatMap((g) => g.tasks);
const task = (number: string) => {
  const found = tasks.find((t) => t.number === number);
  if (!found) throw new Error(`no task ${number}`);
  return found;
};
const unitsOf = (number: string) => task(number).units.map((u) => `${u.name}/${u.role}`);

/** Expects a PlanParseError at `line` whose message starts with "第 line 行：" and mentions `words`. */
function expectParseError(text: string, line: number, words: string): PlanParseError {
  let caught: unknown;
  try {
    parsePlan(text);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PlanParseError);
  const error = caught as PlanParseError;
  expect(error.line).toBe(line);
  expect(error.message.startsWith(`第 ${line} 行：`)).toBe(true);
  expect(error.message).toContain(words);
  return error;
}

describe("parsePlan on the Tongjiang seed plan", () => {
  it("reads the plan's own title, not the covering notice's, with 文号, issuer and date", () => {
    expect(seed.title).toBe("同江市“质量强市”创建工作方案");
    expect(seed.docNumber).toBe("同政办规〔2016〕4号");
    expect(seed.issuer).toBe("同江市人民政府办公室");
    expect(seed.date).toBe("2016-11-03");
  });

  it("finds exactly the six task groups of 三、主要任务 and nothing from 五、六、", () => {
    expect(seed.groups.map((g) => g.number)).toEqual(["(一)", "(二)", "(三)", "(四)", "(五)", "(六)"]);
    expect(seed.groups.map((g) => g.heading)).toEqual([
      "构建大质量格局",
      "推进宏观质量管理",
      "夯实质量基础建设",
      "强化质量安全监管",
      "深化质量提升",
      "全民共享质量发展成果",
    ]);
    expect(seed.groups.map((g) => g.tasks.length)).toEqual([3, 3, 3, 3, 4, 2]);
  });

  it("numbers the 18 tasks as written, with first sentence titles and source lines", () => {
    expect(tasks.map((t) => t.number)).toEqual(Array.from({ length: 18 }, (_, i) => String(i + 1)));
    expect(tasks.map((t) => t.title)).toEqual([
      "确立质量发展的战略地位",
      "建立健全大质量工作机制",
      "加强城市质量文化建设",
      "制定并实施品牌发展战略",
      "推广先进的质量管理方法",
      "开展好质量分析工作",
      "重视和加强标准化工作",
      "建立和夯实城市计量基础",
      "建立和完善城市认证认可体系",
      "完善质量安全监管机制",
      "建立健全质量安全防控体系",
      "依法严厉打击质量违法行为",
      "大力提升产品质量",
      "大力提升工程质量",
      "大力提升服务质量",
      "大力提升环境质量",
      "普及质量知识,提升公民质量意识",
      "解决群众关心的质量问题",
    ]);
    expect(task("1").line).toBe(51);
    expect(task("16").line).toBe(89);
    expect(task("18").line).toBe(95);
  });

  it("keeps the body without the title and without the 责任单位 annotation", () => {
    expect(task("3").body).toBe(
      "提炼城市质量精神,通过电视、报纸、网络等媒介宣传,设置“质量宣传板”、分发“质量宣传册”,形成政府重视质量、企业追求质量、社会崇尚质量、人人关心质量的良好氛围。",
    );
    for (const t of tasks) expect(t.body).not.toContain("责任单位");
  });

  it("reads every task's units as written: first listed leads, the rest support", () => {
    const expected: Record<string, string[]> = {
      "1": ["质量、计量、标准化联席会议成员单位/lead"],
      "2": ["质量、计量、标准化联席会议成员单位/lead"],
      "3": ["政府办/lead", "教体局/support"],
      "4": ["市场监督管理局/lead", "旅游局/support"],
      "5": ["市场监督管理局/lead"],
      "6": ["市场监督管理局/lead", "交运局/support", "环保局/support", "住建局/support", "铁路公司/support"],
      "7": ["市场监督管理局/lead"],
      "8": ["市场监督管理局/lead"],
      "9": ["市场监督管理局/lead", "农业局/support", "出入境检验检疫局/support"],
      "10": ["市场监督管理局/lead"],
      "11": ["市场监督管理局/lead", "农业局/support"],
      "12": ["市场监督管理局/lead", "环保局/support", "住建局/support"],
      "13": ["农业局/lead", "市场监督管理局/support"],
      "14": ["住建局/lead", "规划服务中心/support", "交运局/support", "水务局/support"],
      "15": ["商务局/lead", "计生局/support", "旅游局/support", "市场监督管理局/support", "人民银行同江市支行/support"],
      "16": ["环保局/lead", "工信局/support", "水务局/support"],
      "17": ["市场监督管理局/lead", "教体局/support", "环保局/support"],
      "18": ["市场监督管理局/lead", "卫生计生局/support", "环保局/support", "住建局/support"],
    };
    for (const [number, units] of Object.entries(expected)) expect(unitsOf(number), `task ${number}`).toEqual(units);
  });

  it("treats the joint-meeting member units as one collective unit and nothing else as collective", () => {
    expect(task("1").units[0]).toEqual({ name: "质量、计量、标准化联席会议成员单位", role: "lead", collective: true });
    const collective = tasks.flatMap((t) => t.units).filter((u) => u.collective);
    expect(new Set(collective.map((u) => u.name))).toEqual(new Set(["质量、计量、标准化联席会议成员单位"]));
  });

  it("lists each distinct unit once, in order of first appearance", () => {
    expect(seed.units).toEqual([
      "质量、计量、标准化联席会议成员单位",
      "政府办",
      "教体局",
      "市场监督管理局",
      "旅游局",
      "交运局",
      "环保局",
      "住建局",
      "铁路公司",
      "农业局",
      "出入境检验检疫局",
      "规划服务中心",
      "水务局",
      "商务局",
      "计生局",
      "人民银行同江市支行",
      "工信局",
      "卫生计生局",
    ]);
    // The seed lists units without 牵头 and states no rule: every multi-unit task says its lead was assumed.
    expect(seed.warningDetails.map((w) => w.code)).toEqual(Array(12).fill("lead-assumed"));
    expect(seed.warningDetails[0]).toEqual({ code: "lead-assumed", line: 55, taskNumber: "3", message: "第 55 行：任务 3 没有写明牵头单位，已把第一个单位“政府办”视为牵头单位" });
    expect(seed.warnings).toEqual(seed.warningDetails.map((w) => w.message));
  });

  it("reads the measurable targets with comparator, value and measure unit", () => {
    const summary = (number: string) => task(number).indicators.map((i) => `${i.name} ${i.comparator} ${i.value}${i.unit ?? ""}`);
    expect(summary("8")).toEqual(["计量检测项目 >= 15项", "国家重点管理计量器具受检率 >= 95%"]);
    expect(summary("9")).toEqual(["认证获证产品合格率 >= 95%"]);
    expect(summary("13")).toEqual(["产品质量国家监督抽查和省级监督检查合格率 >= 90%"]);
    expect(summary("14")).toEqual([
      "竣工工程质量验收合格率 = 100%",
      "国省干线公路竣工验收合格率 = 100%",
      "国省干线公路竣工验收优良率 >= 90%",
      "水利工程竣工验收合格率 >= 98%",
    ]);
    expect(summary("16")).toEqual([
      "城市空气质量好于二级标准 >= 330天",
      "城市集中式饮用水源地水质达标率 = 100%",
      "地表水国控断面劣V类水质比例 < 10%",
    ]);
  });

  it("keeps the clause an indicator came from as its text", () => {
    expect(task("8").indicators.map((i) => i.text)).toEqual(["全市计量检测项目不少于15项", "国家重点管理计量器具受检率达到95%以上"]);
    const highway = task("14").indicators.filter((i) => i.name.startsWith("国省干线公路"));
    expect(highway.map((i) => i.text)).toEqual(["国省干线公路竣工验收合格率、优良率分别达到100%、90%", "国省干线公路竣工验收合格率、优良率分别达到100%、90%"]);
    expect(task("16").indicators[1]?.text).toBe("城市集中式饮用水源地水质(扣除地质因素影响)达标率达到100%");
  });

  it("makes no indicators of years, hotlines, dates or slogans", () => {
    expect(tasks.reduce((n, t) => n + t.indicators.length, 0)).toBe(11);
    for (const number of ["1", "10", "11", "15", "17", "18"]) expect(task(number).indicators, `task ${number}`).toEqual([]);
  });

  it("reads the quarterly analysis report and the annual white paper of task 6, and no other cadence", () => {
    expect(task("6").cadences).toEqual([
      { kind: "quarterly", what: "质量分析报告", text: "每季度定期分析全市产业质量状况,及时向市政府上报质量分析报告" },
      { kind: "annual", what: "产品质量、工程质量、服务质量和环境质量白皮书", text: "每年发布产品质量、工程质量、服务质量和环境质量白皮书" },
    ]);
    expect(tasks.filter((t) => t.cadences.length > 0).map((t) => t.number)).toEqual(["6"]);
    expect(tasks.every((t) => t.deadline === null)).toBe(true);
  });

  it("gives the same plan when the punctuation is full-width and lines end in CRLF", () => {
    const variant = seedText
      .replace(/\(/g, "（")
      .replace(/\)/g, "）")
      .replace(/:/g, "：")
      .replace(/,/g, "，")
      .replace(/(\d+)\.(?=\S)/g, "$1．")
      .replace(/\n/g, "\r\n");
    const plan = parsePlan(variant);
    const shape = (p: ParsedPlan) =>
      p.groups.map((g) => ({ heading: g.heading, tasks: g.tasks.map((t) => ({ number: t.number, units: t.units, indicators: t.indicators.map((i) => [i.name, i.comparator, i.value, i.unit]) })) }));
    expect(shape(plan)).toEqual(shape(seed));
    expect(plan.groups.map((g) => g.number)).toEqual(["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]);
    expect(plan.units).toEqual(seed.units);
  });
});

describe("toPlanJson", () => {
  it("produces exactly the CLI shape", () => {
    const json = toPlanJson(seed);
    expect(Object.keys(json)).toEqual(["title", "docNumber", "groups", "warnings"]);
    expect(json.warnings).toEqual(seed.warningDetails);
    expect(json.title).toBe("同江市“质量强市”创建工作方案");
    expect(json.groups).toHaveLength(6);
    const first = json.groups[0];
    expect(Object.keys(first ?? {})).toEqual(["heading", "tasks"]);
    expect(first?.tasks[0]).toEqual({
      number: "1",
      title: "确立质量发展的战略地位",
      units: [{ name: "质量、计量、标准化联席会议成员单位", role: "lead" }],
      indicators: [],
      deadline: null,
      leader: null,
      unitNote: null,
      line: 51,
    });
    expect(json.groups[2]?.tasks[1]?.indicators[0]).toEqual({ text: "全市计量检测项目不少于15项", name: "计量检测项目", comparator: ">=", value: 15, unit: "项" });
    // Round-trips through JSON unchanged (no undefined, no class instances).
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe("parsePlan on documents it cannot read", () => {
  it("rejects empty text", () => {
    expectParseError("", 1, "为空");
    expectParseError(" \n\u3000\n\u00a0", 1, "为空");
  });

  it("rejects a document without numbered tasks, naming where the body starts", () => {
    expectParseError("某市工作方案\n\n一、指导思想\n坚持问题导向。\n\n二、工作目标\n全面提升。\n", 3, "没有找到编号任务");
  });


  it("rejects a group with no tasks inside a task section", () => {
    const text = "某市工作方案\n\n三、主要任务\n\n（一）第一组。\n\n1.任务一。（责任单位：市财政局）\n\n（二）空分组。\n\n本组只有说明文字。\n\n（三）第三组。\n\n2.任务二。（责任单位：市教育局）\n";
    expectParseError(text, 9, "分组“空分组”下没有找到编号任务");
  });

  it("keeps a task whose （责任单位 … bracket never closes, with its units and a warning at the line it opens", () => {
    const text = "某市工作方案\n\n三、主要任务\n\n1.任务一。（责任单位：市财政局）\n\n2.任务二。（责任单位：市教育局、市民政局\n\n3.任务三。（责任单位：市教育局）\n";
    const plan = parsePlan(text);
    expect(plan.groups[0]?.tasks.map((t) => `${t.number} ${t.units.map((u) => u.name).join("、")}`)).toEqual(["1 市财政局", "2 市教育局、市民政局", "3 市教育局"]);
    expect(plan.warningDetails.filter((w) => w.code === "other").map((w) => [w.line, w.taskNumber])).toEqual([[7, "2"]]);
  });

  it("counts lines of the original text even in a wrapped notice with CRLF endings", () => {
    const text = "关于印发某市工作方案的通知\r\n\r\n某市工作方案\r\n\r\n二、重点任务\r\n1.任务一。(责任单位:市财政局)\r\n2.任务二。\r\n(责任单位:市教育局\r\n";
    expect(parsePlan(text).warningDetails.find((w) => w.code === "other")?.message).toBe("第 8 行：任务 2 的责任单位括号没有闭合（缺少“）”），请核对它的单位");
  });

});

describe("parsePlan warnings", () => {
  const text = [
    "某市工作方案",
    "三、主要任务",
    "1.任务一。（责任单位：市财政局）",
    "2.任务二。（责任单位：市 财政局。）",
    "2.任务三。（配合单位：市教育局、abc）",
  ].join("\n");
  const plan = parsePlan(text);

  it("reports repeated numbers, odd unit names and support-only tasks without failing", () => {
    expect(plan.warnings).toEqual([
      "第 5 行：任务 2 没有写明牵头单位，已把第一个单位“市教育局”视为牵头单位",
      "第 5 行：单位名称“abc”看起来不像机构名称，请核对",
      "第 5 行：任务编号“2”重复（第 4 行已有），请在预览中改正",
    ]);
    expect(plan.warningDetails.map((w) => [w.code, w.line, w.taskNumber])).toEqual([
      ["lead-assumed", 5, "2"],
      ["other", 5, null],
      ["duplicate-number", 5, "2"],
    ]);
    expect(plan.groups[0]?.tasks[2]?.units).toEqual([
      { name: "市教育局", role: "lead", collective: false },
      { name: "abc", role: "support", collective: false },
    ]);
  });

  it("counts a unit written with stray spaces and punctuation as the same unit", () => {
    expect(plan.units).toEqual(["市财政局", "市教育局", "abc"]);
  });
});
