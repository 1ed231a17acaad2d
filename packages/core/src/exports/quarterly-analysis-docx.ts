import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import type { Db } from "@duban/db/client";
import { shanghaiDate } from "@duban/domain/calendar";
import { comparatorText, difficultyText, extensionLabel, joinSentences, loadRoundReport, safeFileName, statusLabel, submissionStateLabel, type RoundReport } from "./round-report-data.ts";

export const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const FONT = "仿宋";

export function p(text: string, options: { bold?: boolean; indent?: boolean } = {}): Paragraph {
  return new Paragraph({
    indent: options.indent === false ? undefined : { firstLine: 480 },
    spacing: { line: 360 },
    children: [new TextRun({ text, bold: options.bold, font: FONT, size: 28 })],
  });
}

export function heading(text: string): Paragraph {
  return new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [new TextRun({ text, font: "黑体", size: 30 })] });
}

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold, font: FONT, size: 22 })] })] });
}

export function table(headers: string[], rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) }))],
  });
}

/** One unit's paragraph: where it stands, then its latest reply in the round, whether or not that counts as the submission. */
function unitProgress(u: RoundReport["units"][number]): string {
  const state = `${u.unit}（${submissionStateLabel(u)}）`;
  if (u.state === "none") return `${state}：本轮尚未回复。${u.extensions.map((e) => `申请延期：${extensionLabel(e)}。`).join("")}`;
  const parts = [
    statusLabel(u.status),
    u.progress !== null ? `完成 ${u.progress}%` : "",
    ...u.values.map((v) => `${v.name} ${v.value}${v.measureUnit ?? ""}`),
  ].filter(Boolean);
  const extensions = u.extensions.map((e) => `申请延期：${extensionLabel(e)}。`).join("");
  return `${state}：${parts.join("，") || "已回复"}。${joinSentences(u.notes)}${extensions}${u.reportedBy ? `（填报人：${u.reportedBy}）` : ""}`;
}

/**
 * 季度质量分析 draft: a starting point the office edits, assembled from the round's replies and
 * the plan's indicator values, with the units that have not reported named. Every unit's latest
 * reply is shown, marked 已报送 or not yet counted, so the draft says what the 台账 says.
 */
export async function buildQuarterlyAnalysisDocx(report: RoundReport): Promise<Buffer> {
  const metCount = report.indicators.filter((i) => i.met === true).length;
  const reported = report.indicators.filter((i) => i.value !== null).length;
  const pending = report.repliedNotSubmitted;

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
      `本轮（${report.deadline}，截止 ${shanghaiDate(report.round.dueAt)}）应报送单位 ${report.units.length} 家，已报送 ${report.submitted.length} 家，` +
        (pending.length ? `已回复但尚未计入报送 ${pending.length} 家（${pending.join("、")}），` : "") +
        `未报送 ${report.missing.length} 家${report.late.length ? `，逾期报送 ${report.late.length} 家（${report.late.join("、")}）` : ""}。`,
    ),
  ];
  if (pending.length) {
    children.push(
      p(
        report.progressRound
          ? "注：报送期开始前的进展回复作为情况掌握，不计为本轮报送；相关单位仍需在报送期内报送。"
          : "注：本轮以「已完成」为报送，推进中或有困难的回复作为情况掌握，不计为本轮报送。",
      ),
    );
  }
  children.push(heading("二、各单位工作进展"));
  if (report.units.length === 0) children.push(p("本轮无应报送单位。"));
  for (const u of report.units) children.push(p(unitProgress(u)));

  children.push(heading("三、主要质量指标"));
  children.push(p(`本任务设定指标 ${report.indicators.length} 项，本期已填报数值 ${reported} 项（含尚未计入报送的回复），其中达标 ${metCount} 项。`));
  if (report.indicators.length > 0) {
    children.push(
      table(
        ["任务", "指标", "目标", "本期数值", "填报单位", "情况"],
        report.indicators.map((i) => [
          i.task,
          i.name,
          `${comparatorText(i.comparator)}${i.target}${i.measureUnit ?? ""}`,
          i.value === null ? "未报" : `${i.value}${i.measureUnit ?? ""}`,
          i.unit ?? "",
          i.met === null ? "待报" : i.met ? "达标" : "未达标",
        ]),
      ),
    );
  }

  children.push(heading("四、存在的困难和问题"));
  if (report.blocked.length === 0) children.push(p("各单位本轮未反映需要协调的困难。"));
  for (const u of report.blocked) children.push(p(`${u.unit}反映有困难：${difficultyText(u)}`));
  const unmet = report.indicators.filter((i) => i.met === false);
  if (unmet.length) children.push(p(`未达标指标：${unmet.map((i) => `${i.name}（${i.value}${i.measureUnit ?? ""}）`).join("、")}。`));

  children.push(heading("五、未报送单位"));
  if (report.missing.length) children.push(p(`截至 ${shanghaiDate(report.generatedAt)}，以下单位尚未报送：${report.missing.join("、")}。`));
  if (pending.length) children.push(p(`以下单位已回复，但尚未计入本轮报送：${pending.join("、")}。`));
  if (!report.missing.length && !pending.length) children.push(p("所有单位均已报送。"));

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
