import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Document, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun, VerticalMergeType } from "docx";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { type ParsedPlan, parsePlan, toPlanJson } from "@duban/domain/parse-plan";
import { planDocx, planXlsx } from "../testing/plan-document-fixtures.ts";
import { PlanDocumentError, readPlanDocument } from "./read-plan-document.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const seedText = readFileSync(path.resolve(here, "../../../../plans/tongjiang-quality-city-2016.txt"), "utf8");

/** What the office imports: groups, tasks, their units, leaders, notes, deadlines and warnings, without source line numbers (a .docx has no blank lines, so they differ). */
function tasksOf(plan: ParsedPlan): unknown {
  return JSON.parse(
    JSON.stringify({ plan: toPlanJson(plan), units: plan.units }, (key, value: unknown) =>
      key === "line" ? undefined : key === "message" && typeof value === "string" ? value.replace(/^第 \d+ 行：/, "") : value,
    ),
  );
}

function cell(...paragraphs: string[]): TableCell {
  return new TableCell({ children: paragraphs.map((p) => new Paragraph(p)) });
}

async function docxOf(children: Array<Paragraph | Table>): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

async function xlsxOf(build: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function refusal(fileName: string, bytes: Uint8Array): Promise<PlanDocumentError> {
  const error = await readPlanDocument(fileName, bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlanDocumentError);
  return error as PlanDocumentError;
}

describe("readPlanDocument: Word", () => {
  it("reads paragraphs and a table in document order, one line per paragraph and per row", async () => {
    const bytes = await docxOf([
      new Paragraph("关于印发某县重点工作任务分解方案的通知"),
      new Paragraph(""),
      new Paragraph({ children: [new TextRun("一、"), new TextRun({ text: "总体要求", bold: true })] }),
      new Paragraph({ children: [new TextRun("第一行"), new TextRun({ text: "第二行", break: 1 })] }),
      new Table({
        rows: [
          new TableRow({ children: [cell("序号"), cell("目标与任务"), cell("牵头责任单位"), cell("责任单位")] }),
          new TableRow({
            children: [
              cell("1"),
              cell("推进质量强县建设", "全年完成"),
              new TableCell({ children: [new Paragraph("县市场监管局")], verticalMerge: VerticalMergeType.RESTART }),
              cell("县发改局、县财政局"),
            ],
          }),
          new TableRow({
            children: [cell("2"), cell("开展质量提升行动"), new TableCell({ children: [new Paragraph("")], verticalMerge: VerticalMergeType.CONTINUE }), cell("")],
          }),
          new TableRow({ children: [cell(""), cell(""), cell(""), cell("")] }),
        ],
      }),
      new Paragraph("二、保障措施"),
    ]);
    const document = await readPlanDocument("方案.docx", bytes);
    expect(document.format).toBe("docx");
    expect(document.fileName).toBe("方案.docx");
    expect(document.text.split("\n")).toEqual([
      "关于印发某县重点工作任务分解方案的通知",
      "一、总体要求",
      "第一行",
      "第二行",
      "序号\t目标与任务\t牵头责任单位\t责任单位",
      "1\t推进质量强县建设 全年完成\t县市场监管局\t县发改局、县财政局",
      "2\t开展质量提升行动",
      "二、保障措施",
    ]);
  });

  it("writes Word's automatic list numbers (一、 / （一） / 1.) into the text, in body paragraphs and table cells", async () => {
    const numbered = (text: string, level: number) => new Paragraph({ text, numbering: { reference: "plan", level } });
    const serial = (text: string) => new TableCell({ children: [new Paragraph({ text, numbering: { reference: "serial", level: 0 } })] });
    const document = new Document({
      numbering: {
        config: [
          {
            reference: "plan",
            levels: [
              { level: 0, format: LevelFormat.CHINESE_COUNTING, text: "%1、" },
              { level: 1, format: LevelFormat.CHINESE_COUNTING, text: "（%2）" },
              { level: 2, format: LevelFormat.DECIMAL, text: "%3." },
            ],
          },
          { reference: "serial", levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1" }] },
        ],
      },
      sections: [
        {
          children: [
            numbered("总体要求", 0),
            numbered("主要任务", 0),
            numbered("提升产品质量", 1),
            numbered("推进标准化建设（市场监管局牵头）", 2),
            numbered("加强计量基础（市场监管局）", 2),
            numbered("优化营商环境", 1),
            numbered("简化审批（发改局）", 2),
            new Paragraph("附表"),
            new Table({
              rows: [
                new TableRow({ children: [cell("序号"), cell("工作任务"), cell("牵头单位")] }),
                new TableRow({ children: [serial(""), cell("推进质量强县建设"), cell("县市场监管局")] }),
                new TableRow({ children: [serial(""), cell("开展质量提升行动"), cell("县工信局")] }),
              ],
            }),
            numbered("保障措施", 0),
          ],
        },
      ],
    });
    const { text } = await readPlanDocument("方案.docx", new Uint8Array(await Packer.toBuffer(document)));
    expect(text.split("\n")).toEqual([
      "一、总体要求",
      "二、主要任务",
      "（一）提升产品质量",
      "1.推进标准化建设（市场监管局牵头）",
      "2.加强计量基础（市场监管局）",
      "（二）优化营商环境",
      "1.简化审批（发改局）",
      "附表",
      "序号\t工作任务\t牵头单位",
      "1\t推进质量强县建设\t县市场监管局",
      "2\t开展质量提升行动\t县工信局",
      "三、保障措施",
    ]);
  });

  it("the seed plan written into a .docx paragraph by paragraph parses to the same tasks and units as its text", async () => {
    const bytes = await docxOf(seedText.split(/\r?\n/).map((line) => new Paragraph(line)));
    const { text } = await readPlanDocument("同江市质量强市方案.docx", bytes);
    const fromDocx = parsePlan(text);
    const fromText = parsePlan(seedText);
    expect(fromDocx.groups).toHaveLength(6);
    expect(tasksOf(fromDocx)).toEqual(tasksOf(fromText));
  });
});

describe("readPlanDocument: Excel", () => {
  it("reads every sheet, a title row above the header, merged cells once, dates and numbers as displayed", async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet("任务分解表");
      sheet.addRow(["2026年重点工作任务分解表"]);
      sheet.mergeCells("A1:F1");
      sheet.addRow(["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "目标值"]);
      sheet.addRow([1, "推进质量强县\n建设", "县市场监管局", "县发改局、县财政局", new Date(Date.UTC(2026, 11, 31)), 0.95]);
      sheet.getCell("E3").numFmt = 'yyyy"年"m"月"d"日"';
      sheet.getCell("F3").numFmt = "0%";
      sheet.addRow([2, { richText: [{ text: "开展" }, { text: "质量提升行动", font: { bold: true } }] }, null, "县工信局", new Date(Date.UTC(2026, 5, 30)), 12.5]);
      sheet.mergeCells("C3:C4");
      sheet.addRow([]);
      const notes = workbook.addWorksheet("说明");
      notes.addRow(["本表由县政府办公室汇总", null, null]);
    });
    const document = await readPlanDocument("任务分解表.xlsx", bytes);
    expect(document.format).toBe("xlsx");
    expect(document.text.split("\n")).toEqual([
      "2026年重点工作任务分解表",
      "序号\t工作任务\t牵头单位\t配合单位\t完成时限\t目标值",
      "1\t推进质量强县 建设\t县市场监管局\t县发改局、县财政局\t2026年12月31日\t95%",
      "2\t开展质量提升行动\t\t县工信局\t2026-06-30\t12.5",
      "本表由县政府办公室汇总",
    ]);
  });
});

describe("the same 任务分解表 as text, as a Word table and as an Excel sheet", () => {
  const title = "某县2026年重点工作任务分解表";
  const header = ["序号", "重点工作", "分管县领导", "牵头单位", "责任单位", "完成时限"];
  const rows: string[][] = [
    header,
    ["一、质量提升"],
    ["1", "推进质量强县建设，全面提升产品质量", "张三", "县市场监管局", "县发改局、县财政局", "2026年12月31日"],
    ["2", "开展质量提升行动", "李四", "县工信局", "县商务局、各乡镇人民政府", "2026年6月30日"],
    ["二、营商环境"],
    ["3", "优化营商环境", "王五", "县发改局", "县政务服务中心", "长期坚持"],
  ];
  const text = [title, ...rows.map((r) => r.join("\t"))].join("\n");

  it("the parser finds the tasks in the text", () => {
    const plan = parsePlan(text);
    expect(plan.groups.map((g) => g.tasks.map((t) => [t.number, t.units.map((u) => `${u.name}:${u.role}`).join(" ")]))).toEqual([
      [
        ["1", "县市场监管局:lead 县发改局:support 县财政局:support"],
        ["2", "县工信局:lead 县商务局:support"],
      ],
      [["3", "县发改局:lead 县政务服务中心:support"]],
    ]);
  });

  it("a Word table (title paragraph, group rows merged across) reads as the text and gives the same tasks", async () => {
    const document = await readPlanDocument("分解表.docx", await planDocx([title, rows]));
    expect(document.text).toBe(text);
    expect(tasksOf(parsePlan(document.text))).toEqual(tasksOf(parsePlan(text)));
  });

  it("an Excel sheet (merged title row, group rows merged across, real dates) reads as the text and gives the same tasks", async () => {
    const date = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
    const sheetRows = [[title], ...rows.map((r) => (r[0] === "1" ? [...r.slice(0, 5), date(2026, 12, 31)] : r[0] === "2" ? [...r.slice(0, 5), date(2026, 6, 30)] : r))];
    const bytes = await planXlsx([
      {
        name: "任务分解表",
        rows: sheetRows,
        merges: ["A1:F1", "A3:F3", "A6:F6"],
        numFmts: { F4: 'yyyy"年"m"月"d"日"', F5: 'yyyy"年"m"月"d"日"' },
      },
    ]);
    const document = await readPlanDocument("分解表.xlsx", bytes);
    expect(document.text).toBe(text);
    expect(tasksOf(parsePlan(document.text))).toEqual(tasksOf(parsePlan(text)));
  });
});

describe("readPlanDocument: text", () => {
  const plan = "一、总体要求（市质监局牵头）";
  it("reads UTF-8 with and without a BOM, UTF-16 with a BOM, and GBK/GB18030", async () => {
    const utf8 = new TextEncoder().encode(plan);
    expect((await readPlanDocument("a.txt", utf8)).text).toBe(plan);
    expect((await readPlanDocument("a.txt", new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).text).toBe(plan);
    const utf16 = new Uint8Array(2 + plan.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < plan.length; i++) new DataView(utf16.buffer).setUint16(2 + i * 2, plan.charCodeAt(i), true);
    expect((await readPlanDocument("a.txt", utf16)).text).toBe(plan);
    // The same line as a Windows "ANSI" (GBK) save.
    const gbk = Buffer.from("d2bba1a2d7dccce5d2aac7f3a3a8cad0d6cabce0bed6c7a3cdb7a3a9", "hex");
    expect((await readPlanDocument("a.TXT", new Uint8Array(gbk))).text).toBe(plan);
  });

  it("normalises Windows line endings", async () => {
    expect((await readPlanDocument("a.txt", new TextEncoder().encode("甲\r\n乙\r丙"))).text).toBe("甲\n乙\n丙");
  });
});

describe("readPlanDocument: bad input is refused with a code and a Chinese message", () => {
  it.each([
    ["方案.doc", "旧版 Word 文档（.doc）"],
    ["方案.wps", "WPS 文字文档（.wps）"],
    ["方案.pdf", "PDF 文件"],
    ["分解表.xls", "旧版 Excel 工作簿（.xls）"],
    ["分解表.et", "WPS 表格文件（.et）"],
    ["方案.png", "“.png”文件"],
    ["方案", "没有扩展名的文件"],
  ])("%s", async (fileName, what) => {
    const error = await refusal(fileName, new TextEncoder().encode("一、总体要求"));
    expect(error.code).toBe("unsupported-format");
    expect(error.message).toBe(`暂不支持${what}。请另存为 Word 文档（.docx）、Excel 工作簿（.xlsx）或纯文本（.txt）后再上传，也可以直接粘贴方案全文。`);
  });

  it("an empty file", async () => {
    for (const name of ["a.txt", "a.docx", "a.xlsx"]) {
      const error = await refusal(name, new Uint8Array());
      expect(error.code).toBe("empty-file");
      expect(error.message).toBe(`文件“${name}”是空的（0 字节）。`);
    }
  });

  it("binary garbage named .txt, and a text of only blank lines", async () => {
    let seed = 7;
    const garbage = new Uint8Array(4096).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff);
    const error = await refusal("plan.txt", garbage);
    expect(error.code).toBe("not-text");
    expect(error.message).toMatch(/^文件“plan.txt”不是文本文件/);
    expect((await refusal("blank.txt", new TextEncoder().encode("\n  \n\t\n"))).code).toBe("no-text");
  });

  it("a Word document renamed to .txt says what it is", async () => {
    const error = await refusal("plan.txt", await docxOf([new Paragraph("一、总体要求")]));
    expect(error.code).toBe("not-text");
    expect(error.message).toContain("扩展名是 .txt，内容却是 Word/Excel/PDF 等文档");
  });

  it("a .docx that is not a zip, a .doc renamed to .docx, and a workbook renamed to .docx", async () => {
    const text = await refusal("plan.docx", new TextEncoder().encode("一、总体要求"));
    expect(text.code).toBe("corrupt-document");
    expect(text.message).toMatch(/^无法读取Word文件“plan.docx”：文件内容不是有效的 Office 文档/);
    const ole = await refusal("plan.docx", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    expect(ole.message).toContain("它实际上是旧版 Word/Excel/WPS 格式");
    const workbook = await xlsxOf((w) => w.addWorksheet("表").addRow(["序号", "工作任务", "牵头单位"]));
    const renamed = await refusal("plan.docx", workbook);
    expect(renamed.code).toBe("corrupt-document");
    expect(renamed.message).toContain("这不是 Word 文档（缺少正文部分）");
    const truncated = await refusal("plan.docx", (await docxOf([new Paragraph("一、总体要求")])).subarray(0, 200));
    expect(truncated.code).toBe("corrupt-document");
  });

  it("a .docx whose document XML is broken", async () => {
    const zip = await JSZip.loadAsync(await docxOf([new Paragraph("一、总体要求")]));
    zip.file("word/document.xml", "<w:document><w:body><w:p>");
    const error = await refusal("plan.docx", new Uint8Array(await zip.generateAsync({ type: "uint8array" })));
    expect(error.code).toBe("corrupt-document");
  });

  it("a .docx with no text (a scan, or empty paragraphs)", async () => {
    const error = await refusal("扫描件.docx", await docxOf([new Paragraph(""), new Paragraph("   "), new Table({ rows: [new TableRow({ children: [cell("")] })] })]));
    expect(error.code).toBe("no-text");
    expect(error.message).toContain("没有可读取的文字");
  });

  it("a spreadsheet without a recognisable header row, and an empty one", async () => {
    const noHeader = await xlsxOf((w) => {
      const sheet = w.addWorksheet("Sheet1");
      sheet.addRow(["一、总体要求"]);
      sheet.addRow(["1", "推进质量强县建设", "县市场监管局"]);
    });
    const error = await refusal("分解表.xlsx", noHeader);
    expect(error.code).toBe("no-header-row");
    expect(error.message).toContain("没有找到任务分解表的表头行");
    const empty = await refusal("空.xlsx", await xlsxOf((w) => w.addWorksheet("Sheet1")));
    expect(empty.code).toBe("no-text");
    const notZip = await refusal("分解表.xlsx", new TextEncoder().encode("序号\t工作任务"));
    expect(notZip.code).toBe("corrupt-document");
    const wordAsXlsx = await refusal("分解表.xlsx", await docxOf([new Paragraph("序号")]));
    expect(wordAsXlsx.message).toContain("这不是 Excel 工作簿");
  });
});
