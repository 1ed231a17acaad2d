/**
 * The parser on 任务分工方案 / 任务分解 layouts the dev set has few of: units and time limits in
 * every label form, on the lines after the task, spaces between units, table rows aligned with
 * spaces, 第一条 numbering, (1)/① items with the roles on a line of their own. Each fixture in
 * test/fixtures/plans is written the way such documents are; the tests pin down every task.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ParsedPlan, type ParsedTask, parsePlan } from "./parse-plan.ts";

const fixture = (name: string): ParsedPlan => parsePlan(readFileSync(new URL(`../test/fixtures/plans/${name}.txt`, import.meta.url), "utf8"));

/** "number title :: unit/role, … +placeholders ⏰deadline" — one line per task, per group. */
function outline(plan: ParsedPlan): Array<[string, string[]]> {
  const line = (t: ParsedTask) =>
    `${t.number} ${t.title} :: ${t.units.map((u) => `${u.name}/${u.role}`).join(", ")}${t.unitNote ? ` +${t.unitNote}` : ""}${t.deadline ? ` ⏰${t.deadline}` : ""}`;
  return plan.groups.map((g) => [`${g.number} ${g.heading}`.trim(), g.tasks.map(line)]);
}
const warningCodes = (plan: ParsedPlan) => plan.warningDetails.map((w) => `${w.code} ${w.taskNumber ?? ""}`.trim());

describe("分工方案 with every label form on the lines after the task", () => {
  const plan = fixture("division-label-forms");

  it("reads the plan's own title under the covering notice", () => {
    expect(plan.title).toBe("青山市2026年优化营商环境重点工作任务分工方案");
    expect(plan.docNumber).toBe("青政办〔2026〕8号");
  });

  it("reads 牵头/配合 labels, X（牵头）in a 责任单位 list, 部门 labels, spaces between units and every time-limit form", () => {
    expect(outline(plan)).toEqual([
      [
        "（一） 提升政务服务效能",
        [
          "1 深化“一件事一次办”改革 :: 市政务服务数据管理局/lead, 市公安局/support, 市人力资源社会保障局/support, 市卫生健康委/support ⏰2026年12月底前",
          "2 推行告知承诺制 :: 市司法局/lead, 市市场监管局/support, 市商务局/support ⏰2026年6月底前",
          "3 优化不动产登记服务 :: 市自然资源和规划局/lead, 市住房城乡建设局/support, 市税务局/support ⏰长期坚持",
        ],
      ],
      [
        "（二） 强化要素保障",
        [
          "4 降低企业用能成本 :: 市发展改革委/lead, 国网青山供电公司/support, 市工业和信息化局/support ⏰2026年底前完成",
          "5 加大信贷支持力度 :: 人民银行青山市分行/lead, 市金融工作局/support, 市财政局/support ⏰持续推进",
          "6 保障重点项目用地 :: 市自然资源和规划局/lead, 市发展改革委/support +各县（市、区）人民政府",
          "7 落实惠企政策 ::  +各相关部门",
        ],
      ],
    ]);
  });

  it("keeps the task's second paragraph in its body and the labels out of it", () => {
    const first = plan.groups[0]?.tasks[0];
    expect(first?.body).toBe("年内新增“一件事”集成服务事项10项以上，实现线上线下同标准办理。");
    expect(first?.indicators.map((i) => `${i.name} ${i.comparator} ${i.value}${i.unit ?? ""}`)).toEqual(["年内新增“一件事”集成服务事项 >= 10项"]);
  });

  it("warns only where the lead is a guess or nobody is named (按职责分工负责 names nobody)", () => {
    expect(warningCodes(plan)).toEqual(["lead-assumed 5", "no-units 7"]);
  });
});

describe("a department's 任务分解 copied from a web page", () => {
  const plan = fixture("bullet-title");

  it("takes the 任务分解 line as the title, not a menu bullet", () => {
    expect(plan.title).toBe("县市场监管局2026年民生实事任务分解");
    expect(plan.date).toBe("2026-03-02");
  });

  it("reads 1、 items with 牵头责任单位 / 主要协作单位 lines (two leads in one label)", () => {
    expect(outline(plan)).toEqual([
      [
        "",
        [
          "1 开展食品安全“你点我检”活动100批次以上 :: 县市场监管局/lead, 县教育局/support, 县商务局/support",
          "2 新建智慧农贸市场3个 :: 县市场监管局/lead, 县商务局/lead +各乡镇人民政府",
        ],
      ],
    ]);
  });
});

describe("(1) tasks with ① sub-items, half-width punctuation and roles on a line of their own", () => {
  const plan = fixture("paren-circled");

  it("reads a role sentence on the next line, ① sub-items with their own units as sub-tasks, and skips 工作要求", () => {
    expect(outline(plan)).toEqual([
      [
        "(一) 打好蓝天保卫战",
        [
          "(1) 推进工业企业深度治理 :: 区生态环境分局/lead, 区工业和信息化局/support, 区发展改革局/support",
          "(2) 加强扬尘污染管控 :: 区住房城乡建设局/lead, 区城市管理局/support, 区交通运输局/support ⏰2026年6月底前完成",
        ],
      ],
      [
        "(二) 打好碧水保卫战",
        [
          "(3)① 完成排污口排查溯源 :: 区生态环境分局/lead, 区水利局/support",
          "(3)② 建立排污口动态管理台账 :: 区生态环境分局/lead",
          "(4) 保障饮用水水源安全，每季度开展一次水质监测 :: 区水利局/lead, 区卫生健康局/support ⏰长期坚持",
        ],
      ],
    ]);
  });

  it("cuts the role sentence out of the task's body", () => {
    const task = plan.groups[0]?.tasks[1];
    expect(task?.body).toBe("");
    expect(warningCodes(plan)).toEqual(["lead-assumed (3)①"]);
  });
});

describe("若干措施 written as 第一条…第五条 articles", () => {
  const plan = fixture("article-numbering");

  it("reads each article as a task with its labelled or 按职责分工负责 units, and not the closing 施行 article", () => {
    expect(outline(plan)).toEqual([
      [
        "",
        [
          "第一条 降低市场准入门槛 :: 市发展改革委/lead, 市市场监管局/support",
          "第二条 加大财政支持力度 :: 市财政局/lead, 市工业和信息化局/support ⏰每年",
          "第三条 强化融资服务 :: 市金融工作局/lead, 人民银行东岭市分行/support, 国家金融监督管理总局东岭监管分局/support",
          "第四条 保护民营企业产权 :: 市中级人民法院/lead, 市人民检察院/support, 市公安局/support",
        ],
      ],
    ]);
    expect(plan.groups[0]?.tasks[2]?.body).toBe("建立民营企业融资需求清单，组织银企对接活动每季度不少于1次。");
  });
});

describe("a role sentence is read only where it is nothing but roles", () => {
  it("leaves prose that names nobody, or a role word inside a longer sentence, in the body", () => {
    const plan = parsePlan(
      ["重点任务", "1.加强统筹协调。市发展改革委负责统筹协调，各地要按职责分工负责。", "2.强化资金保障。由市财政局牵头，市发展改革委配合。"].join("\n"),
    );
    expect(outline(plan)).toEqual([["重点任务", ["1 加强统筹协调 :: ", "2 强化资金保障 :: 市财政局/lead, 市发展改革委/support"]]]);
    expect(plan.groups[0]?.tasks[0]?.body).toBe("市发展改革委负责统筹协调，各地要按职责分工负责。");
  });
});

describe("任务分解表 whose columns are aligned with spaces (text taken from a PDF or typed)", () => {
  it("reads 一、 group rows and task rows by the header's columns", () => {
    const plan = fixture("multispace-table");
    expect(plan.title).toBe("白河县2026年重点工作任务分解表");
    expect(outline(plan)).toEqual([
      [
        "一 扩大有效投资",
        [
          "1 实施重点项目120个以上，完成投资80亿元以上 :: 县发展改革委/lead, 县财政局/support, 县自然资源局/support ⏰2026年12月底前",
          "2 新开工保障性租赁住房500套 :: 县住房城乡建设局/lead, 县财政局/support ⏰2026年10月底前",
        ],
      ],
      [
        "二 推进乡村振兴",
        [
          "3 粮食播种面积稳定在45万亩以上 :: 县农业农村局/lead +各乡镇人民政府 ⏰长期坚持",
          "4 新建高标准农田3万亩 :: 县农业农村局/lead, 县财政局/support, 县水利局/support ⏰2026年11月底前",
        ],
      ],
    ]);
  });

  it("joins cells wrapped over several lines (a unit name cut in two included) and stops at the prose after the table", () => {
    const plan = fixture("pdf-layout-table");
    expect(outline(plan)).toEqual([
      [
        "",
        [
          "1 新增城镇就业岗位3.5万个以上，城镇登记失业率控制在3.5%以内 :: 市人力资源社会保障局/lead, 市发展改革委/support, 市财政局/support ⏰2026年12月底前",
          "2 改造城镇老旧小区60个 :: 市住房城乡建设局/lead +各县（市、区）人民政府 ⏰2026年11月底前",
          "3 新建普惠性托育机构8所 :: 市卫生健康委/lead, 市教育局/support ⏰长期坚持",
        ],
      ],
    ]);
    expect(plan.groups[0]?.tasks.map((t) => t.line)).toEqual([6, 10, 12]);
    expect(plan.groups[0]?.tasks[0]?.indicators.map((i) => `${i.name} ${i.comparator} ${i.value}${i.unit ?? ""}`)).toEqual([
      "新增城镇就业岗位 >= 3.5万个",
      "城镇登记失业率 <= 3.5%",
    ]);
  });

  it("leaves a paragraph with double spaces that is not under a task-table header as text", () => {
    const plan = parsePlan(["重点任务", "1.推进项目建设  加快进度  确保质量。（市发展改革委负责）"].join("\n"));
    expect(outline(plan)).toEqual([["重点任务", ["1 推进项目建设  加快进度  确保质量 :: 市发展改革委/lead"]]]);
  });
});

describe("任务清单 with units split by ；/， and lists broken over lines", () => {
  const plan = fixture("list-mixed-separators");

  it("reads a bracket that breaks after 、, units separated by ；, 按职责分工负责 as support, and two time points", () => {
    expect(outline(plan)).toEqual([
      [
        "重点任务",
        [
          "1 加快推进城乡供水一体化，新建改造供水管网120公里以上，农村自来水普及率达到95%以上 :: 县水利局/lead, 县发展改革委/support, 县财政局/support, 县住房城乡建设局/support ⏰2026年10月底前",
          "2 深入推进农村人居环境整治 :: 县农业农村局/lead, 县卫生健康局/support +各乡镇人民政府",
          "3 持续优化营商环境，推进“高效办成一件事” :: 县数据资源局/lead, 县市场监管局/support, 县公安局/support ⏰长期坚持",
          "4 推进老旧小区改造 :: 县住房城乡建设局/lead, 县财政局/support +各乡镇人民政府 ⏰2026年6月底前开工，2026年12月底前完工",
        ],
      ],
    ]);
  });

  it("does not take 保障措施, whose items name nobody, as tasks", () => {
    expect(plan.groups.map((g) => g.heading)).toEqual(["重点任务"]);
    expect(warningCodes(plan)).toEqual(["lead-assumed 2", "lead-assumed 4"]);
  });
});

describe("a table whose unit column states the lead rule in its header", () => {
  const plan = fixture("table-lead-rule-header");

  it("reads the column as one list whose first unit leads, backed by the rule (no lead assumed)", () => {
    expect(outline(plan)).toEqual([
      [
        "",
        [
          "1 新建社区养老服务站10个 :: 区民政局/lead, 区财政局/support +各街道办事处 ⏰2026年12月底前",
          "2 改造提升农贸市场5个 :: 区商务局/lead, 区市场监管局/support ⏰2026年9月底前",
        ],
      ],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it("still reads separate 牵头单位 / 配合单位 columns by their roles", () => {
    const table = parsePlan(["序号\t工作任务\t牵头单位\t配合单位", "1\t建设智慧停车场\t区城管局、区交通局\t区财政局"].join("\n"));
    expect(outline(table)).toEqual([["", ["1 建设智慧停车场 :: 区城管局/lead, 区交通局/lead, 区财政局/support"]]]);
  });
});

describe("a document title printed over two lines", () => {
  it("joins the 关于 line above the title's end, for a plan title and for a 通知 read from the first lines", () => {
    const body = ["各县（市、区）人民政府：", "一、重点任务", "（一）建设农产品冷链物流设施。（县商务局牵头，县农业农村局配合）"];
    expect(parsePlan(["北川县人民政府关于加快发展", "农村寄递物流的实施意见", "北政发〔2026〕3号", ...body].join("\n")).title).toBe("北川县人民政府关于加快发展农村寄递物流的实施意见");
    expect(parsePlan(["北川县人民政府办公室关于对真抓实干成效明显乡镇", "进一步加大激励支持力度的通知", ...body].join("\n")).title).toBe(
      "北川县人民政府办公室关于对真抓实干成效明显乡镇进一步加大激励支持力度的通知",
    );
  });

  it("does not join a line above that is a sentence or a title of its own", () => {
    const plan = parsePlan(["根据省政府关于营商环境的部署，制定本方案。", "北川县优化营商环境实施方案", "一、重点任务", "（一）压减开办时间。（县市场监管局负责）"].join("\n"));
    expect(plan.title).toBe("北川县优化营商环境实施方案");
  });

  const body = ["一、重点任务", "（一）压减开办时间。（县市场监管局牵头，县税务局配合）"];

  it("joins the upper lines of a plan title broken without 关于, and a year range or （试行） printed under it", () => {
    expect(parsePlan(["北川县推进质量强县", "建设实施方案", ...body].join("\n")).title).toBe("北川县推进质量强县建设实施方案");
    expect(parsePlan(["北川县优化营商环境", "三年行动计划", "（2026—2028年）", ...body].join("\n")).title).toBe("北川县优化营商环境三年行动计划（2026—2028年）");
    const trial = parsePlan(["北川县重点工作督查办法", "（试行）", ...body].join("\n"));
    expect(trial.title).toBe("北川县重点工作督查办法（试行）");
    expect(trial.groups[0]?.tasks.map((t) => t.title)).toEqual(["压减开办时间"]);
  });

  it("keeps the issuer, the 文号, a date, a bracketed remark and a blank line out of the title", () => {
    for (const above of ["北川县人民政府办公室", "北川县人民政府办公室文件", "北政办发〔2026〕3号", "2026年3月1日", "（此件公开发布）", "附件"]) {
      expect(parsePlan([above, "北川县优化营商环境实施方案", ...body].join("\n")).title, above).toBe("北川县优化营商环境实施方案");
    }
    expect(parsePlan(["北川县推进", "", "北川县优化营商环境实施方案", ...body].join("\n")).title).toBe("北川县优化营商环境实施方案");
  });

  it("reads a covering notice broken over two lines, and starts the plan at its own title", () => {
    const plan = parsePlan(
      [
        "北川县人民政府办公室关于印发",
        "北川县优化营商环境实施方案的通知",
        "各乡镇人民政府，县政府各部门：",
        "现将《北川县优化营商环境实施方案》印发给你们，请认真贯彻执行。",
        "北川县人民政府办公室",
        "2026年3月1日",
        "北川县优化营商环境",
        "实施方案",
        ...body,
      ].join("\n"),
    );
    expect(plan.title).toBe("北川县优化营商环境实施方案");
    expect(plan.issuer).toBe("北川县人民政府办公室");
    expect(plan.groups.flatMap((g) => g.tasks.map((t) => t.title))).toEqual(["压减开办时间"]);
  });
});

describe("1）-numbered tasks with their roles in a bracket on the next line", () => {
  const plan = fixture("close-paren-numbering");

  it("reads 1） as task numbering and the bracket below each task as its units; 工作要求 is not a task", () => {
    expect(outline(plan)).toEqual([
      [
        "一 整治任务",
        [
          "1 开展燃气安全隐患排查，实现餐饮场所全覆盖 :: 镇应急管理办/lead, 镇市场监管所/support, 镇派出所/support",
          "2 整治电动自行车违规充电 :: 镇派出所/lead +各村（社区） ⏰2026年5月底前",
          "3 加强道路交通安全管理，查处酒驾醉驾等违法行为 :: 镇派出所/lead, 镇交管站/support",
        ],
      ],
    ]);
    expect(warningCodes(plan)).toEqual(["lead-assumed 3"]);
  });
});

describe("主要责任单位 / 其他责任单位 and a 县级领导 line", () => {
  it("reads 主要 as the lead and 其他 as support, in label lines and in table columns; the leader is no unit", () => {
    const lines = parsePlan(
      ["一、经济发展", "1.规模工业增加值增长8%。", "县级领导：张三", "主要责任单位：县工信局", "其他责任单位：县发改局、县统计局"].join("\n"),
    );
    expect(outline(lines)).toEqual([["一 经济发展", ["1 规模工业增加值增长8% :: 县工信局/lead, 县发改局/support, 县统计局/support"]]]);
    const table = parsePlan(["序号\t重点任务\t县级领导\t主要责任单位\t其他责任单位", "1\t新建5G基站300个\t张三\t县工信局\t县住建局、县电信公司"].join("\n"));
    expect(outline(table)).toEqual([["", ["1 新建5G基站300个 :: 县工信局/lead, 县住建局/support, 县电信公司/support"]]]);
  });
});

describe("a notice whose plan title has blank lines between its parts", () => {
  it("finds the plan's own title printed over two paragraphs and starts the tasks after it", () => {
    const plan = parsePlan(
      [
        "北川县人民政府关于印发 《北川县2026年重点工作任务分解 和责任分工方案》的通知",
        "",
        "各乡镇人民政府，县直各部门：",
        "",
        "现将《北川县2026年重点工作任务分解和责任分工方案》印发给你们，请认真贯彻落实。",
        "",
        "北川县人民政府",
        "",
        "2026年3月2日",
        "",
        "北川县2026年重点工作",
        "",
        "任务分解和责任分工方案",
        "",
        "一、主要预期目标",
        "",
        "1.地区生产总值增长6%左右。",
        "",
        "牵头单位：县发改局",
        "",
        "责任单位：县统计局",
      ].join("\n"),
    );
    expect(plan.title).toBe("北川县2026年重点工作任务分解和责任分工方案");
    expect(plan.issuer).toBe("北川县人民政府");
    expect(outline(plan)).toEqual([["一 主要预期目标", ["1 地区生产总值增长6%左右 :: 县发改局/lead, 县统计局/support"]]]);
  });
});

describe("a joint notice without 关于, the plan title over three lines", () => {
  it("reads the announced title, finds its three lines and starts the tasks after them", () => {
    const plan = parsePlan(
      [
        "中共北川县委办公室 北川县人民政府办公室印发《北川县全力打响“北川服务”品牌加快建设“生态北川”三年行动计划(2026—2028年)》的通知",
        "北川县全力打响“北川服务”品牌",
        "加快建设“生态北川”三年行动计划",
        "(2026—2028年)",
        "为贯彻落实部署，特制定本行动计划。",
        "一、主要任务",
        "(一)优化政务服务。推行一网通办。(县政务服务中心牵头，县财政局配合)",
      ].join("\n"),
    );
    expect(plan.title).toBe("北川县全力打响“北川服务”品牌加快建设“生态北川”三年行动计划(2026—2028年)");
    expect(plan.groups.flatMap((g) => g.tasks.map((t) => `${t.number} ${t.title}`))).toEqual(["(一) 优化政务服务"]);
  });
});
