/**
 * The parser on plans laid out differently from the seed. Each fixture in
 * test/fixtures/plans is a realistic plan in one layout; the tests pin down the whole outline.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ParsedPlan, type ParsedTask, parsePlan } from "./parse-plan.ts";

const fixture = (name: string): ParsedPlan => parsePlan(readFileSync(new URL(`../test/fixtures/plans/${name}.txt`, import.meta.url), "utf8"));

/** "number title :: unit/role, unit/role +placeholders ⏰deadline" — one line per task, per group. */
function outline(plan: ParsedPlan): Array<[string, string[]]> {
  const line = (t: ParsedTask) =>
    `${t.number} ${t.title} :: ${t.units.map((u) => `${u.name}/${u.role}`).join(", ")}${t.unitNote ? ` +${t.unitNote}` : ""}${t.deadline ? ` ⏰${t.deadline}` : ""}`;
  return plan.groups.map((g) => [`${g.number} ${g.heading}`.trim(), g.tasks.map(line)]);
}
/** Warnings other than the expected "first listed taken as lead" ones. */
const unexpectedWarnings = (plan: ParsedPlan) => plan.warningDetails.filter((w) => w.code !== "lead-assumed").map((w) => w.message);
const indicatorsOf = (plan: ParsedPlan) => plan.groups.flatMap((g) => g.tasks.flatMap((t) => t.indicators.map((i) => `${t.number}: ${i.name} ${i.comparator} ${i.value}${i.unit ?? ""}`)));

describe("full-width layout with 牵头单位/配合单位 labels inside a notice", () => {
  const plan = fixture("lead-support-labels");

  it("reads the header of the covering notice ([] 文号, Chinese-numeral date)", () => {
    expect(plan.title).toBe("临河市优化营商环境三年行动方案");
    expect(plan.docNumber).toBe("临政办发［2017］12号");
    expect(plan.issuer).toBe("临河市人民政府办公室");
    expect(plan.date).toBe("2017-03-15");
  });

  it("takes tasks from 二、重点任务 only and reads every label form", () => {
    expect(outline(plan)).toEqual([
      [
        "（一） 提升政务服务效能",
        [
          "1 推进“一网通办” :: 市政务服务管理局/lead, 市大数据中心/support +市直各部门",
          "2 压缩企业开办时间 :: 市市场监督管理局/lead, 市公安局/support, 市税务局/support ⏰2017年6月底前",
          "3 规范中介服务 :: 市发展改革委/lead, 市财政局/support, 市民政局/support",
        ],
      ],
      [
        "（二） 优化要素保障",
        [
          "4 降低用电成本 :: 国网临河供电公司/lead, 市工业和信息化局/support ⏰2017年12月底前",
          "5 加强融资服务 :: 人民银行临河市中心支行/lead, 市金融工作办公室/support, 市卫生和计划生育委员会/support",
          "6 强化用地保障 :: 市自然资源局/lead +各县（市、区）人民政府 ⏰2018年6月底前",
        ],
      ],
    ]);
  });

  it("keeps the open-ended 市直各部门 and 各县（市、区）人民政府 as notes, not units", () => {
    const units = plan.groups.flatMap((g) => g.tasks.flatMap((t) => t.units)).map((u) => u.name);
    expect(units.filter((n) => n.includes("各"))).toEqual([]);
    expect(plan.groups.flatMap((g) => g.tasks.map((t) => t.unitNote)).filter((n) => n !== null)).toEqual(["市直各部门", "各县（市、区）人民政府"]);
  });

  it("reads targets in tasks but not the goals of 总体要求", () => {
    expect(indicatorsOf(plan)).toEqual([
      "1: 政务服务事项网上可办率 >= 90%",
      "2: 企业开办时间 <= 3个工作日",
      "4: 低压用户平均接电时间 <= 15天",
      "6: 新增工业用地“标准地”出让比例 >= 30%",
    ]);
    expect(unexpectedWarnings(plan)).toEqual([]);
  });
});

describe("一、 groups without a task section, roles written as verbs", () => {
  const plan = fixture("verb-roles");

  it("skips 总体要求 and 保障措施, whose items assign nobody, and reads （X牵头，Y、Z配合） / （A、B负责）", () => {
    expect(plan.title).toBe("安平县农村人居环境整治三年实施方案");
    expect(plan.docNumber).toBeNull();
    expect(outline(plan)).toEqual([
      [
        "二 推进农村生活垃圾治理",
        [
          "（一） 健全收运处置体系 :: 县住房城乡建设局/lead, 县财政局/support, 县生态环境局/support",
          "（二） 开展非正规垃圾堆放点排查整治 :: 县生态环境局/lead +各乡镇人民政府",
        ],
      ],
      [
        "三 开展厕所粪污治理",
        [
          "（一） 推进农村户用厕所改造 :: 县农业农村局/lead, 县卫生健康局/support",
          "（二） 加强厕所粪污无害化处理 ::  +各乡镇人民政府 ⏰2018年底前完成",
        ],
      ],
      ["四 梯次推进生活污水治理", ["（一） 因地制宜治理生活污水 :: 县生态环境局/lead, 县水务局/support"]],
    ]);
  });

  it("reads an annual report written as a recurring duty", () => {
    const task = plan.groups[1]?.tasks[1];
    expect(task?.cadences).toEqual([{ kind: "annual", what: "改厕质量评估报告", text: "每年开展一次改厕质量抽查，形成改厕质量评估报告" }]);
  });

  it("keeps a qualifier that the indicator name cannot stand without", () => {
    expect(indicatorsOf(plan)).toEqual(["（一）: 农村生活垃圾有效治理的行政村比例 >= 90%", "（一）: 农村卫生厕所普及率 >= 85%"]);
  });
});

describe("1、 tasks without groups, units and deadlines on their own lines", () => {
  const plan = fixture("unit-lines");

  it("puts the tasks in one implicit group named after the section", () => {
    expect(outline(plan)).toEqual([
      [
        "工作任务",
        [
          "1 加强食用农产品源头治理 :: 区农业委员会/lead, 区市场监督管理局/support +各街道办事处 ⏰2017年12月底前",
          "2 强化生产经营环节监管 :: 区市场监督管理局/lead, 区公安分局/support, 区城管执法局/support ⏰2017年9月30日前",
          "3 提升检验检测能力 :: 区市场监督管理局/lead, 区卫生和计划生育委员会/support",
          "4 推进食品安全示范创建 :: 区食品安全委员会各成员单位/lead ⏰长期坚持",
        ],
      ],
    ]);
    expect(plan.groups[0]?.number).toBe("");
  });

  it("keeps sub-items in the body and label lines out of it", () => {
    const body = plan.groups[0]?.tasks[1]?.body ?? "";
    expect(body).toBe("对食品生产企业开展全覆盖监督检查，主要包括：\n（1）对获证企业每年至少检查2次；\n（2）对小作坊实行登记管理。");
  });

  it("reads a per-population measure unit and a quarterly report, but not routine inspections as a cadence", () => {
    expect(indicatorsOf(plan)).toEqual(["3: 食品抽检量 >= 4批次/千人", "4: 群众食品安全满意度 >= 80%"]);
    expect(plan.groups[0]?.tasks.map((t) => t.cadences.map((c) => `${c.kind} ${c.what}`))).toEqual([[], [], ["quarterly 食品安全抽检分析报告"], []]);
    expect(plan.groups[0]?.tasks[3]?.units[0]?.collective).toBe(true);
  });
});

describe("unnumbered 主要任务 heading, 1. groups and (1)/（1） tasks", () => {
  const plan = fixture("unnumbered-section");

  it("stops at the unnumbered 保障措施 heading", () => {
    expect(outline(plan)).toEqual([
      [
        "1 加大综合治理力度，减少污染物排放",
        [
          "(1) 加强工业企业大气污染综合治理 :: 市环保局/lead, 市工信委/support",
          "(2) 深化面源污染治理 :: 市住建局/lead, 市城管局/support, 市交通运输局/support",
          "(3) 强化移动源污染防治 :: 市公安局交警支队/lead, 市环保局/support, 市商务局/support",
        ],
      ],
      [
        "2 调整优化产业结构，推动产业转型升级",
        [
          "（1） 严控“两高”行业新增产能 :: 市发展改革委/lead, 市工信委/support",
          "（2） 加快淘汰落后产能 :: 市工信委/lead, 市发展改革委/support, 市环保局/support",
          "（3） 提高清洁能源使用比例 :: 市发展改革委/lead, 市住建局/support",
        ],
      ],
    ]);
  });

  it("reads 分别/均/不高于/控制在…以内/高于 targets and shares enumerated subjects", () => {
    expect(indicatorsOf(plan)).toEqual([
      "(1): 二氧化硫排放浓度 <= 35毫克每立方米",
      "(1): 氮氧化物排放浓度 <= 50毫克每立方米",
      "(2): 建筑工地扬尘治理措施落实率 = 100%",
      "(2): 城市道路机械化清扫率 >= 70%",
      "（1）: 煤炭消费总量 <= 1200万吨",
      "（2）: 淘汰落后产能企业 >= 20家",
      "（3）: 天然气、光伏等清洁能源消费占比 > 12%",
      "（3）: 城市建成区集中供热普及率 >= 90%",
      "（3）: 城市建成区集中燃气普及率 >= 95%",
    ]);
  });

  it("does not read the date in 2017年底前 as a target", () => {
    expect(plan.groups[0]?.tasks[2]?.indicators).toEqual([]);
  });
});

describe("一是/二是 tasks, on their own lines and inline", () => {
  const plan = fixture("yishi");

  it("passes over 三、主要内容 (prose only) to 四、重点任务 and splits inline 一是…二是… with their own units", () => {
    expect(outline(plan)).toEqual([
      [
        "（一） 完善全民健身设施网络",
        [
          "一是 新建社区多功能运动场5个以上 :: 区体育局/lead",
          "二是 推进学校体育场地向社会开放，开放率不低于60% :: 区教育局/lead, 区体育局/support",
          "三是 建设健身步道不少于10公里 :: 区住建局/lead, 区城管局/support",
        ],
      ],
      [
        "（二） 广泛开展全民健身活动",
        ["一是 举办全区全民健身运动会 :: 区体育局/lead +各街道办事处", "二是 每季度组织一次社区健身展示活动 ::  +各街道办事处"],
      ],
      [
        "（三） 加强健身指导服务",
        ["一是 培训社会体育指导员300名以上 :: 区体育局/lead", "二是 每年发布全区国民体质监测报告 :: 区体育局/lead, 区卫生健康局/support"],
      ],
    ]);
    expect(plan.groups[1]?.tasks.map((t) => t.line)).toEqual([22, 22]);
  });

  it("reads X以上 targets and the annual report", () => {
    expect(indicatorsOf(plan)).toEqual([
      "一是: 新建社区多功能运动场 >= 5个",
      "二是: 开放率 >= 60%",
      "三是: 建设健身步道 >= 10公里",
      "一是: 培训社会体育指导员 >= 300名",
    ]);
    expect(plan.groups[2]?.tasks[1]?.cadences).toEqual([{ kind: "annual", what: "全区国民体质监测报告", text: "每年发布全区国民体质监测报告" }]);
  });
});

describe("half-width punctuation, tasks without groups, messy unit lists", () => {
  const plan = fixture("half-width-no-groups");

  it("reads the notice header written with half-width brackets", () => {
    expect(plan.title).toBe("东港市交通安全综合治理工作方案");
    expect(plan.docNumber).toBe("东政发[2019]7号");
    expect(plan.issuer).toBe("东港市人民政府");
    expect(plan.date).toBe("2019-04-02");
  });

  it("splits on , 、 and 及 between whole names, keeps 和 inside names, trims spaces and 等", () => {
    expect(outline(plan)).toEqual([
      [
        "主要任务",
        [
          "1 开展重点车辆隐患排查 :: 市交通运输局/lead, 市公安局交警大队/support",
          "2 加强农村道路交通安全管理 :: 市公安局交警大队/lead, 市交通运输局/support +各乡镇人民政府",
          "3 完善交通安全设施 :: 市财政局/lead +各乡镇人民政府",
          "4 加强驾驶人培训管理 :: 市人力资源和社会保障局/lead, 市交通运输局/support +等",
          "5 强化交通安全宣传 :: 市文化广电旅游局/lead, 市教育局/support, 市交通运输局/support ⏰2019年10月底前",
        ],
      ],
    ]);
    expect(plan.units).toEqual(["市交通运输局", "市公安局交警大队", "市财政局", "市人力资源和社会保障局", "市文化广电旅游局", "市教育局"]);
  });

  it("leaves a bracketed period like (2016-2020年) in the text", () => {
    expect(plan.groups[0]?.tasks[4]?.body).toContain("(2016-2020年)");
    expect(indicatorsOf(plan)).toEqual([
      "1: 排查覆盖率 = 100%",
      "2: 在乡村道路设置劝导站 >= 30个",
      "3: 完成改造里程 >= 50公里",
      "4: 驾驶人培训质量考核合格率 >= 95%",
    ]);
  });
});

describe("第X部分 chapters, 一、 groups, （一） tasks ending in a bare unit list", () => {
  const plan = fixture("chapter-bare-units");

  it("takes 第二部分 重点工程 as the task section and reads trailing unit lists", () => {
    expect(outline(plan)).toEqual([
      [
        "一 城区绿化提升工程",
        ["（一） 公园绿地建设 :: 市住房和城乡建设局/lead, 市城市管理局/support", "（二） 道路绿化建设 :: 市城市管理局/lead, 市交通运输局/support"],
      ],
      [
        "二 乡村绿化美化工程",
        [
          "（一） 村庄绿化 :: 市林业和草原局/lead +各县（市、区）人民政府",
          "（二） 农田林网建设 :: 市林业和草原局/lead, 市农业农村局/support",
          "（三） 生态廊道建设 :: 市林业和草原局/lead, 市水务局/support, 市交通运输局/support",
        ],
      ],
    ]);
  });

  it("reads ①/② sub-targets with clean names", () => {
    expect(indicatorsOf(plan)).toEqual([
      "（一）: 新建、改建城市公园 >= 6处",
      "（一）: 公园绿地服务半径覆盖率 >= 80%",
      "（二）: 城区主干道绿化普及率 = 100%",
      "（二）: 林荫道路推广率 >= 70%",
      "（一）: 村庄林木绿化率 >= 30%",
      "（一）: 平原村庄 >= 25%",
      "（一）: 山区村庄 >= 35%",
      "（二）: 农田林网控制率 >= 90%",
    ]);
    expect(unexpectedWarnings(plan)).toEqual([]);
  });
});

describe("完成时限 on the same line, right after the unit annotation", () => {
  const plan = fixture("deadline-after-units");

  it("reads the deadline after a closing bracket in every label form", () => {
    expect(outline(plan)).toEqual([
      [
        "主要任务",
        [
          "1 健全服务标准体系 :: 市市场监督管理局/lead, 市政务服务中心/support ⏰2017年6月底前",
          "2 开展服务质量测评 :: 市统计局/lead, 市政务服务中心/support ⏰2017年12月底前",
          "3 推行首问负责制 :: 市政务服务中心/lead +市直各部门 ⏰2017年9月底前",
          "4 加强窗口人员培训 :: 市人力资源和社会保障局/lead, 市政务服务中心/support ⏰2017年6月底前完成",
          "5 强化监督考核 :: 市委督查室/lead ⏰长期坚持",
        ],
      ],
    ]);
  });

  it("keeps the deadline label out of the body", () => {
    const bodies = plan.groups.flatMap((g) => g.tasks.map((t) => t.body));
    expect(bodies[0]).toBe("制定窗口服务规范，统一服务流程和服务用语。");
    expect(bodies.join("\n")).not.toMatch(/时限|2017年/);
  });
});

describe("文号 after the title", () => {
  it("reads a bracketed 文号 on the line under the title", () => {
    const plan = fixture("docnumber-after-title");
    expect(plan.title).toBe("饶河县农村饮水安全巩固提升工作方案");
    expect(plan.docNumber).toBe("饶政办发〔2017〕8号");
    expect(plan.groups.flatMap((g) => g.tasks.map((t) => t.number))).toEqual(["（一）", "（二）"]);
  });

  it("reads a 文号 on its own line between the issuing office and the title", () => {
    const plan = fixture("docnumber-between-issuer-and-title");
    expect(plan.title).toBe("饶河县秸秆综合利用工作方案");
    expect(plan.docNumber).toBe("饶政办发〔2017〕9号");
    expect(plan.issuer).toBe("饶河县人民政府办公室");
  });

  it("does not take a 文号 cited in the preamble's prose", () => {
    const plan = parsePlan(
      "某县工作方案\n根据《国务院关于深化改革的意见》（国发〔2016〕30号）精神，制定本方案。\n一、主要任务\n1.加强管理。（责任单位：县发改局）\n",
    );
    expect(plan.docNumber).toBeNull();
  });
});

describe("（1）/一是 sub-items with their own units under numbered tasks", () => {
  const plan = fixture("subitems-with-units");

  it("makes each sub-item with units its own task after its parent; the parent keeps its own lead", () => {
    expect(outline(plan)).toEqual([
      [
        "主要任务",
        [
          "1 完善公共就业服务体系 :: 市人社局/lead, 市财政局/support",
          "2 加强职业技能培训 :: 市教育局/lead, 市人社局/support",
          "3 支持创业带动就业 :: 市发改局/lead, 市财政局/support",
          "3(1) 建设创业孵化基地 :: 市人社局/lead",
          "3(2) 发放创业担保贷款 :: 人民银行同江市支行/lead, 市财政局/support",
          "4 强化失业风险预警 :: 市统计局/lead",
          "4(一是) 开展企业用工监测 :: 市人社局/lead",
          "4(二是) 建立规模裁员预警机制 :: 市工信局/lead, 市总工会/support",
          "5(1) 开发公益性岗位 :: 市人社局/lead",
          "5(2) 落实社会保险补贴 :: 市财政局/lead ⏰2017年12月底前",
        ],
      ],
    ]);
    expect(unexpectedWarnings(plan)).toEqual([]);
  });

  it("keeps indicators and cadences with the task that states them", () => {
    expect(indicatorsOf(plan)).toEqual(["1: 城镇登记失业率 <= 4.5%", "2: 每年培训城乡劳动者 >= 2000人次", "3(1): 市级创业孵化基地 >= 2个"]);
    const task4 = plan.groups[0]?.tasks.find((t) => t.number === "4");
    expect(task4?.cadences.map((c) => c.kind)).toEqual(["quarterly"]);
    expect(task4?.body).toBe("建立失业动态监测制度，每季度形成失业动态监测分析报告。");
  });

  it("keeps a parent that names nobody as the sub-tasks' context, not as a task", () => {
    const task = plan.groups[0]?.tasks.find((t) => t.number === "5(1)");
    expect(task?.body).toBe("属于任务 5“做好困难群体就业援助”：帮扶就业困难人员实现就业。");
  });

  it("never takes the lead from a sub-item when the task names its units itself", () => {
    const text = [
      "某县方案",
      "一、主要任务",
      "1.完善就业服务体系。建立网络。（责任单位：县人社局）",
      "2.支持创业带动就业。落实政策。",
      "责任单位：县发改局、县财政局",
      "（1）建设创业孵化基地。",
      "（2）发放创业担保贷款。",
      "牵头单位：县人社局",
    ].join("\n");
    expect(outline(parsePlan(text))).toEqual([
      ["主要任务", ["1 完善就业服务体系 :: 县人社局/lead", "2 支持创业带动就业 :: 县发改局/lead, 县财政局/support, 县人社局/support"]],
    ]);
  });
});
