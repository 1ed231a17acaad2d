/**
 * Layouts of real plans (重点工作分解 notices, 国务院/国办 documents, 任务分解表 tables), each in a
 * small synthetic example written from the conventions, not from any particular document.
 */
import { describe, expect, it } from "vitest";
import { cleanPlanText, type ParsedPlan, type ParsedTask, PlanParseError, parsePlan, toPlanJson } from "./parse-plan.ts";

const tasksOf = (plan: ParsedPlan): ParsedTask[] => plan.groups.flatMap((g) => g.tasks);
/** "number :: unit/role, … | leader | note" per task. */
const brief = (plan: ParsedPlan) =>
  tasksOf(plan).map((t) => `${t.number} :: ${t.units.map((u) => `${u.name}/${u.role}`).join(", ")} | ${t.leader ?? "-"} | ${t.unitNote ?? "-"}`);
const codes = (plan: ParsedPlan) => plan.warningDetails.map((w) => `${w.code}@${w.line}:${w.taskNumber ?? ""}`);

describe("units, leaders and placeholders on label lines under each item", () => {
  const text = [
    "某市人民政府关于2030年重点工作及责任分解的通知",
    "发布时间:2030-02-01 09:00",
    "【字体:打印",
    "各区人民政府，市政府各部门：",
    "现将今年重点工作分解如下，明确各项工作的牵头负责领导、牵头责任单位和协同责任单位。",
    "一、稳住经济大盘",
    "1. 工业增加值增长7%以上。",
    "牵头负责领导:张三。",
    "牵头责任单位:市工信局。",
    "协同责任单位:市统计局、市电力公司等,各县、市、区政府。",
    "2. 外贸进出口稳中提质。",
    "牵头负责领导:李四。",
    "牵头责任单位:市商务局、市口岸办。",
    "主要协作单位:各乡镇人民政府、高新区管委会,县政府有关部门、有关直属单位",
    "二、办好民生实事",
    "3. 新建口袋公园10个。",
    "分管市领导:王五",
    "部门分工:市园林局牵头,各地、各部门配合。",
  ].join("\n");
  const plan = parsePlan(text);

  it("reads each label line: a person is the leader, open-ended groups are a note, named units get their roles", () => {
    expect(plan.groups.map((g) => `${g.number} ${g.heading}`)).toEqual(["一 稳住经济大盘", "二 办好民生实事"]);
    expect(brief(plan)).toEqual([
      "1 :: 市工信局/lead, 市统计局/support, 市电力公司/support | 张三 | 等、各县、市、区政府",
      "2 :: 市商务局/lead, 市口岸办/lead, 高新区管委会/support | 李四 | 各乡镇人民政府、县政府有关部门、有关直属单位",
      "3 :: 市园林局/lead | 王五 | 各地、各部门",
    ]);
  });

  it("keeps labels out of the title and reads the target in it", () => {
    const first = tasksOf(plan)[0];
    expect(first?.title).toBe("工业增加值增长7%以上");
    expect(first?.body).toBe("");
    expect(first?.indicators.map((i) => `${i.name} ${i.comparator} ${i.value}${i.unit ?? ""}`)).toEqual(["工业增加值增长 >= 7%"]);
  });

  it("has nothing to warn about when every lead is marked", () => {
    expect(plan.warnings).toEqual([]);
  });

  it("puts leader, note, line and the coded warnings in the plan parse JSON", () => {
    const json = toPlanJson(plan);
    expect(json.groups[0]?.tasks[0]).toMatchObject({ number: "1", leader: "张三", unitNote: "等、各县、市、区政府", line: 7 });
    expect(json.warnings).toEqual([]);
  });
});

describe("group headings that read like a task section", () => {
  it("takes every 重点工作 heading as a group when items under several of them assign units", () => {
    const text = [
      "某市重点工作分解",
      "一、产业发展重点工作",
      "1.建设产业园。（责任单位：市发改委）",
      "二、民生保障重点工作",
      "2.新建学校2所。（责任单位：市教育局）",
      "三、保障措施",
      "（一）加强领导。各单位要落实责任。",
    ].join("\n");
    const plan = parsePlan(text);
    expect(plan.groups.map((g) => `${g.number} ${g.heading} ${g.tasks.map((t) => t.number).join(",")}`)).toEqual(["一 产业发展重点工作 1", "二 民生保障重点工作 2"]);
  });
});

describe("document rules on roles", () => {
  const body = (rule: string) =>
    [
      "某部门关于推进某项工作的意见",
      "一、总体要求",
      "（一）指导思想。坚持稳中求进。",
      "（二）基本原则。坚持问题导向。",
      "二、重点任务",
      `（三）完善标准体系。加快制定标准。（甲部、乙委、丙局等负责${rule}）`,
      "（四）强化质量监管。开展抽查。（丁总局、甲部负责）",
      "（五）加强人才培养。（乙委、戊部牵头负责）",
      "（六）落实属地责任。（各省级人民政府负责）",
    ].join("\n");

  it("with 列第一位者为牵头单位，下同 the first listed leads every task after it, and no lead is assumed", () => {
    const plan = parsePlan(body("。列第一位者为牵头单位，下同"));
    expect(brief(plan)).toEqual([
      "（三） :: 甲部/lead, 乙委/support, 丙局/support | - | 等",
      "（四） :: 丁总局/lead, 甲部/support | - | -",
      "（五） :: 乙委/lead, 戊部/lead | - | -",
      "（六） ::  | - | 各省级人民政府",
    ]);
    expect(codes(plan)).toEqual(["no-units@9:（六）"]);
    expect(tasksOf(plan)[0]?.body).toBe("加快制定标准。");
  });

  it("reads the variant 排名第一的为牵头单位 stated once before the tasks", () => {
    const text = ["某部门关于推进某项工作的意见", "各项任务责任单位中，排名第一的为牵头单位。", "二、重点任务", "（一）完善标准。（甲部、乙委负责）", "（二）强化监管。（丁总局和各省级人民政府负责）"].join("\n");
    const plan = parsePlan(text);
    expect(brief(plan)).toEqual(["（一） :: 甲部/lead, 乙委/support | - | -", "（二） :: 丁总局/lead | - | 各省级人民政府"]);
    expect(plan.warnings).toEqual([]);
  });

  it("reads the variant 排在第一位的部门为牵头部门", () => {
    const plan = parsePlan(body("，排在第一位的部门为牵头部门，下同"));
    expect(brief(plan)[0]).toBe("（三） :: 甲部/lead, 乙委/support, 丙局/support | - | 等");
    expect(codes(plan)).toEqual(["no-units@9:（六）"]);
  });

  it("without a rule takes the first listed as lead and says so for each task with a choice", () => {
    const plan = parsePlan(body(""));
    expect(brief(plan).slice(0, 2)).toEqual(["（三） :: 甲部/lead, 乙委/support, 丙局/support | - | 等", "（四） :: 丁总局/lead, 甲部/support | - | -"]);
    expect(codes(plan)).toEqual(["lead-assumed@6:（三）", "lead-assumed@7:（四）", "no-units@9:（六）"]);
  });

  it("does not count the principles under 总体要求 as tasks", () => {
    expect(tasksOf(parsePlan(body(""))).map((t) => t.number)).toEqual(["（三）", "（四）", "（五）", "（六）"]);
  });
});

describe("一、 … as task numbers when a document has no groups", () => {
  const text = [
    "某办关于加大激励支持力度的通知",
    "各区人民政府：",
    "为进一步调动积极性，现就有关事项通知如下：",
    "一、对工作成效明显的县（市、区、旗），给予资金奖励。（甲部负责）",
    "二、对推进有力的市（地、州、盟），安排专项支持。（乙委会同有关部门负责）",
    "三、对表现突出的单位，优先安排试点。（丙局、丁部负责）",
  ].join("\n");
  const plan = parsePlan(text);

  it("reads each item as a task; bracketed place qualifiers are not units; 会同 makes the first the lead", () => {
    expect(plan.groups).toHaveLength(1);
    expect(brief(plan)).toEqual(["一 :: 甲部/lead | - | -", "二 :: 乙委/lead | - | 有关部门", "三 :: 丙局/lead, 丁部/support | - | -"]);
    expect(tasksOf(plan)[0]?.title).toBe("对工作成效明显的县（市、区、旗），给予资金奖励");
  });
});

describe("several unit brackets inside one task", () => {
  it("makes the first unit of each bracket a lead of its part", () => {
    const text = [
      "某部门关于发展某产业的意见",
      "二、主要任务",
      "（一）丰富产品供给。培育品牌（甲部、乙委负责），完善设施（丙局、甲部负责）。",
      "（二）优化营商环境。简化审批。（丁局负责）",
    ].join("\n");
    expect(brief(parsePlan(text))).toEqual(["（一） :: 甲部/lead, 乙委/support, 丙局/lead | - | -", "（二） :: 丁局/lead | - | -"]);
  });
});

describe("tab-separated task tables (Word tables, Excel sheets)", () => {
  const text = [
    "某县2030年重点工作目标任务分解表",
    "附件",
    "序号\t目标与任务\t分管县领导\t牵头责任单位\t责任单位\t完成时限",
    "一、产业发展",
    "1\t新建标准化厂房5万平方米。\t赵六\t县经信局\t县自然资源局、县住建局\t2030年底",
    "2\t培育规上企业20家以上\t赵六\t县经信局、县统计局\t县各有关单位",
    "\t\t\t\t县税务局",
    "二、社会事业",
    "3\t新增托位300个\t钱七 孙八\t县卫健委\t各乡镇人民政府\t2030年9月",
    "4\t建成文化中心\t钱七\t县文旅局\t县财政局 县住建局\t2030年12月",
    "以上任务请各单位抓好落实。",
  ].join("\n");
  const plan = parsePlan(text);

  it("finds the header under the title rows and reads each row by its column", () => {
    expect(plan.groups.map((g) => `${g.number} ${g.heading}`)).toEqual(["一 产业发展", "二 社会事业"]);
    expect(brief(plan)).toEqual([
      "1 :: 县经信局/lead, 县自然资源局/support, 县住建局/support | 赵六 | -",
      "2 :: 县经信局/lead, 县统计局/lead, 县税务局/support | 赵六 | 县各有关单位",
      "3 :: 县卫健委/lead | 钱七 孙八 | 各乡镇人民政府",
      "4 :: 县文旅局/lead, 县财政局/support, 县住建局/support | 钱七 | -",
    ]);
    expect(tasksOf(plan).map((t) => [t.line, t.title, t.deadline])).toEqual([
      [5, "新建标准化厂房5万平方米", "2030年底"],
      [6, "培育规上企业20家以上", null],
      [9, "新增托位300个", "2030年9月"],
      [10, "建成文化中心", "2030年12月"],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it("reads a table with 1 / 1.1 numbering and units written with 牵头 in one cell", () => {
    const sheet = ["序号\t重点工作\t责任单位\t时间节点", "1\t建设数据平台\t县数据局牵头，县财政局配合\t6月底", "1.1\t完成平台验收\t县数据局\t12月底"].join("\n");
    const parsed = parsePlan(sheet);
    expect(brief(parsed)).toEqual(["1 :: 县数据局/lead, 县财政局/support | - | -", "1.1 :: 县数据局/lead | - | -"]);
  });

  it("takes the first of two task columns as the group, merged down its rows", () => {
    const sheet = [
      "附件：重点任务清单",
      "序号\t重点任务\t具体举措\t牵头部门\t配合部门\t完成时间",
      "1\t优化营商环境\t压缩开办时间\t区市场监管局\t区税务局\t6月底前",
      "2\t\t推行证照分离\t区政务服务中心\t\t9月底前",
      "3\t扩大有效投资\t谋划储备项目50个以上\t区发改局\t区财政局、各街道办事处\t年底前",
    ].join("\n");
    const parsed = parsePlan(sheet);
    expect(parsed.groups.map((g) => `${g.heading}: ${g.tasks.map((t) => `${t.number} ${t.title}`).join(", ")}`)).toEqual([
      "优化营商环境: 1 压缩开办时间, 2 推行证照分离",
      "扩大有效投资: 3 谋划储备项目50个以上",
    ]);
    expect(brief(parsed)[2]).toBe("3 :: 区发改局/lead, 区财政局/support | - | 各街道办事处");
  });

  it("reads a table between paragraphs of a document, in document order", () => {
    const doc = [
      "某县工作方案",
      "二、主要任务",
      "1.修缮校舍。（责任单位：县教育局）",
      "任务清单如下：",
      "序号\t工作任务\t牵头单位\t配合单位",
      "2\t整治河道\t县水利局\t县生态环境局",
    ].join("\n");
    expect(brief(parsePlan(doc))).toEqual(["1 :: 县教育局/lead | - | -", "2 :: 县水利局/lead, 县生态环境局/support | - | -"]);
  });
});

describe("a task section whose items name no units", () => {
  it("imports its items as tasks, each with a no-units warning naming its line", () => {
    const text = ["某试点工作方案", "一、总体要求", "（一）指导思想。", "坚持统筹推进。", "二、试点任务", "（一）建设平台。统一建设。", "（二）形成规范。编制标准。"].join("\n");
    const plan = parsePlan(text);
    expect(tasksOf(plan).map((t) => `${t.number} ${t.title}`)).toEqual(["（一） 建设平台", "（二） 形成规范"]);
    expect(plan.warningDetails).toEqual([
      { code: "no-units", line: 6, taskNumber: "（一）", message: "第 6 行：任务 （一）“建设平台”没有找到责任单位，导入后请指定" },
      { code: "no-units", line: 7, taskNumber: "（二）", message: "第 7 行：任务 （二）“形成规范”没有找到责任单位，导入后请指定" },
    ]);
  });

  it("when the document assigns nobody, takes the items of the later sections of that rank too", () => {
    const text = ["某试点工作方案", "一、总体要求", "（一）指导思想。", "二、试点任务", "（一）建设平台。", "（二）形成规范。", "三、工作进度", "（一）制定方案。", "四、保障措施", "（一）加强领导。", "五、其他", "本方案自印发之日起施行。"].join("\n");
    const plan = parsePlan(text);
    expect(plan.groups.map((g) => `${g.heading}: ${g.tasks.map((t) => t.title).join("、")}`)).toEqual(["试点任务: 建设平台、形成规范", "工作进度: 制定方案", "保障措施: 加强领导"]);
    expect(plan.warningDetails.map((w) => w.code)).toEqual(["no-units", "no-units", "no-units", "no-units"]);
  });

  it("refuses a text with no tasks at all, in Chinese", () => {
    expect(() => parsePlan("某工作方案\n一、指导思想\n坚持稳中求进。\n二、基本原则\n坚持问题导向。")).toThrow(PlanParseError);
    expect(() => parsePlan("某工作方案\n一、指导思想\n坚持稳中求进。")).toThrow(/没有找到编号任务/);
  });
});

describe("hostile input", () => {
  it("cleans control characters but keeps lines and table cells", () => {
    expect(cleanPlanText("a\u0000b\r\nc\td\u0007\re\u009f")).toBe("ab\nc\td\ne");
  });

  it("parses a text with NUL bytes as if they were not there", () => {
    const text = "某县工作方案\n二、主要任务\n1.修缮校舍。（责任单位：县教\u0000育局）";
    expect(brief(parsePlan(text))).toEqual(["1 :: 县教育局/lead | - | -"]);
  });

  it("warns about two tasks with the same number", () => {
    const plan = parsePlan("某县工作方案\n二、主要任务\n4.修缮校舍。（责任单位：县教育局）\n4.整治河道。（责任单位：县水利局）");
    expect(codes(plan)).toEqual(["duplicate-number@4:4"]);
  });

  it("refuses a unit name too long to be one, with a warning, and keeps the rest", () => {
    const long = `县${"很".repeat(60)}局`;
    const plan = parsePlan(`某县工作方案\n二、主要任务\n1.修缮校舍。（责任单位：县教育局、${long}）`);
    expect(brief(plan)).toEqual(["1 :: 县教育局/lead | - | -"]);
    expect(codes(plan)).toEqual(["unit-rejected@3:1"]);
    expect(plan.units).toEqual(["县教育局"]);
  });
});
