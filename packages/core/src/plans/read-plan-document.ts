import { DOMParser, type Element as XmlElement, type Node as XmlNode } from "@xmldom/xmldom";
import type * as ExcelJS from "exceljs";
import { loadExcel } from "../exports/round-ledger-xlsx.ts";
import JSZip from "jszip";
import { isTaskTableHeader } from "@duban/domain/plan-table";
import { type ListNumbering, readNumbering } from "./docx-numbering.ts";

/**
 * Turns a plan as an office receives it (.txt, .docx, .xlsx) into the text form the plan parser reads
 * (see helper contract: a Word paragraph = a line, a table row / sheet row = cells joined by "\t").
 *
 * Word: the document XML is read through jszip and a real XML parser rather than mammoth, because mammoth
 * flattens tables into paragraphs (raw text) or HTML we would have to parse again; walking w:body keeps
 * paragraphs and table rows in document order, vertical merges are visible (w:vMerge) so their text is
 * not repeated, and automatic list numbers can be written in (docx-numbering.ts).
 */

export type PlanDocumentFormat = "txt" | "docx" | "xlsx";

export type PlanDocumentErrorCode =
  | "unsupported-format" // .doc, .wps, .pdf, .xls, .et, anything that is not .txt/.docx/.xlsx
  | "empty-file"
  | "not-text" // a .txt that is binary, or in no encoding we recognise
  | "corrupt-document" // a .docx/.xlsx that is not a valid zip package of its kind
  | "no-text" // a document with nothing to read
  | "no-header-row"; // a spreadsheet without a 序号/任务/责任单位… header row

/** A file we cannot turn into plan text. `message` is Chinese and says what the office can do. */
export class PlanDocumentError extends Error {
  override readonly name = "PlanDocumentError";
  readonly code: PlanDocumentErrorCode;
  constructor(code: PlanDocumentErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface PlanDocument {
  fileName: string;
  format: PlanDocumentFormat;
  /** The text form of the document, lines separated by "\n". */
  text: string;
}

const ASK_FOR_SUPPORTED = "请另存为 Word 文档（.docx）、Excel 工作簿（.xlsx）或纯文本（.txt）后再上传，也可以直接粘贴方案全文。";

const LEGACY: Record<string, string> = {
  doc: "旧版 Word 文档（.doc）",
  wps: "WPS 文字文档（.wps）",
  pdf: "PDF 文件",
  xls: "旧版 Excel 工作簿（.xls）",
  et: "WPS 表格文件（.et）",
  rtf: "RTF 文档",
  odt: "OpenDocument 文档（.odt）",
  ods: "OpenDocument 表格（.ods）",
};

export function planDocumentFormat(fileName: string): PlanDocumentFormat | null {
  const ext = extensionOf(fileName);
  return ext === "txt" || ext === "docx" || ext === "xlsx" ? ext : null;
}

function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

export async function readPlanDocument(fileName: string, bytes: Uint8Array): Promise<PlanDocument> {
  const ext = extensionOf(fileName);
  const format = planDocumentFormat(fileName);
  if (!format) {
    const what = LEGACY[ext] ?? (ext ? `“.${ext}”文件` : "没有扩展名的文件");
    throw new PlanDocumentError("unsupported-format", `暂不支持${what}。${ASK_FOR_SUPPORTED}`);
  }
  if (bytes.byteLength === 0) throw new PlanDocumentError("empty-file", `文件“${fileName}”是空的（0 字节）。`);
  const text = format === "txt" ? decodeText(fileName, bytes) : format === "docx" ? await readDocx(fileName, bytes) : await readXlsx(fileName, bytes);
  if (text.trim() === "") throw new PlanDocumentError("no-text", `文件“${fileName}”中没有可读取的文字（扫描件、图片中的文字无法读取，请提供文字版）。`);
  return { fileName, format, text };
}

// ---------------------------------------------------------------- text

function decodeText(fileName: string, bytes: Uint8Array): string {
  const notText = (): never => {
    throw new PlanDocumentError("not-text", `文件“${fileName}”不是文本文件（看起来是二进制数据）。${ASK_FOR_SUPPORTED}`);
  };
  if (looksLikeZip(bytes) || startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]) || startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) {
    // A Word/Excel/PDF file renamed to .txt: say what it really is rather than "binary".
    throw new PlanDocumentError("not-text", `文件“${fileName}”扩展名是 .txt，内容却是 Word/Excel/PDF 等文档。${ASK_FOR_SUPPORTED}`);
  }
  let text: string;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) text = strictDecode("utf-8", bytes.subarray(3)) ?? notText();
  else if (startsWith(bytes, [0xff, 0xfe])) text = strictDecode("utf-16le", bytes.subarray(2)) ?? notText();
  else if (startsWith(bytes, [0xfe, 0xff])) text = strictDecode("utf-16be", bytes.subarray(2)) ?? notText();
  // No BOM: UTF-8 when it is valid UTF-8, else GB18030 (a superset of GBK/GB2312), which Chinese offices'
  // Windows machines write by default. Valid UTF-8 is rarely also plausible GBK, so the order is safe.
  else text = strictDecode("utf-8", bytes) ?? strictDecode("gb18030", bytes) ?? notText();
  if (!isPlausibleText(text)) notText();
  return text.replace(/\r\n?/g, "\n");
}

function strictDecode(encoding: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Binary data often decodes "successfully" as GB18030 (it maps nearly every byte pair): reject control characters. */
function isPlausibleText(text: string): boolean {
  if (text.includes("\u0000")) return false;
  const sample = text.slice(0, 20_000);
  let control = 0;
  for (const ch of sample) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || (c >= 0x7f && c < 0xa0) || c === 0xfffd) control++;
  }
  return control <= Math.max(2, sample.length * 0.01);
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function looksLikeZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
}

// ---------------------------------------------------------------- zip packages

function legacyHint(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return "它实际上是旧版 Word/Excel/WPS 格式（.doc/.xls/.wps/.et）";
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return "它实际上是 PDF 文件";
  return "文件内容不是有效的 Office 文档，可能已损坏或只是改了扩展名";
}

async function openPackage(fileName: string, bytes: Uint8Array, kind: "Word" | "Excel", mainPart: string): Promise<JSZip> {
  const corrupt = (why: string): never => {
    throw new PlanDocumentError("corrupt-document", `无法读取${kind}文件“${fileName}”：${why}。${ASK_FOR_SUPPORTED}`);
  };
  if (!looksLikeZip(bytes)) corrupt(legacyHint(bytes));
  let zip: JSZip | null = null;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    corrupt("文件已损坏（压缩包无法打开）");
  }
  if (!zip!.file(mainPart)) corrupt(kind === "Word" ? "这不是 Word 文档（缺少正文部分）" : "这不是 Excel 工作簿（缺少工作簿部分）");
  return zip!;
}

// ---------------------------------------------------------------- docx

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

async function readDocx(fileName: string, bytes: Uint8Array): Promise<string> {
  const zip = await openPackage(fileName, bytes, "Word", "word/document.xml");
  const xml = await zip.file("word/document.xml")!.async("string");
  let body: XmlElement | undefined;
  try {
    // Errors are reported by the refusal below, not on the console.
    const doc = new DOMParser({ onError: () => {} }).parseFromString(xml, "text/xml");
    body = childElements(doc.documentElement as unknown as XmlElement).find((e) => e.localName === "body" && e.namespaceURI === W);
  } catch {
    body = undefined;
  }
  if (!body) throw new PlanDocumentError("corrupt-document", `无法读取 Word 文件“${fileName}”：正文无法解析，文件可能已损坏。${ASK_FOR_SUPPORTED}`);
  const numbering = readNumbering((await zip.file("word/numbering.xml")?.async("string")) ?? null);
  const lines: string[] = [];
  readBlocks(body, lines, numbering);
  return lines.join("\n");
}

function childElements(node: XmlNode): XmlElement[] {
  const out: XmlElement[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as XmlElement);
  return out;
}

function isW(e: XmlElement, name: string): boolean {
  return e.localName === name && e.namespaceURI === W;
}

/** Body-level content in document order; wrappers (content controls, custom XML, tracked insertions) are entered. */
function readBlocks(parent: XmlElement, lines: string[], numbering: ListNumbering): void {
  for (const e of childElements(parent)) {
    if (isW(e, "p")) {
      for (const line of paragraphText(e, numbering).split("\n")) if (line.trim() !== "") lines.push(line.trimEnd());
    } else if (isW(e, "tbl")) {
      for (const row of tableRows(e, numbering)) lines.push(row);
    } else if (isW(e, "sectPr") || isW(e, "del")) {
      continue;
    } else {
      readBlocks(e, lines, numbering);
    }
  }
}

/** A paragraph's visible text, with its list number; a manual line break (Shift+Enter) starts a new line, as on the page. */
function paragraphText(p: XmlElement, numbering: ListNumbering): string {
  let text = listNumber(p, numbering);
  const walk = (node: XmlElement): void => {
    for (const e of childElements(node)) {
      if (e.namespaceURI === W) {
        switch (e.localName) {
          case "t":
            text += e.textContent ?? "";
            continue;
          case "tab":
          case "ptab":
            // Tabs inside a paragraph align text; "\t" is reserved for table cells in the text form.
            text += " ";
            continue;
          case "br":
          case "cr":
            if (e.getAttributeNS(W, "type") !== "page" && e.getAttributeNS(W, "type") !== "column") text += "\n";
            continue;
          case "noBreakHyphen":
            text += "-";
            continue;
          // Deleted revisions, field codes, text boxes and footnote marks are not the paragraph's text.
          case "del":
          case "delText":
          case "instrText":
          case "txbxContent":
          case "pPr":
          case "rPr":
            continue;
        }
      } else if (e.localName === "Fallback") {
        continue; // mc:AlternateContent repeats its choice as a fallback
      }
      walk(e);
    }
  };
  walk(p);
  return text;
}

function listNumber(p: XmlElement, numbering: ListNumbering): string {
  const pPr = childElements(p).find((e) => isW(e, "pPr"));
  const numPr = pPr && childElements(pPr).find((e) => isW(e, "numPr"));
  if (!numPr) return "";
  const attr = (name: string) => {
    const e = childElements(numPr).find((c) => isW(c, name));
    return e ? e.getAttributeNS(W, "val") || e.getAttribute("w:val") : null;
  };
  const numId = attr("numId");
  if (!numId || numId === "0") return "";
  return numbering.next(numId, Number(attr("ilvl") ?? 0));
}

function cellText(tc: XmlElement, numbering: ListNumbering): string {
  const parts: string[] = [];
  const walk = (node: XmlElement): void => {
    for (const e of childElements(node)) {
      if (isW(e, "p")) parts.push(paragraphText(e, numbering));
      else if (isW(e, "tbl")) parts.push(...tableRows(e, numbering));
      else if (!isW(e, "tcPr")) walk(e);
    }
  };
  walk(tc);
  return oneLine(parts.join(" "));
}

function tableRows(tbl: XmlElement, numbering: ListNumbering): string[] {
  const rows: string[] = [];
  const collectRows = (node: XmlElement): XmlElement[] =>
    childElements(node).flatMap((e) => (isW(e, "tr") ? [e] : isW(e, "tblPr") || isW(e, "tblGrid") ? [] : collectRows(e)));
  for (const tr of collectRows(tbl)) {
    const collectCells = (node: XmlElement): XmlElement[] =>
      childElements(node).flatMap((e) => (isW(e, "tc") ? [e] : isW(e, "trPr") || isW(e, "tblPrEx") ? [] : collectCells(e)));
    const cells = collectCells(tr).map((tc) => (isVerticalContinuation(tc) ? "" : cellText(tc, numbering)));
    const line = joinCells(cells);
    if (line !== "") rows.push(line);
  }
  return rows;
}

/** A cell continuing a vertical merge: the text belongs to the cell above and is not repeated. */
function isVerticalContinuation(tc: XmlElement): boolean {
  const tcPr = childElements(tc).find((e) => isW(e, "tcPr"));
  const vMerge = tcPr && childElements(tcPr).find((e) => isW(e, "vMerge"));
  if (!vMerge) return false;
  const val = vMerge.getAttributeNS(W, "val") || vMerge.getAttribute("w:val");
  return val !== "restart";
}

/** Cell text on one line: its own line breaks and tabs become spaces, so "\t" only ever separates cells. */
function oneLine(text: string): string {
  return text.replace(/[\t\r\n\u000b]+/g, " ").replace(/ {2,}/g, " ").trim();
}

function joinCells(cells: string[]): string {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === "") end--;
  return cells.slice(0, end).join("\t");
}

// ---------------------------------------------------------------- xlsx

async function readXlsx(fileName: string, bytes: Uint8Array): Promise<string> {
  await openPackage(fileName, bytes, "Excel", "xl/workbook.xml");
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new PlanDocumentError("corrupt-document", `无法读取 Excel 文件“${fileName}”：工作簿无法解析，文件可能已损坏。${ASK_FOR_SUPPORTED}`);
  }
  const lines: string[] = [];
  let headerFound = false;
  let anyText = false;
  workbook.eachSheet((sheet) => {
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) {
        const cell = row.getCell(c);
        // A merged range keeps its value in its top-left (master) cell; the others repeat it, so skip them.
        cells.push(cell.isMerged && cell.master !== cell ? "" : oneLine(displayText(cell)));
      }
      const line = joinCells(cells);
      if (line === "") continue;
      anyText = true;
      if (isTaskTableHeader(line)) headerFound = true;
      lines.push(line);
    }
  });
  if (!anyText) throw new PlanDocumentError("no-text", `Excel 文件“${fileName}”中没有可读取的文字。`);
  if (!headerFound) {
    throw new PlanDocumentError(
      "no-header-row",
      `Excel 文件“${fileName}”中没有找到任务分解表的表头行（例如“序号、工作任务、牵头单位、责任单位、完成时限”）。请确认表格有表头行，或把方案正文粘贴为文本。`,
    );
  }
  return lines.join("\n");
}

/** The cell as the office sees it: dates as dates, percentages as percentages, rich text as its text. */
function displayText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return "";
  const numFmt = cell.numFmt ?? "";
  const result = typeof value === "object" && !(value instanceof Date) && "result" in value ? value.result : value;
  if (result instanceof Date) return formatDate(result, numFmt);
  if (typeof result === "number") {
    if (/%/.test(numFmt)) {
      const decimals = /\.(0+)%/.exec(numFmt)?.[1]?.length ?? 0;
      return `${(result * 100).toFixed(decimals)}%`;
    }
    const fixed = /^[#,]*0\.(0+)$/.exec(numFmt.replace(/\\/g, ""));
    if (fixed) return result.toFixed(fixed[1]!.length);
    return String(result);
  }
  if (typeof result === "boolean") return result ? "TRUE" : "FALSE";
  if (typeof result === "string") return result;
  if (result && typeof result === "object" && "error" in result) return String(result.error);
  return cell.text ?? "";
}

/** Excel stores a date as a serial day without zone; exceljs hands it over as that day at 00:00 UTC. */
function formatDate(date: Date, numFmt: string): string {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  const time = date.getUTCHours() || date.getUTCMinutes() ? ` ${String(date.getUTCHours()).padStart(2, "0")}:${String(date.getUTCMinutes()).padStart(2, "0")}` : "";
  if (numFmt.includes("年")) {
    if (numFmt.includes("日")) return `${y}年${m}月${d}日${time}`;
    if (numFmt.includes("月")) return `${y}年${m}月`;
    return `${y}年`;
  }
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}${time}`;
}
