import { AlignmentType, Document, Packer, Paragraph, TextRun, type Table } from "docx";
import type { Db } from "@duban/db/client";
import { shanghaiDate } from "@duban/domain/calendar";
import { blockerText, extensionText, LIGHT_LABEL } from "./plan-ledger-xlsx.ts";
import { loadPlanPeriodReport, outcomeLabel, type PlanPeriodReport } from "./plan-period-report.ts";
import { DOCX_MIME, heading, p, table } from "./quarterly-analysis-docx.ts";
import { comparatorText, safeFileName, statusLabel } from "./round-report-data.ts";

const pct = (n: number, d: number) => (d ? `${Math.round((1000 * n) / d) / 10}%` : "—");

function unitLine(r: PlanPeriodReport["rows"][number]): string {
  const parts = [
    LIGHT_LABEL[r.light],
    r.status ? statusLabel(r.status) + (r.coordinated ? "（已协调）" : "") : "尚未报告进展",
    r.progress !== null ? `完成 ${r.progress}%` : "",
    ...r.obligations.map((o) => `${o.deadline}${outcomeLabel(o)}`),
  ].filter(Boolean);
  return `${r.unit}：${parts.join("，")}。${r.notes}`;
}

/**
 * City-wide 季度质量分析报告 draft for a plan's period: summary figures (the board's lights and the
 * period's submissions), a section per group and task, late and missing units, indicators against
 * targets with their quarterly trend, extension decisions and coordination results.
 */
export async function buildCityAnalysisDocx(report: PlanPeriodReport): Promise<Buffer> {
  const f = report.figures;
  const counted = f.owed - f.exempt;
  const title = `${report.periodLabel}质量分析报告（草稿）`;
  const children: Array<Paragraph | Table> = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: title, bold: true, font: "方正小标宋简体", size: 40 })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: `${report.plan.title}${report.plan.docNumber ? `（${report.plan.docNumber}）` : ""}`, font: "仿宋", size: 24 })] }),
    heading("一、总体情况"),
    p(
      `本期（${report.periodLabel}）各责任单位应报送 ${f.owed} 项，按时报送 ${f.onTime} 项，逾期报送 ${f.late} 项，未报送 ${f.missing} 项，免责 ${f.exempt} 项，按时报送率 ${pct(f.onTime, counted)}；另有 ${f.pending} 项尚未到期。`,
    ),
    p(`截至 ${shanghaiDate(report.generatedAt)}，全部 ${report.counts.total} 项任务责任中，红灯 ${report.counts.red} 项、黄灯 ${report.counts.yellow} 项、绿灯 ${report.counts.green} 项。`),
    p(
      `本期收到延期申请 ${report.extensions.length} 件，批准 ${f.extensionsApproved} 件、未批准 ${f.extensionsRejected} 件、待审批 ${f.extensionsPending} 件；各单位反映困难 ${f.blockers} 次，已协调 ${f.blockersCoordinated} 次。`,
    ),
    heading("二、各项任务进展"),
  ];
  for (const group of [...report.groups, { id: null, title: "" }]) {
    const rows = report.rows.filter((r) => (group.id === null ? !report.groups.some((g) => g.title === r.group) : r.group === group.title));
    if (rows.length === 0) continue;
    if (group.title) children.push(p(group.title, { bold: true, indent: false }));
    const tasks = [...new Map(rows.map((r) => [r.taskId, r])).values()];
    for (const task of tasks) {
      children.push(p(`任务${task.taskNumber}：${task.taskTitle}`, { bold: true }));
      for (const r of rows.filter((x) => x.taskId === task.taskId)) children.push(p(unitLine(r)));
    }
  }

  children.push(heading("三、逾期及未报送单位"));
  const late = report.rows.flatMap((r) => r.obligations.filter((o) => o.outcome === "late" || o.outcome === "missing").map((o) => ({ r, o })));
  if (late.length === 0) children.push(p("本期无逾期或未报送情况。"));
  else {
    children.push(
      table(
        ["责任单位", "任务", "报送事项", "截止", "情况"],
        late.map(({ r, o }) => [r.unit, `任务${r.taskNumber}`, o.deadline, `${shanghaiDate(o.dueAt)}${o.extended ? `（原 ${shanghaiDate(o.originalDueAt)}，已延期）` : ""}`, outcomeLabel(o)]),
      ),
    );
  }

  children.push(heading("四、主要质量指标"));
  const reported = report.indicators.filter((i) => i.value !== null);
  children.push(p(`方案设定指标 ${report.indicators.length} 项，本期已填报 ${reported.length} 项，其中达标 ${reported.filter((i) => i.met === true).length} 项、未达标 ${reported.filter((i) => i.met === false).length} 项。`));
  if (report.indicators.length > 0) {
    children.push(
      table(
        ["任务", "指标", "目标", "走势（各季度）", "本期数值", "情况"],
        report.indicators.map((i) => [
          i.taskNumber,
          i.name,
          `${comparatorText(i.comparator)}${i.target}${i.measureUnit ?? ""}`,
          i.trend.map((t) => `${t.periodKey.slice(4)} ${t.value === null ? "—" : t.value}`).join("，"),
          i.value === null ? "未报" : `${i.value}${i.measureUnit ?? ""}`,
          i.met === null ? "待报" : i.met ? "达标" : "未达标",
        ]),
      ),
    );
  }

  children.push(heading("五、延期申请及审批"));
  if (report.extensions.length === 0) children.push(p("本期无延期申请。"));
  for (const e of report.extensions) children.push(p(`${e.unit}（任务${e.taskNumber}，原截止 ${shanghaiDate(e.originalDueAt)}）申请延期：${extensionText(e)}。`));

  children.push(heading("六、困难问题及协调结果"));
  if (report.blockers.length === 0) children.push(p("各单位本期未反映需要协调的困难。"));
  for (const b of report.blockers) children.push(p(`${b.unit}（任务${b.taskNumber}）反映有困难：${blockerText(b)}。`));

  children.push(heading("七、下一步工作建议"));
  children.push(p("（请办公室根据以上情况补充。）"));

  const doc = new Document({ creator: "Duban 督办", title, sections: [{ children }] });
  return Buffer.from(await Packer.toBuffer(doc));
}

export async function exportCityAnalysis(db: Db, input: { planId: number; periodKey: string; now: Date }) {
  const report = await loadPlanPeriodReport(db, input);
  return { fileName: safeFileName(`质量分析报告草稿_${report.periodKey}_方案${report.plan.id}.docx`), mimeType: DOCX_MIME, content: await buildCityAnalysisDocx(report) };
}
