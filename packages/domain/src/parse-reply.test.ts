import { describe, expect, it } from "vitest";
import { matchIndicator, parseReply, type ReplyIndicator } from "./parse-reply.ts";

// Task 8 of the Tongjiang plan: 计量检测项目不少于15项; 国家重点管理计量器具受检率达到95%以上.
const task8: ReplyIndicator[] = [
  { id: 81, name: "全市计量检测项目", measureUnit: "项" },
  { id: 82, name: "国家重点管理计量器具受检率", measureUnit: "%" },
];
const similar: ReplyIndicator[] = [
  { id: 1, name: "产品质量监督抽查合格率", measureUnit: "%" },
  { id: 2, name: "食品抽检合格率", measureUnit: "%" },
];
const none: ReplyIndicator[] = [];

describe("parseReply: progress and statuses", () => {
  it("完成80% → progress 80, in progress", () => {
    expect(parseReply("完成80%", { indicators: none })).toEqual({ kind: "report", status: "in_progress", progress: 80, values: [], note: null });
  });

  it("full-width digits and percent sign", () => {
    expect(parseReply("进度６０％", { indicators: none })).toMatchObject({ kind: "report", progress: 60, status: "in_progress" });
  });

  it("已完成，报告已上报 → done with the rest as note", () => {
    expect(parseReply("已完成，报告已上报", { indicators: none })).toEqual({ kind: "report", status: "done", progress: null, values: [], note: "报告已上报" });
  });

  it("推进中 and 有困难 with an explanation", () => {
    expect(parseReply("推进中", { indicators: none })).toMatchObject({ kind: "report", status: "in_progress", note: null });
    expect(parseReply("有困难，缺少检测设备，需财政局协调资金", { indicators: none })).toMatchObject({
      kind: "report",
      status: "blocked",
      note: "缺少检测设备，需财政局协调资金",
    });
  });

  it("推进中 but 有困难 is blocked", () => {
    expect(parseReply("正在推进，但遇到困难", { indicators: none })).toMatchObject({ kind: "report", status: "blocked" });
  });

  it("未开始 and negated completion", () => {
    expect(parseReply("尚未开始", { indicators: none })).toMatchObject({ kind: "report", status: "not_started" });
    const r = parseReply("还未完成，正在整理材料", { indicators: none });
    expect(r.kind).toBe("unclear");
    if (r.kind === "unclear") expect(r.question).toBe("what-status");
  });

  it("a future completion is not a completion", () => {
    expect(parseReply("预计6月底前完成", { indicators: none })).toMatchObject({ kind: "unclear", question: "what-status" });
  });

  it("基本完成 is still in progress", () => {
    expect(parseReply("基本完成", { indicators: none })).toMatchObject({ kind: "report", status: "in_progress" });
  });

  it("100% means done, progress with a note", () => {
    expect(parseReply("完成100%", { indicators: none })).toMatchObject({ kind: "report", status: "done", progress: 100 });
    expect(parseReply("目前完成60%，正在整理验收材料", { indicators: none })).toMatchObject({
      kind: "report",
      status: "in_progress",
      progress: 60,
      note: "正在整理验收材料",
    });
  });

  it("English replies", () => {
    expect(parseReply("done", { indicators: none })).toMatchObject({ kind: "report", status: "done" });
    expect(parseReply("in progress, 40%", { indicators: none })).toMatchObject({ kind: "report", status: "in_progress", progress: 40 });
  });

  it("conflicting statuses are asked about", () => {
    expect(parseReply("已完成，推进中", { indicators: none })).toMatchObject({ kind: "unclear", question: "conflicting-status" });
  });

  it("acknowledgements and empty messages", () => {
    expect(parseReply("收到", { indicators: none })).toEqual({ kind: "ack" });
    expect(parseReply("好的。", { indicators: none })).toEqual({ kind: "ack" });
    expect(parseReply("  。。 ", { indicators: none })).toEqual({ kind: "empty" });
  });
});

describe("parseReply: indicator values", () => {
  it("受检率96.5% → the task's 受检率 indicator", () => {
    expect(parseReply("受检率96.5%", { indicators: task8 })).toEqual({
      kind: "report",
      status: null,
      progress: null,
      values: [{ indicatorId: 82, name: "国家重点管理计量器具受检率", value: 96.5 }],
      note: null,
    });
  });

  it("labels with verbs and several values", () => {
    expect(parseReply("受检率达到97%，检测项目16项，已完成", { indicators: task8 })).toMatchObject({
      kind: "report",
      status: "done",
      values: [
        { indicatorId: 82, value: 97 },
        { indicatorId: 81, value: 16 },
      ],
    });
  });

  it("a label shared by two indicators is asked about", () => {
    const r = parseReply("合格率98%", { indicators: similar });
    expect(r).toMatchObject({ kind: "unclear", question: "which-indicator", value: 98 });
    if (r.kind === "unclear") expect(r.candidates?.map((c) => c.id)).toEqual([1, 2]);
    expect(parseReply("食品抽检合格率98%", { indicators: similar })).toMatchObject({ kind: "report", values: [{ indicatorId: 2, value: 98 }] });
  });

  it("a labelled percentage that is no indicator of the task is asked about", () => {
    expect(parseReply("满意度95%", { indicators: task8 })).toMatchObject({ kind: "unclear", question: "unknown-indicator", subject: "满意度", value: 95 });
  });

  it("dates, counts and hotline numbers stay in the note", () => {
    expect(parseReply("已完成，3月5日开展专项检查3次，12315热线畅通", { indicators: task8 })).toMatchObject({
      kind: "report",
      status: "done",
      values: [],
      progress: null,
      note: "3月5日开展专项检查3次，12315热线畅通",
    });
  });

  it("a count of something else is not an indicator value", () => {
    expect(parseReply("本季度完成计量器具检定1200台件，正在开展专项检查", { indicators: task8, expect: "details" })).toEqual({
      kind: "report",
      status: null,
      progress: null,
      values: [],
      note: "本季度完成计量器具检定1200台件，正在开展专项检查",
    });
    expect(parseReply("受检率16项", { indicators: task8 })).toMatchObject({ kind: "unclear", question: "unknown-indicator" });
  });

  it("a figure inside a sentence of its own is a note, not a question (even in a measure the task uses)", () => {
    const note = "计量标准装置新增3项，已通过上级考核";
    expect(parseReply(note, { indicators: task8, expect: "details" })).toEqual({ kind: "report", status: null, progress: null, values: [], note });
    // Alone, the same figure is asked about.
    expect(parseReply("计量标准装置新增3项", { indicators: task8, expect: "details" })).toMatchObject({ kind: "unclear", question: "unknown-indicator" });
  });

  it("generic words do not pick an indicator", () => {
    expect(matchIndicator("完成", [{ id: 1, name: "年度目标完成率" }])).toEqual({ kind: "none" });
    expect(matchIndicator("受检率", task8)).toMatchObject({ kind: "one", indicator: { id: 82 } });
  });
});

describe("parseReply: what the bot asked for", () => {
  it("a bare number alone is unclear, unless progress was asked for", () => {
    expect(parseReply("60", { indicators: none })).toMatchObject({ kind: "unclear", question: "bare-number", value: 60 });
    expect(parseReply("60", { indicators: none, expect: "progress" })).toEqual({ kind: "report", status: null, progress: 60, values: [], note: null });
    expect(parseReply("60%", { indicators: none, expect: "progress" })).toMatchObject({ progress: 60 });
  });

  it("progress outside 0–100 is asked about", () => {
    expect(parseReply("150", { indicators: none, expect: "progress" })).toMatchObject({ kind: "unclear", question: "progress-out-of-range" });
  });

  it("details: status words are part of the note", () => {
    expect(parseReply("已完成现场检查3次", { indicators: task8, expect: "details" })).toEqual({
      kind: "report",
      status: null,
      progress: null,
      values: [],
      note: "已完成现场检查3次",
    });
    expect(parseReply("受检率96.5%", { indicators: task8, expect: "details" })).toMatchObject({ kind: "report", values: [{ indicatorId: 82 }], note: null });
  });

  it("words alone in free text ask for the status", () => {
    expect(parseReply("正在整理材料", { indicators: none })).toMatchObject({ kind: "unclear", question: "what-status", partial: { note: "正在整理材料" } });
  });
});

describe("parseReply: asking for an extension", () => {
  it("申请延期 alone, and with a reason after it", () => {
    expect(parseReply("申请延期", { indicators: task8 })).toEqual({ kind: "extension", reason: null });
    expect(parseReply("申请延期。", { indicators: task8 })).toEqual({ kind: "extension", reason: null });
    expect(parseReply("申请延期，因设备未到货，预计11月底完成", { indicators: task8 })).toEqual({ kind: "extension", reason: "因设备未到货，预计11月底完成" });
    expect(parseReply("我们需要申请延期 理由：场地未落实", { indicators: task8 })).toEqual({ kind: "extension", reason: "场地未落实" });
    expect(parseReply("Request extension: supplier delay", { indicators: task8 })).toEqual({ kind: "extension", reason: "supplier delay" });
  });

  it("in the progress and details steps too", () => {
    expect(parseReply("申请延期", { indicators: task8, expect: "progress" })).toEqual({ kind: "extension", reason: null });
    expect(parseReply("延期申请：人员不足", { indicators: task8, expect: "details" })).toEqual({ kind: "extension", reason: "人员不足" });
  });

  it("a sentence that reports an extension is not a request", () => {
    expect(parseReply("已申请延期，等待批复", { indicators: task8 }).kind).not.toBe("extension");
    expect(parseReply("延期已批复，推进中", { indicators: task8 })).toMatchObject({ kind: "report", status: "in_progress" });
    expect(parseReply("申请延期的材料已完成80%", { indicators: task8 }).kind).not.toBe("extension");
  });
});
