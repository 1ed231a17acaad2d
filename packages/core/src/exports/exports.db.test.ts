import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordStatus } from "../submissions/record-status.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";
import { exportQuarterlyAnalysis } from "./quarterly-analysis-docx.ts";
import { exportRoundLedger } from "./round-ledger-xlsx.ts";
import { meetsTarget } from "./round-report-data.ts";

const now = at("2026-10-14", "10:00");

describe("round exports (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let roundId: number;
  beforeEach(async () => {
    f = await liaisonFixture({ now: at("2026-10-12", "10:00") });
    const task6 = await f.taskId("6");
    ({ roundId } = await f.round({ task: "6", unit: "交运局", periodKey: "2026Q3", progress: true }));
    const traffic = await f.addContact({ unit: "交运局", telegramUserId: "2001", name: "孙" });
    await recordStatus(f.db, { contactId: traffic, taskId: task6, roundId, status: "done", note: "运输服务质量分析已上报", source: "telegram-text", now: at("2026-10-12", "15:00") });
    const env = await f.addContact({ unit: "环保局", telegramUserId: "2002" });
    await recordStatus(f.db, { contactId: env, taskId: task6, roundId, status: "blocked", note: "监测站数据延迟", source: "telegram-text", now: at("2026-10-14", "09:00") });
    const market = await f.addContact({ unit: "市场监督管理局", telegramUserId: "2003" });
    const task8 = await f.taskId("8");
    const indicator = await f.db.indicator.findFirstOrThrow({ where: { taskId: task8, name: { contains: "受检率" } } });
    await recordStatus(f.db, { contactId: market, taskId: task8, status: "in_progress", values: [{ indicatorId: indicator.id, value: 93 }], source: "telegram-text", now: at("2026-09-20", "10:00") });
  });
  afterEach(() => f.cleanup());

  it("checks targets by comparator", () => {
    expect(meetsTarget(">=", 95, 95)).toBe(true);
    expect(meetsTarget("<", 10, 10)).toBe(false);
    expect(meetsTarget("~", 1, 1)).toBeNull();
  });

  it("writes the 台账 as a workbook that opens, a row per owing unit", async () => {
    const file = await exportRoundLedger(f.db, roundId, now);
    expect(file.fileName).toBe("报送台账_任务6_2026Q3.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.content as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("报送台账")!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ""))));
    const unitRows = rows.filter((r) => /^\d+$/.test(r[0] ?? ""));
    expect(unitRows.map((r) => r[1])).toEqual(["市场监督管理局", "交运局", "环保局", "住建局", "铁路公司"]);
    const byUnit = (name: string) => unitRows.find((r) => r[1] === name)!;
    expect(byUnit("交运局")[3]).toBe("已报送");
    expect(byUnit("交运局")[10]).toBe("运输服务质量分析已上报。");
    expect(byUnit("交运局")[12]).toBe("孙");
    // 有困难 in a progress round is a report, made after the due date: late.
    expect(byUnit("环保局")[3]).toBe("逾期报送");
    expect(byUnit("环保局")[7]).toBe("有困难");
    expect(byUnit("住建局")[3]).toBe("逾期未报");
    const indicators = workbook.getWorksheet("指标")!;
    const inspected: string[] = [];
    indicators.eachRow((row) => inspected.push((row.values as unknown[]).slice(1).join("|")));
    // Only task 6's own indicators: 受检率 (task 8's, reported in the period) is not on this task's 台账.
    expect(inspected.some((r) => r.includes("受检率"))).toBe(false);
  });

  it("drafts the 季度质量分析 as a docx from the replies and indicator values, naming the missing units", async () => {
    const file = await exportQuarterlyAnalysis(f.db, roundId, now);
    expect(file.fileName).toMatch(/\.docx$/);
    expect(file.content.subarray(0, 2).toString()).toBe("PK");
    const zip = await JSZip.loadAsync(file.content);
    const text = ((await zip.file("word/document.xml")?.async("string")) ?? "").replace(/<[^>]+>/g, "");
    expect(text).toContain("2026年第三季度质量分析报告（草稿）");
    expect(text).toContain("应报送单位 5 家，已报送 2 家，未报送 3 家");
    expect(text).toContain("交运局（已报送）：已完成");
    expect(text).toContain("住建局（逾期未报）：本轮尚未回复");
    expect(text).toContain("环保局反映有困难：监测站数据延迟");
    expect(text).toContain("以下单位尚未报送：市场监督管理局、住建局、铁路公司");
    expect(text).not.toContain("受检率");
  });

  it("names the office user on an entry made for the unit (代为填报), in both exports", async () => {
    const user = await f.db.user.create({ data: { username: "wang", displayName: "王主任", passwordHash: "x", role: "staff" } });
    const railway = await f.unitId("铁路公司");
    await recordStatus(f.db, { unitId: railway, userId: user.id, taskId: await f.taskId("6"), roundId, status: "done", note: "电话确认：已报送纸质材料", source: "console", now: at("2026-10-13", "11:00") });

    const ledger = await exportRoundLedger(f.db, roundId, now);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(ledger.content as unknown as ArrayBuffer);
    const rows: string[][] = [];
    workbook.getWorksheet("报送台账")!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ""))));
    const header = rows.find((r) => r[0] === "序号")!;
    const railwayRow = rows.find((r) => r[1] === "铁路公司")!;
    expect(railwayRow[header.indexOf("填报人")]).toBe("办公室代为填报（王主任）");
    expect(railwayRow[header.indexOf("情况说明")]).toBe("电话确认：已报送纸质材料。");

    const draft = await exportQuarterlyAnalysis(f.db, roundId, now);
    const zip = await JSZip.loadAsync(draft.content);
    const text = ((await zip.file("word/document.xml")?.async("string")) ?? "").replace(/<[^>]+>/g, "");
    expect(text).toContain("铁路公司（已报送）：已完成，完成 100%。电话确认：已报送纸质材料。（填报人：办公室代为填报（王主任））");
  });
});

describe("round exports: a reply that does not count as the submission yet (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let roundId: number;
  beforeEach(async () => {
    f = await liaisonFixture({ now: at("2026-10-12", "10:00") });
    const task8 = await f.taskId("8");
    // 任务8's progress round: 市场监督管理局 answers before the reporting window opens, so the reply is news, not the report.
    ({ roundId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true }));
    const market = await f.addContact({ unit: "市场监督管理局", telegramUserId: "2003", name: "李" });
    const indicator = await f.db.indicator.findFirstOrThrow({ where: { taskId: task8, name: { contains: "受检率" } } });
    const reply = await recordStatus(f.db, {
      contactId: market,
      taskId: task8,
      roundId,
      status: "in_progress",
      progress: 60,
      values: [{ indicatorId: indicator.id, value: 93 }],
      note: "计量器具检定已完成六成",
      source: "telegram-text",
      now: at("2026-09-20", "10:00"),
    });
    expect(reply.submitted).toBe(false);
  });
  afterEach(() => f.cleanup());

  it("the docx lists the replying unit with its progress and values, as the 台账 does", async () => {
    const draft = await exportQuarterlyAnalysis(f.db, roundId, now);
    const zip = await JSZip.loadAsync(draft.content);
    const text = ((await zip.file("word/document.xml")?.async("string")) ?? "").replace(/<[^>]+>/g, "");
    expect(text).not.toContain("本轮尚无单位报送");
    expect(text).toContain("已报送 0 家，已回复但尚未计入报送 1 家（市场监督管理局），未报送 0 家");
    expect(text).toMatch(/市场监督管理局（已回复，未计入报送，已逾期）：推进中，完成 60%，[^。]*受检率[^。]*93%。计量器具检定已完成六成。（填报人：李）/);
    expect(text).toContain("以下单位已回复，但尚未计入本轮报送：市场监督管理局");
    // The indicator table has the value from that reply, and who gave it.
    expect(text).toMatch(/受检率[^任]*93%市场监督管理局未达标/);

    const ledger = await exportRoundLedger(f.db, roundId, now);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(ledger.content as unknown as ArrayBuffer);
    const rows: string[][] = [];
    workbook.getWorksheet("报送台账")!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ""))));
    const header = rows.find((r) => r[0] === "序号")!;
    const market = rows.find((r) => r[1] === "市场监督管理局")!;
    expect(market[header.indexOf("报送情况")]).toMatch(/^已回复，未计入报送/);
    expect(market[header.indexOf("进展状态")]).toBe("推进中");
    expect(market[header.indexOf("进度(%)")]).toBe("60");
    expect(market[header.indexOf("情况说明")]).toBe("计量器具检定已完成六成。");
    expect(rows.some((r) => r[0]?.includes("已回复未计入 1 家"))).toBe(true);
  });
});
