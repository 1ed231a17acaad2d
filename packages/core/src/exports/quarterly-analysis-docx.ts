import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import type { Db } from "@duban/db/client";
import { shanghaiDate } from "@duban/domain/calendar";
import { comparatorText, loadRoundReport, safeFileName, statusLabel, type RoundReport } from "./round-report-data.ts";

export const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const FONT = "仿宋";

function p(text: string, options: { bold?: boolean; indent?: boolean } = {}): Paragraph {
  return new Paragraph({
    indent: options.indent === false ? undefined : { firstLine: 480 },
    spacing: { line: 360 },
    children: [new TextRun({ text, bold: options.bold, font: FONT, size: 28 })],
  });
}

function heading(text: string): Paragraph {
  return new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [new TextRun({ text, font: "黑体", size: 30 })] });
}

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold, font: FONT, size: 22 })] })] });
}

function table(headers: string[], rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) }))],
  });
}

/**
 * 季度质量分析 draft: a starting point the office edits, assembled from the round's replies and
 * the plan's indicator values, with the units that have not reported named.
 */
export async function buildQuarterlyAnalysisDocx(report: RoundReport): Promise<Buffer> {
  const submitted = report.units.filter((u) => u.submittedAt);
  const metCount = report.indicators.filter((i) => i.met === true).length;
  const reported = report.indicators.filter((i) => i.value !== null).length;

  const children: Array<Paragraph | Table> = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: `${report.round.periodLabel}质量分析报告（草稿）`, bold: true, font: "方正小标宋简体", size: 40 })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: `${report.planTitle} · 任务${report.task.number} ${report.task.title}`, font: FONT, size: 24 })],
    }),
    heading("一、报送情况"),
    p(
      `本轮（${report.deadline}，截止 ${shanghaiDate(report.round.dueAt)}）应报送单位 ${report.units.length} 家，已报送 ${submitted.length} 家，` +
        `未报送 ${report.missing.length} 家${report.late.length ? `，逾期报送 ${report.late.length} 家（${report.late.join("、")}）` : ""}。`,
    ),
    heading("二、各单位工作进展"),
  ];
  if (submitted.length === 0) children.push(p("本轮尚无单位报送。"));
  for (const u of submitted) {
    const parts = [statusLabel(u.status), u.progress !== null ? `完成 ${u.progress}%` : "", ...u.values.map((v) => `${v.name} ${v.value}${v.measureUnit ?? ""}`)].filter(Boolean);
    children.push(p(`${u.unit}：${parts.join("，") || "已报送"}。${u.notes.join("；")}`));
  }

  children.push(heading("三、主要质量指标"));
  children.push(p(`方案设定指标 ${report.indicators.length} 项，本期已报送数值 ${reported} 项，其中达标 ${metCount} 项。`));
  if (report.indicators.length > 0) {
    children.push(
      table(
        ["任务", "指标", "目标", "本期数值", "情况"],
        report.indicators.map((i) => [
          i.task,
          i.name,
          `${comparatorText(i.comparator)}${i.target}${i.measureUnit ?? ""}`,
          i.value === null ? "未报" : `${i.value}${i.measureUnit ?? ""}`,
          i.met === null ? "待报" : i.met ? "达标" : "未达标",
        ]),
      ),
    );
  }

  children.push(heading("四、存在的困难和问题"));
  if (report.blocked.length === 0) children.push(p("各单位本轮未反映需要协调的困难。"));
  for (const u of report.blocked) children.push(p(`${u.unit}反映有困难：${u.notes.join("；") || "（未填写说明）"}。`));
  const unmet = report.indicators.filter((i) => i.met === false);
  if (unmet.length) children.push(p(`未达标指标：${unmet.map((i) => `${i.name}（${i.value}${i.measureUnit ?? ""}）`).join("、")}。`));

  children.push(heading("五、未报送单位"));
  children.push(p(report.missing.length ? `截至 ${shanghaiDate(report.generatedAt)}，以下单位尚未报送：${report.missing.join("、")}。` : "所有单位均已报送。"));

  children.push(heading("六、下一步工作建议"));
  children.push(p("（请办公室根据以上情况补充。）"));

  const doc = new Document({ creator: "Duban 督办", title: `${report.round.periodLabel}质量分析报告（草稿）`, sections: [{ children }] });
  return Buffer.from(await Packer.toBuffer(doc));
}

export async function exportQuarterlyAnalysis(db: Db, roundId: number, now: Date): Promise<{ fileName: string; mimeType: string; content: Buffer }> {
  const report = await loadRoundReport(db, roundId, now);
  return {
    fileName: safeFileName(`质量分析报告草稿_${report.round.periodKey}_任务${report.task.number}.docx`),
    mimeType: DOCX_MIME,
    content: await buildQuarterlyAnalysisDocx(report),
  };
}
