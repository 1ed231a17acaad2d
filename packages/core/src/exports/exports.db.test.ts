import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordStatus } from "../record-status.ts";
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
    expect(byUnit("交运局")[9]).toBe("运输服务质量分析已上报");
    // 有困难 in a progress round is a report, made after the due date: late.
    expect(byUnit("环保局")[3]).toBe("逾期报送");
    expect(byUnit("环保局")[6]).toBe("有困难");
    expect(byUnit("住建局")[3]).toBe("逾期未报");
    const indicators = workbook.getWorksheet("指标")!;
    const inspected: string[] = [];
    indicators.eachRow((row) => inspected.push((row.values as unknown[]).slice(1).join("|")));
    expect(inspected.some((r) => r.includes("受检率") && r.includes("93%") && r.includes("未达标"))).toBe(true);
  });

  it("drafts the 季度质量分析 as a docx from the replies and indicator values, naming the missing units", async () => {
    const file = await exportQuarterlyAnalysis(f.db, roundId, now);
    expect(file.fileName).toMatch(/\.docx$/);
    expect(file.content.subarray(0, 2).toString()).toBe("PK");
    const zip = await JSZip.loadAsync(file.content);
    const text = ((await zip.file("word/document.xml")?.async("string")) ?? "").replace(/<[^>]+>/g, "");
    expect(text).toContain("2026年第三季度质量分析报告（草稿）");
    expect(text).toContain("应报送单位 5 家，已报送 2 家，未报送 3 家");
    expect(text).toContain("交运局：已完成");
    expect(text).toContain("环保局反映有困难：监测站数据延迟");
    expect(text).toContain("以下单位尚未报送：市场监督管理局、住建局、铁路公司");
    expect(text).toContain("受检率");
  });
});
