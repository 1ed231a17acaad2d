/**
 * Layouts met in real published plans that the parser had not seen: "A、B分别牵头" and a rule in
 * brackets after the list, 〔责任单位：…。remark〕, a web page's table copied one cell per line,
 * a 牵头单位 column left empty under "无牵头单位的，责任单位即为牵头单位", two leads followed by
 * placeholders. Each fixture in test/fixtures/plans is written anew in the layout, not copied.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ParsedPlan, type ParsedTask, parsePlan } from "./parse-plan.ts";
import { readMarker } from "./plan-numbering.ts";

const fixture = (name: string): ParsedPlan => parsePlan(readFileSync(new URL(`../test/fixtures/plans/${name}.txt`, import.meta.url), "utf8"));

/** "number title :: unit/role, … +placeholders ⏰deadline", per group. */
function outline(plan: ParsedPlan): Array<[string, string[]]> {
  const line = (t: ParsedTask) =>
    `${t.number} ${t.title} :: ${t.units.map((u) => `${u.name}/${u.role}`).join(", ")}${t.unitNote ? ` +${t.unitNote}` : ""}${t.deadline ? ` ⏰${t.deadline}` : ""}`;
  return plan.groups.map((g) => [`${g.number} ${g.heading}`.trim(), g.tasks.map(line)]);
}
const warningCodes = (plan: ParsedPlan) => plan.warningDetails.map((w) => `${w.code} ${w.taskNumber ?? ""}`.trim());
const indicators = (plan: ParsedPlan) => plan.groups.flatMap((g) => g.tasks.flatMap((t) => t.indicators.map((i) => `${t.number}: ${i.name} ${i.comparator} ${i.value}${i.unit ?? ""}`)));

describe("责任单位 lines with “分别牵头” and the rule in brackets after a list", () => {
  const plan = fixture("separately-lead");

  it("makes every unit before 分别牵头 a lead and keeps the rule out of the last unit's name", () => {
    expect(outline(plan)).toEqual([
      [
        "一 全市经济社会发展主要预期目标",
        [
          "1 地区生产总值增长6%以上 :: 市发改委/lead",
          "2 固定资产投资增长8%左右 :: 市发改委/lead, 市经信局/support, 市自然资源局/support, 市交通运输局/support",
          "3 城乡居民收入增速快于经济增速 :: 市人力社保局/lead, 市农业农村局/lead",
        ],
      ],
      [
        "（一） 全力稳增长促发展",
        [
          "4 实施招商引资“双百”行动，招引亿元以上制造业项目不少于60个 :: 市投资促进中心/lead, 市发改委/support, 市经信局/support +各县（市、区）政府",
          "5 城镇新增就业和节能降碳完成省定任务 :: 市人力社保局/lead, 市发改委/lead, 市统计局/support",
        ],
      ],
    ]);
  });

  it("takes “列第一位为牵头或汇总单位，下同” as the document's rule: no unit looks odd, no lead is assumed", () => {
    expect(warningCodes(plan)).toEqual([]);
    expect(plan.units).not.toContain("市农业农村局分别");
  });
});

describe("〔责任单位：…按职责分工负责。remark，下同。〕 after each item", () => {
  const plan = fixture("bracket-remark");

  it("ends the unit list at the full stop: the remark after it names no unit", () => {
    expect(outline(plan)).toEqual([
      ["一 深化流通领域改革", ["（一） 健全统一市场规则 :: 省发展改革委/lead, 省市场监管局/support, 省商务厅/support", "（二） 优化市场准入服务 :: 省市场监管局/lead"]],
      ["二 壮大物流市场主体", ["（三） 培育骨干物流企业 :: 省商务厅/lead, 省发展改革委/support, 省交通运输厅/support"]],
    ]);
    expect(plan.groups[0]?.tasks[0]?.body).toBe("全面落实市场准入负面清单制度，推进要素市场化配置改革试点。");
    // 按职责分工负责 names no lead: the first listed is assumed, and said so.
    expect(warningCodes(plan)).toEqual(["lead-assumed （一）"]);
  });

  it("reads “突破3000亿元” as a target to exceed", () => {
    expect(indicators(plan)).toEqual(["（三）: 全年物流业增加值 > 3000亿元", "（三）: 新增A级物流企业 >= 30家"]);
  });
});

describe("a web page's table copied one cell per line", () => {
  const plan = fixture("stacked-cells-table");

  it("rebuilds the rows from 序号 to 序号, with the group headings between them", () => {
    expect(plan.title).toBe("2030年民生实事项目责任分解");
    expect(outline(plan)).toEqual([
      [
        "一 教育",
        [
          "1 新建、改扩建幼儿园6所 :: 市教育局/lead, 市住房城乡建设局/support, 市财政局/support ⏰2030年9月底前",
          "2 改造提升中小学校舍 :: 市教育局/lead, 市财政局/support ⏰2030年12月底前",
        ],
      ],
      ["二 医疗卫生", ["3 建设社区卫生服务中心4个 :: 市卫生健康委/lead +各区人民政府 ⏰2030年11月底前"]],
    ]);
  });

  it("keeps a task cell of two paragraphs whole and leaves the prose after the table out", () => {
    expect(plan.groups[0]?.tasks[1]?.body).toBe("重点改造操场、食堂和宿舍。");
    expect(plan.groups.flatMap((g) => g.tasks)).toHaveLength(3);
    expect(warningCodes(plan)).toEqual([]);
  });

  it("puts a time limit in its column when an empty cell before it left no line", () => {
    const text = ["某区2030年民生实事", "序号", "项目内容", "牵头单位", "配合单位", "完成时限", "1", "新建幼儿园3所。", "区教育局", "2030年9月底前", "2", "改造中小学校舍。", "区教育局", "区财政局", "2030年12月底前"].join("\n\n");
    expect(outline(parsePlan(text))).toEqual([["", ["1 新建幼儿园3所 :: 区教育局/lead ⏰2030年9月底前", "2 改造中小学校舍 :: 区教育局/lead, 区财政局/support ⏰2030年12月底前"]]]);
  });

  it("reads only a run of cells that starts with a header it knows", () => {
    const prose = ["某县2030年工作要点", "序号", "备注", "1", "这不是任务表。", "一、推进改革", "1.深化改革。（责任单位：县发改局）"].join("\n");
    expect(outline(parsePlan(prose))).toEqual([["一 推进改革", ["1 深化改革 :: 县发改局/lead"]]]);
  });
});

describe("a 牵头单位 column left empty under “无牵头单位的，责任单位即为牵头单位”", () => {
  const plan = fixture("table-empty-lead-cell");

  it("makes every listed unit a lead where the row names no lead, and only there", () => {
    expect(outline(plan)).toEqual([
      [
        "",
        [
          "1 地区生产总值增长5.5%左右 :: 市发改委/lead",
          "2 城镇新增就业22万人以上 :: 市人社局/lead +各区人民政府",
          "3 筹建保障性租赁住房2万套 :: 市住房保障局/lead, 市发改委/support, 市自然资源规划局/support",
          "4 新增城市绿道100公里 :: 市园林局/lead, 市城管委/lead",
        ],
      ],
    ]);
    expect(warningCodes(plan)).toEqual([]);
  });

  it("without the rule, the first listed leads and the office is told", () => {
    const text = readFileSync(new URL("../test/fixtures/plans/table-empty-lead-cell.txt", import.meta.url), "utf8").replace(/（无牵头单位的，责任单位即为牵头单位，下同）/, "");
    const task = parsePlan(text).groups[0]?.tasks[3];
    expect(task?.units.map((u) => `${u.name}/${u.role}`)).toEqual(["市园林局/lead", "市城管委/support"]);
  });
});

describe("“（A、B牵头，市级各有关部门及各县市区政府按职责分工负责）” and other role sentences in brackets", () => {
  const plan = fixture("joint-lead-brackets");

  it("reads two leads, keeps the placeholders as a note, and reads 牵头负责/配合 and 会同", () => {
    expect(outline(plan)).toEqual([
      [
        "一 推动审批全链条优化",
        [
          "1 全面实施行政许可事项清单管理 :: 市政府办公室/lead, 市审改办/lead +市级各有关部门、各县市区政府",
          "2 深化相对集中行政许可权改革 :: 市行政审批服务局/lead, 市司法局/support",
        ],
      ],
      ["二 推进监管全过程公正", ["3 推行跨部门联合“双随机、一公开”监管 :: 市市场监管局/lead +市级各有关部门"]],
    ]);
    expect(warningCodes(plan)).toEqual([]);
  });
});

describe("a web page's table with “|” between cells", () => {
  it("reads one cell per line closed by “ |”, joins words the page wrapped, and keeps leaders and 全年", () => {
    const plan = fixture("pipe-cells-table");
    expect(outline(plan)).toEqual([
      [
        "",
        [
          "1 优化“项目管家”服务机制，推动重大项目早落地、早投产 :: 招商服务局/lead, 经济发展局/support ⏰全年",
          "2 推进低效工业用地再开发，力争全年盘活存量土地300亩 :: 规划建设局/lead ⏰2030年10月底前",
          "3 完善园区污水管网等基础设施配套 :: 规划建设局/lead, 生态环境分局/support ⏰2030年12月底前",
        ],
      ],
    ]);
    expect(plan.groups[0]?.tasks.map((t) => t.leader)).toEqual(["赵某", "钱某", "孙某"]);
    expect(warningCodes(plan)).toEqual(["lead-assumed 1"]);
  });

  it("reads “| 序号 | 重点工作 | … |” rows and skips the “|---|” rule under the header", () => {
    const text = [
      "2030年街道重点工作清单",
      "| 序号 | 重点工作 | 牵头单位 | 配合单位 | 完成时限 |",
      "| --- | --- | --- | --- | --- |",
      "| 1 | 完成老旧小区改造12个。 | 城建办 | 财政所 | 2030年11月底前 |",
      "| 2 | 新建口袋公园3处。 | 城建办 |  | 长期坚持 |",
    ].join("\n");
    expect(outline(parsePlan(text))).toEqual([["", ["1 完成老旧小区改造12个 :: 城建办/lead, 财政所/support ⏰2030年11月底前", "2 新建口袋公园3处 :: 城建办/lead ⏰长期坚持"]]]);
  });
});

describe("annotations in 【】, labels parted by spaces, 按职责分工落实 and 时间：", () => {
  const plan = fixture("bracket-label-forms");

  it("reads every form, with its placeholders and time limits", () => {
    expect(outline(plan)).toEqual([
      [
        "重点任务",
        [
          "1 实施城乡供水提质项目12个 :: 县水利局/lead +县直各部门 ⏰2030年12月31日前",
          "2 推进城乡供水一体化 :: 县水利局/lead, 县财政局/support +各乡镇 ⏰2030年底",
          "3 加强食品安全监管 :: 县市场监管局/lead, 县农业农村局/support, 县卫健委/support ⏰全年",
          "4 做好防汛抗旱工作 :: 县应急局/lead, 县水利局/support ⏰汛期",
        ],
      ],
    ]);
  });

  it("warns only where a lead was picked among several 责任单位: a lone 责任单位 beside its 配合单位 leads", () => {
    expect(warningCodes(plan)).toEqual(["lead-assumed 4"]);
  });

  it("counts “实施…项目12个” as a target", () => {
    expect(indicators(plan)).toEqual(["1: 实施城乡供水提质项目 >= 12个"]);
  });
});

describe("a department's own plan: 股室 as units", () => {
  it("reads 责任股室 labels, bare 股 lists and a 责任人 (a person)", () => {
    const plan = fixture("section-units");
    expect(outline(plan)).toEqual([
      [
        "重点任务",
        [
          "（一） 开展校园安全隐患排查 :: 安全股/lead, 基础教育股/support",
          "（二） 加强校车安全管理 :: 基础教育股/lead, 财务股/support",
          "（三） 落实安全教育进课堂 :: 德育股/lead ⏰每学期开学前",
        ],
      ],
    ]);
    expect(plan.groups[0]?.tasks[2]?.leader).toBe("张某");
    expect(warningCodes(plan)).toEqual(["lead-assumed （一）", "lead-assumed （二）"]);
  });

  it("reads 牵头科室 / 配合科室 table columns", () => {
    const text = ["局机关2030年重点工作任务分解表", "序号\t工作任务\t牵头科室\t配合科室\t完成时限", "1\t完成档案数字化。\t办公室\t信息科\t2030年6月底前"].join("\n");
    expect(outline(parsePlan(text))).toEqual([["", ["1 完成档案数字化 :: 办公室/lead, 信息科/support ⏰2030年6月底前"]]]);
  });
});

describe("an 整改 ledger: 存在问题 | 整改措施 | 责任领导 | 责任单位 | 整改时限", () => {
  const plan = fixture("rectification-ledger");

  it("names each row by its problem, keeps the measures as the body and 立行立改 as the time limit", () => {
    expect(outline(plan)).toEqual([
      [
        "一 项目资金管理方面",
        ["1 项目资金拨付不及时 :: 县财政局/lead ⏰立行立改、长期坚持", "2 部分村级财务管理不规范 :: 县农业农村局/lead, 县财政局/support ⏰2030年6月底前"],
      ],
      ["二 作风建设方面", ["3 督查检查过多过频 :: 县委督查室/lead, 县政府督查室/support ⏰2030年12月底前"]],
    ]);
    expect(plan.groups[0]?.tasks.map((t) => t.body)).toEqual(["建立资金拨付台账，按月调度拨付进度。", "开展村级财务专项检查。规范村级报账流程。"]);
    expect(plan.groups.flatMap((g) => g.tasks.map((t) => t.leader))).toEqual(["张某", "李某", "王某"]);
    expect(warningCodes(plan)).toEqual(["lead-assumed 2"]);
  });
});

describe("outline numbers 1 / 1.1 / 1.2, “——责任单位：” and a rule “排在首位的单位牵头”", () => {
  const plan = fixture("decimal-outline");

  it("reads 1.1 items under “1 heading” groups, cuts the dash with the label, and knows the rule", () => {
    expect(outline(plan)).toEqual([
      ["1 夯实数字基础设施", ["1.1 推进政务云扩容 :: 市大数据局/lead, 市财政局/support", "1.2 建设城市运行管理中心 :: 市城运中心/lead, 市大数据局/support ⏰2030年9月底前"]],
      ["2 提升政务服务效能", ["2.1 推行高频事项“免证办” :: 市政务服务中心/lead, 市大数据局/support", "2.2 压缩企业开办时间 :: 市市场监管局/lead"]],
    ]);
    expect(plan.groups[0]?.tasks[0]?.body).toBe("政务云资源使用率达到80%以上。");
    expect(warningCodes(plan)).toEqual([]);
  });

  it("keeps a wrapped line that starts with a number (“1 个工作日内办结。”) in its task", () => {
    expect(plan.groups[1]?.tasks[1]?.body).toBe("企业开办全程网办，时限压缩至\n1 个工作日内办结。");
  });

  it("never reads a quantity at the start of a line as an outline number", () => {
    expect(readMarker("1.5万亩高标准农田全部建成。")?.kind).not.toBe("decimal");
    expect(readMarker("2.5%的增幅")?.kind).not.toBe("decimal");
    expect(readMarker("3.2 完善考核机制。")).toMatchObject({ kind: "decimal", number: "3.2", ordinal: 2 });
  });
});

describe("a table header over two rows: 责任单位 merged over 牵头单位 | 配合单位", () => {
  it("takes the columns from the second row and never reads it as a task", () => {
    const plan = fixture("two-row-header");
    expect(outline(plan)).toEqual([
      [
        "一 城市更新",
        [
          "1 完成老旧小区改造30个 :: 区住建局/lead, 区财政局/support, 区城管局/support +各街道 ⏰2030年11月底前",
          "2 新建公共停车泊位2000个 :: 区城管局/lead, 区交警大队/support ⏰2030年12月底前",
        ],
      ],
    ]);
    expect(plan.groups[0]?.tasks.map((t) => t.leader)).toEqual(["刘某", "陈某"]);
    expect(warningCodes(plan)).toEqual([]);
  });
});

describe("a notice sending two attachment tables (附件1 分解表, 附件2 实事项目)", () => {
  const plan = fixture("several-attachments");

  it("takes the title the notice gives the whole, and makes each table a group named by its own title", () => {
    expect(plan.title).toBe("2030年重点工作任务分解和民生实事项目");
    expect(plan.issuer).toBe("南岭市人民政府办公室");
    expect(outline(plan)).toEqual([
      [
        "2030年重点工作任务分解表",
        ["1 地区生产总值增长6% :: 市发改委/lead, 市统计局/support ⏰2030年12月底前", "2 固定资产投资增长8% :: 市发改委/lead +各县（市、区）人民政府 ⏰2030年12月底前"],
      ],
      ["2030年民生实事项目责任分解表", ["1 新建幼儿园5所 :: 市教育局/lead ⏰2030年9月底前", "2 改造农村公路100公里 :: 市交通运输局/lead ⏰2030年11月底前"]],
    ]);
    // Numbering restarts in each table: not a duplicate.
    expect(warningCodes(plan)).toEqual([]);
  });
});

describe("targets written in 2030年重点工作任务 lists", () => {
  it("reads “达到5家左右” as about 5, “3家以上” as at least 3, “突破30项” as more than 30", () => {
    const text = [
      "某市2030年重点工作任务",
      "一、深入实施创新驱动发展战略",
      "1.加强创新平台建设。新型研发机构总量达到5家左右，新增省级创新平台3家以上。（责任单位：市委组织部、市科技局）",
      "2.推进关键核心技术攻关。全年争取科技项目突破30项。（责任单位：市科技局）",
    ].join("\n");
    expect(indicators(parsePlan(text))).toEqual(["1: 新型研发机构总量 = 5家", "1: 新增省级创新平台 >= 3家", "2: 全年争取科技项目 > 30项"]);
  });
});
