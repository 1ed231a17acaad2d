/** Structure decisions of the parser on small synthetic documents. */
import { describe, expect, it } from "vitest";
import { parsePlan } from "./parse-plan.ts";

const shape = (text: string) =>
  parsePlan(text).groups.map((g) => ({
    group: `${g.number}|${g.heading}`,
    tasks: g.tasks.map((t) => `${t.number} ${t.title} :: ${t.units.map((u) => `${u.name}/${u.role}`).join(", ")}`),
  }));

describe("task structure", () => {
  it("puts numbered tasks of a document without sections or groups in one group with an empty heading", () => {
    const text = ["某局2018年工作要点", "1.抓好安全生产。（责任单位：市应急管理局）", "2.抓好环境保护。（责任单位：市生态环境局）"].join("\n");
    expect(shape(text)).toEqual([{ group: "|", tasks: ["1 抓好安全生产 :: 市应急管理局/lead", "2 抓好环境保护 :: 市生态环境局/lead"] }]);
  });

  it("lets a task without units of its own fall under units written on its group heading", () => {
    const text = [
      "某市实施方案",
      "三、重点任务",
      "（一）加强统筹协调。（牵头单位：市发改委）",
      "1.建立联席会议制度。",
      "2.建立工作台账。（责任单位：市统计局、市发改委）",
      "四、保障措施",
      "（一）加强组织领导。（责任单位：市政府办）",
    ].join("\n");
    expect(shape(text)).toEqual([
      { group: "（一）|加强统筹协调", tasks: ["1 建立联席会议制度 :: 市发改委/lead", "2 建立工作台账 :: 市统计局/lead, 市发改委/support"] },
    ]);
  });

  it("ends the task section at the next heading of the same rank, even if it assigns units", () => {
    const text = [
      "某市实施方案",
      "二、主要任务",
      "1.推进改革。（责任单位：市改革办）",
      "三、保障措施",
      "1.加强领导。（责任单位：市政府办）",
    ].join("\n");
    expect(shape(text)).toEqual([{ group: "|主要任务", tasks: ["1 推进改革 :: 市改革办/lead"] }]);
  });

  it("joins a paragraph wrapped over several lines, and reads the unit line after it", () => {
    const text = [
      "某市实施方案",
      "三、工作任务",
      "1.完善监管体系。建立健全食品安全",
      "风险监测体系，提升监管能力。",
      "责任单位：市市场监管局、",
      "市卫生健康委",
    ].join("\n");
    const plan = parsePlan(text);
    const task = plan.groups[0]?.tasks[0];
    expect(task?.body).toBe("建立健全食品安全\n风险监测体系，提升监管能力。");
    expect(task?.units.map((u) => u.name)).toEqual(["市市场监管局", "市卫生健康委"]);
    expect(task?.line).toBe(3);
  });

  it("keeps an inline 一是…二是… as prose when its parts do not assign units each", () => {
    const text = ["某市实施方案", "三、主要任务", "1.优化服务。一是简化流程；二是压缩时限。（责任单位：市政务服务局）"].join("\n");
    expect(shape(text)).toEqual([{ group: "|主要任务", tasks: ["1 优化服务 :: 市政务服务局/lead"] }]);
    expect(parsePlan(text).groups[0]?.tasks[0]?.body).toBe("一是简化流程；二是压缩时限。");
  });

  it("does not warn about numbers that restart in every group", () => {
    const text = [
      "某市实施方案",
      "二、重点任务",
      "（一）甲。",
      "1.任务甲一。（责任单位：市财政局）",
      "2.任务甲二。（责任单位：市财政局）",
      "（二）乙。",
      "1.任务乙一。（责任单位：市教育局）",
    ].join("\n");
    const plan = parsePlan(text);
    expect(plan.groups.map((g) => g.tasks.map((t) => t.number))).toEqual([["1", "2"], ["1"]]);
    expect(plan.warnings).toEqual([]);
    expect(plan.units).toEqual(["市财政局", "市教育局"]);
  });

  it("reads 责任单位：X（牵头）、Y and a deadline written inline", () => {
    const text = ["某市实施方案", "三、主要任务", "1.推进数据共享。完成时限：2017年6月底前。（责任单位：市大数据局（牵头）、市公安局）"].join("\n");
    const task = parsePlan(text).groups[0]?.tasks[0];
    expect(task?.units.map((u) => `${u.name}/${u.role}`)).toEqual(["市大数据局/lead", "市公安局/support"]);
    expect(task?.deadline).toBe("2017年6月底前");
    expect(task?.body).toBe("");
  });
});
