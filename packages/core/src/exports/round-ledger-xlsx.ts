import type * as ExcelJS from "exceljs";
import type { Db } from "@duban/db/client";
import { comparatorText, extensionLabel, formatShanghai, joinSentences, loadRoundReport, safeFileName, statusLabel, submissionStateLabel, type RoundReport } from "./round-report-data.ts";

export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * exceljs, loaded on first use: importing it costs the process ~20 MB resident, which a server
 * that is not exporting or importing a spreadsheet right now should not carry.
 */
export async function loadExcel(): Promise<typeof ExcelJS> {
  const module = (await import("exceljs")) as typeof ExcelJS & { default?: typeof ExcelJS };
  return module.default ?? module;
}

/** 报送台账: one row per owing unit, plus a sheet of the plan's indicators for the period. */
export async function buildRoundLedgerXlsx(report: RoundReport): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  workbook.creator = "Duban 督办";
  workbook.created = report.generatedAt;

  const sheet = workbook.addWorksheet("报送台账");
  sheet.addRow([`${report.planTitle} · 报送台账`]).font = { bold: true, size: 14 };
  sheet.addRow([`任务${report.task.number}：${report.task.title}`]);
  sheet.addRow([`${report.deadline}（${report.round.periodLabel}），截止 ${formatShanghai(report.round.dueAt)}`]);
  sheet.addRow([
    `应报 ${report.units.length} 家，已报 ${report.submitted.length} 家，已回复未计入 ${report.repliedNotSubmitted.length} 家，未报 ${report.missing.length} 家；导出时间 ${formatShanghai(report.generatedAt)}`,
  ]);
  sheet.addRow([]);
  const header = sheet.addRow(["序号", "责任单位", "截止时间", "报送情况", "报送时间", "最近回复", "签收时间", "进展状态", "进度(%)", "指标值", "情况说明", "附件", "填报人", "原截止时间", "延期"]);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } };
    cell.border = { bottom: { style: "thin" } };
  });
  report.units.forEach((u, index) => {
    const row = sheet.addRow([
      index + 1,
      u.unit,
      formatShanghai(u.dueAt),
      submissionStateLabel(u),
      formatShanghai(u.submittedAt),
      formatShanghai(u.repliedAt),
      formatShanghai(u.acknowledgedAt),
      statusLabel(u.status),
      u.progress ?? "",
      u.values.map((v) => `${v.name} ${v.value}${v.measureUnit ?? ""}`).join("；"),
      joinSentences(u.notes),
      u.attachments.map((a) => `${a.name} ${a.url}`).join("\n"),
      u.reportedBy ?? "",
      // Left empty (no cell) when there is nothing to say, so a row still ends at 填报人 for readers that trim.
      u.originalDueAt.getTime() === u.dueAt.getTime() ? null : formatShanghai(u.originalDueAt),
      u.extensions.length ? u.extensions.map(extensionLabel).join("\n") : null,
    ]);
    const first = u.attachments[0];
    // Excel allows one hyperlink per cell: the first file; every link is in the text.
    if (first) row.getCell(12).value = { text: u.attachments.map((a) => `${a.name} ${a.url}`).join("\n"), hyperlink: first.url };
    if (u.state !== "submitted") row.getCell(4).font = { color: { argb: "FFCF1322" }, bold: true };
    row.alignment = { vertical: "top", wrapText: true };
  });
  sheet.columns.forEach((column, i) => {
    column.width = [6, 26, 18, 16, 18, 18, 18, 10, 9, 26, 40, 30, 22, 18, 36][i] ?? 14;
  });

  const indicators = workbook.addWorksheet("指标");
  const head = indicators.addRow(["任务", "指标", "目标", "最新值", "填报单位", "是否达标"]);
  head.font = { bold: true };
  for (const i of report.indicators) {
    indicators.addRow([
      i.task,
      i.name,
      `${comparatorText(i.comparator)} ${i.target}${i.measureUnit ?? ""}`,
      i.value === null ? "未报" : `${i.value}${i.measureUnit ?? ""}`,
      i.unit ?? "",
      i.met === null ? "" : i.met ? "达标" : "未达标",
    ]);
  }
  indicators.columns.forEach((column, i) => {
    column.width = [8, 40, 14, 12, 22, 10][i] ?? 14;
  });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function exportRoundLedger(db: Db, roundId: number, now: Date, options: { baseUrl?: string | null } = {}): Promise<{ fileName: string; mimeType: string; content: Buffer }> {
  const report = await loadRoundReport(db, roundId, now, options);
  return {
    fileName: safeFileName(`报送台账_任务${report.task.number}_${report.round.periodKey}.xlsx`),
    mimeType: XLSX_MIME,
    content: await buildRoundLedgerXlsx(report),
  };
}
