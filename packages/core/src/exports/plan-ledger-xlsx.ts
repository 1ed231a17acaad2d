import type * as ExcelJS from "exceljs";
import type { Db } from "@duban/db/client";
import { shanghaiDate } from "@duban/domain/calendar";
import type { Light } from "@duban/domain/light";
import { loadPlanPeriodReport, outcomeLabel, type PlanPeriodReport } from "./plan-period-report.ts";
import { comparatorText, formatShanghai, safeFileName, statusLabel } from "./round-report-data.ts";
import { loadExcel, XLSX_MIME } from "./round-ledger-xlsx.ts";

export const LIGHT_LABEL: Record<Light, string> = { red: "红灯", yellow: "黄灯", green: "绿灯" };
const EXTENSION_STATE: Record<string, string> = { pending: "待审批", approved: "已批准", rejected: "未批准" };

export function extensionText(e: PlanPeriodReport["extensions"][number]): string {
  const decision = e.state === "approved" && e.newDueAt ? `已批准，延至 ${shanghaiDate(e.newDueAt)}` : (EXTENSION_STATE[e.state] ?? e.state);
  return `${decision}（理由：${e.reason}${e.decisionReason ? `；批复：${e.decisionReason}` : ""}）`;
}

export function blockerText(b: PlanPeriodReport["blockers"][number]): string {
  const coordination = b.coordinatedAt ? `已协调（${shanghaiDate(b.coordinatedAt)}）${b.coordinationNote ? `：${b.coordinationNote}` : ""}` : "待协调";
  return `${shanghaiDate(b.at)} ${b.note}→${coordination}`;
}

function header(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } };
    cell.border = { bottom: { style: "thin" } };
  });
}

/** 台账 of a plan's period: a row per task × unit, an indicator sheet, and a sheet of attachment links. */
export async function buildPlanLedgerXlsx(report: PlanPeriodReport): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  workbook.creator = "Duban 督办";
  workbook.created = report.generatedAt;
  const f = report.figures;

  const sheet = workbook.addWorksheet("台账");
  sheet.addRow([`${report.plan.title} · ${report.periodLabel}工作台账`]).font = { bold: true, size: 14 };
  sheet.addRow([
    `本期应报 ${f.owed} 项：按时 ${f.onTime}，逾期 ${f.late}，未报 ${f.missing}，免责 ${f.exempt}；未到期 ${f.pending} 项。延期获批 ${f.extensionsApproved} 项；反映困难 ${f.blockers} 次，已协调 ${f.blockersCoordinated} 次。`,
  ]);
  sheet.addRow([`当前灯号（同总览）：红灯 ${report.counts.red}，黄灯 ${report.counts.yellow}，绿灯 ${report.counts.green}，共 ${report.counts.total}；导出时间 ${formatShanghai(report.generatedAt)}`]);
  sheet.addRow([]);
  header(
    sheet.addRow(["序号", "主要任务", "任务", "责任单位", "角色", "灯号", "进展状态", "进度(%)", "报送事项", "原截止", "现截止", "报送时间", "按时情况", "延期", "困难及协调", "指标值/目标", "情况说明", "附件", "填报人"]),
  );
  report.rows.forEach((r, index) => {
    const many = r.obligations.length > 1;
    const per = (text: (o: PlanPeriodReport["rows"][number]["obligations"][number]) => string) =>
      r.obligations.map((o) => `${many ? `${o.deadline}：` : ""}${text(o)}`).join("\n");
    const row = sheet.addRow([
      index + 1,
      r.group,
      `${r.taskNumber}. ${r.taskTitle}`,
      r.unit,
      r.role === "lead" ? "牵头" : "配合",
      LIGHT_LABEL[r.light],
      statusLabel(r.status) + (r.coordinated ? "（已协调）" : ""),
      r.progress ?? "",
      r.obligations.map((o) => o.deadline).join("\n"),
      per((o) => formatShanghai(o.originalDueAt)),
      per((o) => formatShanghai(o.dueAt)),
      per((o) => formatShanghai(o.submittedAt) || "—"),
      per(outcomeLabel),
      r.extensions.map(extensionText).join("\n"),
      r.blockers.map(blockerText).join("\n"),
      r.indicators
        .map((i) => `${i.name}：${i.value === null ? "未报" : `${i.value}${i.measureUnit ?? ""}`}（目标${comparatorText(i.comparator)}${i.target}${i.measureUnit ?? ""}${i.met === null ? "" : i.met ? "，达标" : "，未达标"}）`)
        .join("\n"),
      r.notes,
      r.attachments.map((a) => `${a.name} ${a.url}`).join("\n"),
      r.reportedBy ?? "",
    ]);
    row.alignment = { vertical: "top", wrapText: true };
    const first = r.attachments[0];
    // One hyperlink per cell is what Excel allows; every link is also on the 附件 sheet.
    if (first) row.getCell(18).value = { text: r.attachments.map((a) => `${a.name} ${a.url}`).join("\n"), hyperlink: first.url };
    if (r.light === "red") row.getCell(6).font = { color: { argb: "FFCF1322" }, bold: true };
  });
  sheet.columns.forEach((c, i) => {
    c.width = [6, 20, 30, 22, 6, 6, 12, 8, 20, 18, 18, 18, 22, 30, 36, 32, 40, 30, 18][i] ?? 12;
  });

  const ind = workbook.addWorksheet("指标");
  header(ind.addRow(["任务", "指标", "目标", ...(report.indicators[0]?.trend.map((t) => t.periodKey) ?? []), "本期最新值", "填报单位", "是否达标"]));
  for (const i of report.indicators) {
    ind.addRow([
      i.taskNumber,
      i.name,
      `${comparatorText(i.comparator)} ${i.target}${i.measureUnit ?? ""}`,
      ...i.trend.map((t) => (t.value === null ? "" : t.value)),
      i.value === null ? "未报" : `${i.value}${i.measureUnit ?? ""}`,
      i.unit ?? "",
      i.met === null ? "" : i.met ? "达标" : "未达标",
    ]);
  }
  ind.columns.forEach((c, i) => {
    c.width = i === 1 ? 40 : 14;
  });

  const files = workbook.addWorksheet("附件");
  header(files.addRow(["任务", "责任单位", "附件", "链接"]));
  for (const r of report.rows) {
    for (const a of r.attachments) {
      const row = files.addRow([r.taskNumber, r.unit, a.name, a.url]);
      row.getCell(4).value = { text: a.url, hyperlink: a.url };
    }
  }
  files.columns.forEach((c, i) => {
    c.width = [8, 24, 30, 50][i] ?? 14;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function exportPlanLedger(db: Db, input: { planId: number; periodKey: string; now: Date; baseUrl?: string | null }) {
  const report = await loadPlanPeriodReport(db, input);
  return { fileName: safeFileName(`工作台账_${report.periodKey}_方案${report.plan.id}.xlsx`), mimeType: XLSX_MIME, content: await buildPlanLedgerXlsx(report) };
}
