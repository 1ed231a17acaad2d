import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBoard } from "../board/board.ts";
import { coordinateBlocker } from "../submissions/coordinate-blocker.ts";
import { decideExtension } from "../submissions/extensions.ts";
import { recordStatus } from "../submissions/record-status.ts";
import { requestExtension } from "../submissions/request-extension.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";
import { exportCityAnalysis } from "./city-analysis-docx.ts";
import { LIGHT_LABEL, exportPlanLedger } from "./plan-ledger-xlsx.ts";
import { exportQuarterlyAnalysis } from "./quarterly-analysis-docx.ts";
import { exportRoundLedger } from "./round-ledger-xlsx.ts";
import { statusLabel } from "./round-report-data.ts";

const now = at("2026-10-16", "10:00");
const BASE = "https://duban.example.gov.cn";

type Cell = ExcelJS.CellValue;
const text = (v: Cell): string => (v && typeof v === "object" && "text" in v ? String(v.text) : v === null || v === undefined ? "" : String(v));

async function sheetRows(content: Buffer, name: string) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(name)!;
  const rows: Cell[][] = [];
  sheet.eachRow((row) => rows.push((row.values as Cell[]).slice(1)));
  const headerIndex = rows.findIndex((r) => text(r[0] ?? null) === "序号" || text(r[0] ?? null) === "任务");
  const header = rows[headerIndex]!.map((c) => text(c ?? null));
  const body = rows.slice(headerIndex + 1);
  return { rows, header, body, col: (row: Cell[], name: string) => row[header.indexOf(name)] ?? null };
}

async function docText(content: Buffer) {
  const zip = await JSZip.loadAsync(content);
  return ((await zip.file("word/document.xml")?.async("string")) ?? "").replace(/<[^>]+>/g, "");
}

/**
 * 2026Q3 of the seed plan, with what the office lives on: 环保局 asks for an extension (reason given
 * only there), gets it, then reports 有困难 without a note, which the office coordinates;
 * 住建局 sends two notes; 市场监督管理局 sends a photo; 受检率 is reported in Q2 and Q3.
 */
describe("plan-wide period reports (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let planId: number;
  let task6Round: number;
  let photoId: number;
  beforeAll(async () => {
    f = await liaisonFixture({ now: at("2026-10-12", "10:00") });
    planId = (await f.db.plan.findFirstOrThrow()).id;
    const task6 = await f.taskId("6");
    const task8 = await f.taskId("8");
    ({ roundId: task6Round } = await f.round({ task: "6", unit: "环保局", periodKey: "2026Q3", progress: true }));
    const user = await f.db.user.create({ data: { username: "wang", displayName: "王主任", passwordHash: "x", role: "staff" } });

    const env = await f.addContact({ unit: "环保局", telegramUserId: "2002", name: "赵" });
    const { extensionRequestId } = await requestExtension(f.db, { contactId: env, roundId: task6Round, reason: "监测站设备更换，数据延迟", now: at("2026-10-09", "09:00") });
    await decideExtension(f.db, { id: extensionRequestId, decision: "approve", newDueDate: "2026-10-20", reason: "同意" }, at("2026-10-09", "11:00"), user.id);
    const blocked = await recordStatus(f.db, { contactId: env, taskId: task6, roundId: task6Round, status: "blocked", source: "telegram-button", now: at("2026-10-14", "09:00") });
    await coordinateBlocker(f.db, { statusUpdateId: blocked.statusUpdateId, note: "已协调省监测中心调取数据" }, at("2026-10-15", "10:00"), user.id);

    const housing = await f.addContact({ unit: "住建局", telegramUserId: "2004" });
    await recordStatus(f.db, { contactId: housing, taskId: task6, roundId: task6Round, status: "in_progress", progress: 40, note: "已完成路网建设。", source: "telegram-text", now: at("2026-10-13", "09:00") });
    await recordStatus(f.db, { contactId: housing, taskId: task6, roundId: task6Round, status: "in_progress", note: "申请延期；", source: "telegram-text", now: at("2026-10-13", "09:05") });

    const market = await f.addContact({ unit: "市场监督管理局", telegramUserId: "2003", name: "李" });
    await recordStatus(f.db, { contactId: market, taskId: task6, roundId: task6Round, status: "done", attachments: [{ kind: "photo", telegramFileId: "AgADphoto" }], source: "telegram-photo", now: at("2026-10-12", "15:00") });
    photoId = (await f.db.attachment.findFirstOrThrow()).id;
    const indicator = await f.db.indicator.findFirstOrThrow({ where: { taskId: task8, name: { contains: "受检率" } } });
    await recordStatus(f.db, { contactId: market, taskId: task8, status: "in_progress", values: [{ indicatorId: indicator.id, value: 96 }], source: "telegram-text", now: at("2026-06-20", "10:00") });
    await recordStatus(f.db, { contactId: market, taskId: task8, status: "in_progress", values: [{ indicatorId: indicator.id, value: 93 }], source: "telegram-text", now: at("2026-09-20", "10:00") });
  });
  afterAll(() => f.cleanup());

  it("the 台账 has every task × unit of the board, with the board's lights, statuses and progress", async () => {
    const board = await loadBoard(f.db, now, { planId });
    const file = await exportPlanLedger(f.db, { planId, periodKey: "2026Q3", now, baseUrl: BASE });
    expect(file.fileName).toBe(`工作台账_2026Q3_方案${planId}.xlsx`);
    const { rows, body, col } = await sheetRows(file.content, "台账");
    const unitNames = new Map(board.units.map((u) => [u.id, u.name]));
    const expected = board.rows.flatMap((r) => r.cells.map((c) => [`${r.number}. ${r.title}`, unitNames.get(c.unitId), LIGHT_LABEL[c.light], statusLabel(c.status) + (c.coordinated ? "（已协调）" : ""), c.progress === null ? "" : String(c.progress)]));
    const actual = body.map((r) => [text(col(r, "任务")), text(col(r, "责任单位")), text(col(r, "灯号")), text(col(r, "进展状态")), text(col(r, "进度(%)"))]);
    expect(actual).toEqual(expected);
    expect(board.counts.total).toBeGreaterThan(20);
    const summary = rows.map((r) => text(r[0] ?? null)).find((t) => t.startsWith("当前灯号"))!;
    expect(summary).toContain(`红灯 ${board.counts.red}，黄灯 ${board.counts.yellow}，绿灯 ${board.counts.green}，共 ${board.counts.total}`);
  });

  it("the 台账 shows the extension, the blocker with its coordination, joined notes and attachment links", async () => {
    const file = await exportPlanLedger(f.db, { planId, periodKey: "2026Q3", now, baseUrl: BASE });
    const { body, col } = await sheetRows(file.content, "台账");
    const row = (task: string, unit: string) => body.find((r) => text(col(r, "任务")).startsWith(`${task}. `) && text(col(r, "责任单位")) === unit)!;
    const env = row("6", "环保局");
    // Reported 14 Oct, after the round's date but before the extended 20 Oct: on time. Task 6 owes
    // two reports this quarter; the 质量分析报告 is not due yet.
    expect(text(col(env, "按时情况"))).toBe("任务6季度进度：按时\n每季度质量分析报告：未到期");
    expect(text(col(env, "现截止")).split("\n")[0]).toBe("任务6季度进度：2026-10-20 17:30");
    expect(text(col(env, "延期"))).toBe("已批准，延至 2026-10-20（理由：监测站设备更换，数据延迟；批复：同意）");
    expect(text(col(env, "困难及协调"))).toBe("2026-10-14 监测站设备更换，数据延迟。→已协调（2026-10-15）：已协调省监测中心调取数据");
    expect(text(col(env, "进展状态"))).toBe("有困难（已协调）");
    expect(text(col(row("6", "住建局"), "情况说明"))).toBe("已完成路网建设；申请延期。");
    const photo = col(row("6", "市场监督管理局"), "附件") as { text: string; hyperlink: string };
    expect(photo.hyperlink).toBe(`${BASE}/files/attachments/${photoId}`);
    expect(photo.text).toBe(`photo ${BASE}/files/attachments/${photoId}`);
    const indicators = await sheetRows(file.content, "指标");
    const inspected = indicators.body.find((r) => text(r[1] ?? null).includes("受检率"))!;
    expect(inspected.slice(3, 8).map((c) => text(c ?? null))).toEqual(["", "96", "93", "93%", "市场监督管理局"]);
  });

  it("the city-wide analysis draft states the board's figures, late units, indicator trend, extension decisions and coordination", async () => {
    const board = await loadBoard(f.db, now, { planId });
    const file = await exportCityAnalysis(f.db, { planId, periodKey: "2026Q3", now });
    expect(file.fileName).toBe(`质量分析报告草稿_2026Q3_方案${planId}.docx`);
    const doc = await docText(file.content);
    expect(doc).toContain("2026年第三季度质量分析报告（草稿）");
    expect(doc).toContain(`全部 ${board.counts.total} 项任务责任中，红灯 ${board.counts.red} 项、黄灯 ${board.counts.yellow} 项、绿灯 ${board.counts.green} 项`);
    // Period figures, counted independently from the period's submissions.
    const subs = await f.db.submission.findMany({ where: { round: { periodKey: "2026Q3", deadline: { active: true, task: { planId, active: true } } } }, include: { round: true } });
    const owed = subs.filter((s) => s.submittedAt || s.dueAt < now);
    const onTime = subs.filter((s) => s.submittedAt && s.submittedAt <= s.dueAt).length;
    const late = subs.filter((s) => s.submittedAt && s.submittedAt > s.dueAt).length;
    const missing = subs.filter((s) => !s.submittedAt && s.dueAt < now).length;
    expect(doc).toContain(`应报送 ${owed.length} 项，按时报送 ${onTime} 项，逾期报送 ${late} 项，未报送 ${missing} 项`);
    expect(missing).toBeGreaterThan(0);
    expect(doc).toContain("收到延期申请 1 件，批准 1 件");
    expect(doc).toContain("反映困难 1 次，已协调 1 次");
    expect(doc).toContain("环保局（任务6，原截止");
    expect(doc).toContain("申请延期：已批准，延至 2026-10-20（理由：监测站设备更换，数据延迟；批复：同意）");
    expect(doc).toContain("环保局（任务6）反映有困难：2026-10-14 监测站设备更换，数据延迟。→已协调（2026-10-15）：已协调省监测中心调取数据");
    expect(doc).not.toContain("（未填写说明）");
    expect(doc).toMatch(/受检率[^任]*Q1 —，Q2 96，Q3 93/);
    expect(doc).toContain("任务6：");
    expect(doc).toMatch(/住建局：[^。]*。已完成路网建设；申请延期。/);
    expect(doc).not.toContain("。；");
  });

  it("the per-task exports follow the approved extension, give the extension's reason for a blocker, and link attachments", async () => {
    const ledger = await exportRoundLedger(f.db, task6Round, now, { baseUrl: BASE });
    const { body, col } = await sheetRows(ledger.content, "报送台账");
    const env = body.find((r) => text(col(r, "责任单位")) === "环保局")!;
    expect(text(col(env, "报送情况"))).toBe("已报送");
    expect(text(col(env, "延期"))).toContain("已批准，延至 2026-10-20");
    expect(text(col(env, "原截止时间"))).not.toBe("");
    const market = body.find((r) => text(col(r, "责任单位")) === "市场监督管理局")!;
    expect((col(market, "附件") as { hyperlink: string }).hyperlink).toBe(`${BASE}/files/attachments/${photoId}`);
    expect(text(col(body.find((r) => text(col(r, "责任单位")) === "住建局")!, "情况说明"))).toBe("已完成路网建设；申请延期。");

    const draft = await docText((await exportQuarterlyAnalysis(f.db, task6Round, now)).content);
    expect(draft).toContain("环保局反映有困难：监测站设备更换，数据延迟。");
    expect(draft).not.toContain("（未填写说明）");
    expect(draft).not.toContain("。；");
    expect(draft).toContain("申请延期：已批准，延至 2026-10-20");
  });

  it("refuses a bad period or an unknown plan with a clear error", async () => {
    await expect(exportPlanLedger(f.db, { planId, periodKey: "2026Q5", now })).rejects.toThrow(/期次/);
    await expect(exportCityAnalysis(f.db, { planId: 9999, periodKey: "2026Q3", now })).rejects.toThrow(/工作方案不存在/);
  });
});
