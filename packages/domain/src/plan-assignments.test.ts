import { describe, expect, it } from "vitest";
import { scanAssignments } from "./plan-assignments.ts";

const units = (text: string) => scanAssignments(text).units.map((u) => `${u.name}/${u.role}`);

describe("scanAssignments", () => {
  it("reads leaders, 会同 and the new label names, and blanks a document rule on roles", () => {
    const scan = scanAssignments("开展工作。\n牵头负责领导:张三。\n牵头责任单位:市发改委。\n协同责任单位:市财政局、市统计局等。");
    expect(scan.leaders).toEqual(["张三"]);
    expect(units("开展工作。\n牵头负责领导:张三。\n牵头责任单位:市发改委。\n协同责任单位:市财政局、市统计局等。")).toEqual([
      "市发改委/lead",
      "市财政局/support",
      "市统计局/support",
      "等/support",
    ]);
    expect(units("（甲部会同有关部门负责）")).toEqual(["甲部/lead", "有关部门/support"]);
    expect(units("（甲部、乙委负责。列第一位者为牵头单位，下同）")).toEqual(["甲部/generic", "乙委/generic"]);
    expect(units("部门分工:省商务厅牵头,各地、各部门配合。")).toEqual(["省商务厅/lead", "各地/support", "各部门/support"]);
  });

  it("reads 责任单位 in full- and half-width brackets, with stray spaces", () => {
    expect(units("开展工作。（责任单位：市财政局、市教育局）")).toEqual(["市财政局/generic", "市教育局/generic"]);
    expect(units("开展工作。(责任单位:市财政局,市教育局)")).toEqual(["市财政局/generic", "市教育局/generic"]);
    expect(units("开展工作。(责任单位 :环保局、工信局)")).toEqual(["环保局/generic", "工信局/generic"]);
    expect(units("开展工作。（责任单位:市财政局）")).toEqual(["市财政局/generic"]);
    expect(units("开展工作。【责任单位：市财政局】")).toEqual(["市财政局/generic"]);
  });

  it("reads 牵头单位/配合单位 in one bracket, separated by ； or ,", () => {
    expect(units("（牵头单位：市发改委；配合单位：市财政局、市统计局）")).toEqual(["市发改委/lead", "市财政局/support", "市统计局/support"]);
    expect(units("(牵头单位:市发改委,配合单位:市财政局)")).toEqual(["市发改委/lead", "市财政局/support"]);
  });

  it("reads roles written as verbs", () => {
    expect(units("（市发改委牵头，市财政局参与）")).toEqual(["市发改委/lead", "市财政局/support"]);
    expect(units("（市发改委牵头，市财政局、市统计局配合）")).toEqual(["市发改委/lead", "市财政局/support", "市统计局/support"]);
    expect(units("（市水务局、市卫健局负责）")).toEqual(["市水务局/generic", "市卫健局/generic"]);
  });

  it("reads label lines after the task, and labels inline in a sentence", () => {
    expect(units("开展工作。\n责任单位：市财政局、市教育局\n完成时限：2017年6月底前")).toEqual(["市财政局/generic", "市教育局/generic"]);
    expect(units("开展工作。\n牵头单位：市财政局\n配合单位：市教育局")).toEqual(["市财政局/lead", "市教育局/support"]);
    const scan = scanAssignments("开展专项整治，责任单位：市公安局，完成时限：2017年6月底前。");
    expect(scan.units).toEqual([{ name: "市公安局", role: "generic", first: true }]);
    expect(scan.deadlines).toEqual(["2017年6月底前"]);
    expect(scan.remainder).toBe("开展专项整治。");
  });

  it("reads deadlines from labels and from a closing time limit", () => {
    expect(scanAssignments("（责任单位：市财政局；完成时限：2017年6月底前）").deadlines).toEqual(["2017年6月底前"]);
    expect(scanAssignments("开展工作。\n时间节点：2017年9月30日前").deadlines).toEqual(["2017年9月30日前"]);
    expect(scanAssignments("开展工作。\n完成时间：长期坚持").deadlines).toEqual(["长期坚持"]);
    expect(scanAssignments("（各乡镇人民政府负责，2018年底前完成）").deadlines).toEqual(["2018年底前完成"]);
    expect(scanAssignments("开展工作（2018年底前完成）。（责任单位：市财政局）").deadlines).toEqual(["2018年底前完成"]);
  });

  it("leaves ordinary brackets and prose alone", () => {
    const scan = scanAssignments("水质(扣除地质因素影响)达标率达到100%，各责任单位要按《规划(2016-2020年)》落实。（责任单位：环保局）");
    expect(scan.units).toEqual([{ name: "环保局", role: "generic", first: true }]);
    expect(scan.remainder).toBe("水质(扣除地质因素影响)达标率达到100%，各责任单位要按《规划(2016-2020年)》落实。");
    expect(units("推进改革（含各县区）。")).toEqual([]);
    expect(units("推进改革（以下简称“市改革办”）。")).toEqual([]);
  });

  it("reads a bare unit list only when it closes the text", () => {
    expect(units("新建公园6处。（市住建局、市城管局）")).toEqual(["市住建局/generic", "市城管局/generic"]);
    expect(units("会同（市住建局、市城管局）开展工作。")).toEqual([]);
  });

  it("reports an unterminated label bracket and an empty label", () => {
    expect(scanAssignments("开展工作。（责任单位：市财政局、市教育局").unterminatedAt).toBe(5);
    expect(scanAssignments("开展工作（详见附件").unterminatedAt).toBeNull();
    expect(scanAssignments("开展工作。（责任单位：）").emptyLabelAt).toBe(6);
  });

  it("reads a bracket that spans a wrapped line", () => {
    expect(units("开展工作。（责任单位：市财政局、\n市教育局）")).toEqual(["市财政局/generic", "市教育局/generic"]);
  });
});
