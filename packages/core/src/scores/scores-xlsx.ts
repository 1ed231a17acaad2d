import type * as ExcelJS from "exceljs";
import type { Db } from "@duban/db/client";
import type { ScoreRule } from "@duban/domain/score";
import { formatShanghai, safeFileName } from "../exports/round-report-data.ts";
import { loadExcel, XLSX_MIME } from "../exports/round-ledger-xlsx.ts";
import { computeScores, type Scores } from "./compute-scores.ts";

const OUTCOME_LABEL: Record<string, string> = { onTime: "按时", late: "逾期", missing: "未报", exempt: "免责", pending: "未到期" };

export function ruleText(rule: ScoreRule): string {
  return `得分 = 100 × 按时数 ÷ (应报数 − 免责数) − 逾期每工作日扣 ${rule.latePenaltyPerWorkday} 分（每项最多 ${rule.latePenaltyCapWorkdays} 个工作日）− 每项未报扣 ${rule.missingPenalty} 分，最低 0 分`;
}

const pct = (rate: number | null) => (rate === null ? "" : `${Math.round(rate * 1000) / 10}%`);

/** 考核排名: one row per unit in ranking order, and a sheet of every late, missing or exempt item. */
export async function buildScoresXlsx(scores: Scores, now: Date, planTitle: string | null): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  workbook.creator = "Duban 督办";
  workbook.created = now;
  const sheet = workbook.addWorksheet("考核排名");
  sheet.addRow([`${scores.year}年度考核排名${planTitle ? ` · ${planTitle}` : ""}`]).font = { bold: true, size: 14 };
  sheet.addRow([ruleText(scores.rule)]);
  sheet.addRow([`导出时间 ${formatShanghai(now)}`]);
  sheet.addRow([]);
  const header = sheet.addRow(["名次", "责任单位", "应报", "按时", "逾期", "未报", "免责", "逾期工作日", "获批延期", "反映困难", "按时率", "得分"]);
  header.font = { bold: true };
  scores.units.forEach((u, i) => {
    sheet.addRow([i + 1, u.unit, u.owed, u.onTime, u.late, u.missing, u.exempt, u.workdaysLate, u.extensionsApproved, u.blockersRaised, pct(u.onTimeRate), u.score ?? ""]);
  });
  sheet.columns.forEach((c, i) => {
    c.width = [6, 26, 8, 8, 8, 8, 8, 10, 10, 10, 10, 8][i] ?? 10;
  });

  const detail = workbook.addWorksheet("逾期与未报明细");
  detail.addRow(["责任单位", "任务", "报送事项", "期次", "原截止", "现截止", "报送时间", "结果", "逾期工作日", "免责理由"]).font = { bold: true };
  for (const d of scores.items.filter((d) => d.outcome !== "onTime" && d.outcome !== "pending")) {
    detail.addRow([
      d.unit,
      `${d.taskNumber}. ${d.taskTitle}`,
      d.deadline,
      d.periodKey,
      formatShanghai(d.originalDueAt),
      formatShanghai(d.dueAt),
      formatShanghai(d.submittedAt),
      OUTCOME_LABEL[d.outcome] ?? d.outcome,
      d.workdaysLate || "",
      d.exemptionReason ?? "",
    ]);
  }
  detail.columns.forEach((c, i) => {
    c.width = [24, 36, 24, 10, 18, 18, 18, 8, 10, 30][i] ?? 12;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function exportScores(db: Db, input: { year: number; planId?: number | null; now: Date }) {
  const scores = await computeScores(db, input);
  const plan = input.planId ? await db.plan.findUnique({ where: { id: input.planId }, select: { title: true } }) : null;
  return {
    fileName: safeFileName(`考核排名_${input.year}${input.planId ? `_方案${input.planId}` : ""}.xlsx`),
    mimeType: XLSX_MIME,
    content: await buildScoresXlsx(scores, input.now, plan?.title ?? null),
  };
}
