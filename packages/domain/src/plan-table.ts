/**
 * Task tables: a Word table or an Excel 任务分解表 arrives as tab-separated lines, one row per
 * line. A table is recognised by its header row (序号 / 任务 / 牵头单位 / 责任单位 / 完成时限 …);
 * title rows above it are ordinary text. Each row under it is a task, a group heading (a row
 * with a 一、/（一） number or a lone cell and no units), or the continuation of the task above
 * (a merged number/task cell repeats no text).
 */
import { LEAD_RULE_RE, readLabelledUnits } from "./plan-assignments.ts";
import { readMarker } from "./plan-numbering.ts";
import { cleanSpaces, trimPunct } from "./plan-text.ts";
import type { WrittenRole, WrittenUnit } from "./plan-units.ts";

type Column = "number" | "problem" | "task" | "leader" | "lead" | "support" | "generic" | "deadline" | "other";

/** Header cell → column. Order matters: "牵头责任单位" is a lead column, "分管县领导" a leader. */
function columnOf(cell: string): Column {
  const c = cell.replace(/\s+/g, "");
  if (c === "") return "other";
  if (/^(序号|编号|序|项次|No\.?)$/i.test(c)) return "number";
  if (/领导|责任人/.test(c)) return "leader";
  // "责任单位（排在第一位的为牵头单位）", "牵头及配合单位": one list, its first unit leads.
  if (LEAD_RULE_RE.test(c) || (/牵头|主责|主办/.test(c) && /配合|协同|协作|协办|参与/.test(c))) return "generic";
  if (/(牵头|主责|主办|指导部门|指导单位)/.test(c) || /^(主要|第一)(责任)?(单位|部门)/.test(c)) return "lead";
  if (/^(其他|次要)(责任)?(单位|部门)/.test(c)) return "support";
  if (/(配合|协同|协作|协办|参与)/.test(c)) return "support";
  if (/(责任|负责|承办|实施)(单位|部门|主体|科室|股室|处室)/.test(c)) return "generic";
  if (/(时限|时间|期限|节点|进度)/.test(c)) return "deadline";
  // An 整改 ledger tracks each problem (存在问题 / 反馈问题): it names the row, its 整改措施 follow.
  if (/问题/.test(c) && !/措施|任务/.test(c) && c.length <= 12) return "problem";
  if (/(任务|举措|措施|重点工作|工作内容|工作事项|事项|内容|目标|项目|名称)/.test(c) && c.length <= 12) return "task";
  return "other";
}

export interface TableTask {
  number: string;
  line: number;
  text: string;
  written: WrittenUnit[];
  deadlines: string[];
  leaders: string[];
}

export interface TableGroup {
  number: string;
  heading: string;
  tasks: TableTask[];
}

export interface Tables {
  groups: TableGroup[];
  /** Lines that belong to a table (header included): the outline reader skips them. */
  lines: Set<number>;
}

const cells = (line: string) => line.split("\t").map((c) => cleanSpaces(c));

function readHeaderRow(line: string): Column[] | null {
  if (!line.includes("\t")) return null;
  const columns = cells(line).map(columnOf);
  const hasTask = columns.includes("task") || columns.includes("problem");
  const hasUnits = columns.some((c) => c === "lead" || c === "support" || c === "generic");
  return hasTask && hasUnits ? columns : null;
}

/** A header's second row: only short header words (牵头单位, 配合, 领导…), no number, no task text. */
function subHeader(values: string[]): Array<Column | undefined> | null {
  const kinds = values.map((v) => (v === "" ? undefined : columnOf(v)));
  const named = kinds.filter((k) => k !== undefined);
  if (named.length === 0) return null;
  const ok = values.every((v, c) => v === "" || (v.length <= 8 && kinds[c] !== "other" && kinds[c] !== "number" && kinds[c] !== "task" && kinds[c] !== "problem"));
  return ok ? kinds : null;
}

const ROLE_OF: Partial<Record<Column, WrittenRole>> = { lead: "lead", support: "support", generic: "generic" };

/** "1", "1.1", "一、", "（三）", "80": a number cell; the trailing separator is dropped. */
function numberOf(cell: string): string {
  return cell.replace(/[、.．\s]+$/, "");
}

/** A heading row: 一、/（一） numbering or a lone cell, and no units. */
function isGroupRow(values: string[], number: string, hasUnits: boolean): boolean {
  if (hasUnits) return false;
  const filled = values.filter((v) => v !== "");
  const kind = readMarker(filled[0] ?? "")?.kind ?? readMarker(`${number}、x`)?.kind;
  return filled.length === 1 || kind === "cn-dun" || kind === "cn-paren" || kind === "chapter";
}

/** Display width of a character in a monospaced layout: CJK and full-width forms take two columns. */
function widthOf(ch: string): number {
  const c = ch.charCodeAt(0);
  return c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6)) ? 2 : 1;
}

/** Cells of a line whose columns are aligned with runs of spaces, each with its display column. */
function spacedCells(line: string): Array<{ at: number; text: string }> {
  const out: Array<{ at: number; text: string }> = [];
  let col = 0;
  let cell: { at: number; text: string } | null = null;
  let spaces = 0;
  for (const ch of line.replace(/\u3000/g, "  ").replace(/\u00a0/g, " ")) {
    if (ch === " ") {
      spaces++;
    } else {
      if (cell && spaces >= 2) {
        out.push(cell);
        cell = null;
      }
      if (cell) cell.text += " ".repeat(spaces) + ch;
      else cell = { at: col, text: ch };
      spaces = 0;
    }
    col += widthOf(ch);
  }
  if (cell) out.push(cell);
  return out;
}

const SPACE_RUN_RE = /[ \u00a0\u3000]{2}|\u3000/;

const NUMBER_CELL_RE = /^[0-9０-９一二三四五六七八九十百（()）、.．]+$/;

/**
 * A table laid out with spaces (text taken from a PDF keeps its columns aligned): rewritten as
 * tab-separated rows on the same lines. A cell is placed under the header cell it starts under;
 * a line without a number while the table numbers its rows is a cell's wrapped text and is
 * joined to the row above (its own line left empty). The table ends at a line whose first
 * column holds something other than a number, or whose text runs across the columns (prose).
 */
function alignSpacedTables(raw: string[]): { lines: string[]; consumed: Set<number> } {
  const lines = [...raw];
  const consumed = new Set<number>();
  let starts: number[] | null = null;
  let numberColumn = -1;
  let rowIndex = -1;
  let rowValues: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.includes("\t")) {
      starts = null;
      continue;
    }
    // Most lines of a document are prose: no run of spaces, no header to look for.
    if (!starts && !SPACE_RUN_RE.test(line)) continue;
    const found = spacedCells(line);
    const header = found.length >= 3 ? found.map((c) => c.text).join("\t") : "";
    if (header !== "" && readHeaderRow(header)) {
      lines[i] = header;
      starts = found.map((c) => c.at);
      numberColumn = readHeaderRow(header)?.indexOf("number") ?? -1;
      rowIndex = -1;
      continue;
    }
    if (!starts || found.length === 0) continue;
    const values: string[] = starts.map(() => "");
    let spills = false;
    for (const cell of found) {
      let column = 0;
      starts.forEach((start, c) => {
        if (start <= cell.at + 2) column = c;
      });
      const next = starts[column + 1];
      if (next !== undefined && cell.at + [...cell.text].reduce((n, ch) => n + widthOf(ch), 0) > next + 2) spills = true;
      values[column] = values[column] === "" ? cell.text : `${values[column]} ${cell.text}`;
    }
    // Text running across the columns is prose after the table.
    if (spills) {
      starts = null;
      continue;
    }
    const number = numberColumn >= 0 ? (values[numberColumn] ?? "") : "";
    if (number !== "" && !NUMBER_CELL_RE.test(number)) {
      starts = null;
      continue;
    }
    if (number === "" && numberColumn >= 0 && rowIndex >= 0) {
      // Wrapped text: CJK runs on without a space, anything else with one.
      rowValues = rowValues.map((v, c) => {
        const more = values[c] ?? "";
        if (more === "" || v === "") return v + more;
        return /[\x00-\x7f]$/.test(v) && /^[\x00-\x7f]/.test(more) ? `${v} ${more}` : v + more;
      });
      lines[rowIndex] = rowValues.join("\t");
      lines[i] = "";
      consumed.add(i + 1);
      continue;
    }
    rowIndex = i;
    rowValues = values;
    lines[i] = values.join("\t");
  }
  return { lines, consumed };
}

/**
 * Tables copied from a web page with "|" between cells: "| 序号 | 任务 | 责任单位 |" rows (the
 * "|---|---|" rule under the header left empty), or one cell per line closed by " |". Rewritten
 * as tab-separated rows / bare cells.
 */
function unpipeTables(raw: string[]): { lines: string[]; consumed: Set<number> } {
  const consumed = new Set<number>();
  const lines = raw.map((line, i) => {
    if (/^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-{0,}:?\s*$/.test(line) && line.includes("-")) {
      consumed.add(i + 1);
      return "";
    }
    const row = /^\s*\|(.*)\|\s*$/.exec(line);
    if (row?.[1] !== undefined && row[1].includes("|") && !line.includes("\t")) return row[1].split("|").map((c) => c.trim()).join("\t");
    return /\S\s*\|\s*$/.test(line) && !line.includes("\t") ? line.replace(/\s*\|\s*$/, "") : line;
  });
  return { lines, consumed };
}

const WRAP_SPACE_RE = /(?<=[\u4e00-\u9fff，。、；：“”（）])\s(?=[\u4e00-\u9fff，。、；：“”（）])/g;
const TIME_CELL_RE = /^(?:\d{4}年|\d{1,2}月|年底|年内|全年|长期|持续|常态化|每年|每季度|每月|[上下]半年|立行立改)/;
const STACKED_NUMBER_RE = /^(\d{1,3})[.．、]?$/;
const STACKED_HEADING_RE = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])/;

/**
 * A table copied from a web page comes one cell per line (blank lines between them): "序号",
 * "主要工作任务", "责任单位", then "1", "地区生产总值增长6%左右。", "市发改委", "2", …. Rewritten as
 * tab-separated rows on the lines of the header's and each row's first cell (the others left
 * empty). A row runs from its number to the next number in sequence; extra lines belong to the
 * task cell (a cell of several paragraphs), missing ones are the last cells left empty. A
 * "一、"/"（一）" line between rows stays as it is: a group heading. After the last row, the
 * lines beyond one row's cells are prose.
 */
function stackCellTables(raw: string[]): { lines: string[]; consumed: Set<number> } {
  const lines = [...raw];
  const consumed = new Set<number>();
  const filled = (from: number) => {
    let j = from;
    while (j < lines.length && (lines[j] ?? "").trim() === "") j++;
    return j;
  };
  for (let i = 0; i < lines.length; i++) {
    if (columnOf(lines[i] ?? "") !== "number" || (lines[i] ?? "").includes("\t")) continue;
    // The header: short cells, one per line, up to the first row's "1".
    const headerAt = [i];
    let j = filled(i + 1);
    const isCell = (line: string) => !STACKED_NUMBER_RE.test(line.trim()) && !STACKED_HEADING_RE.test(line.trim()) && cleanSpaces(line).length <= 16 && !line.includes("\t");
    while (j < lines.length && headerAt.length < 10 && isCell(lines[j] ?? "")) {
      headerAt.push(j);
      j = filled(j + 1);
    }
    const header = headerAt.map((k) => cleanSpaces(lines[k] ?? "")).join("\t");
    const columns = readHeaderRow(header);
    // A group heading may come before the first row.
    let first = j;
    while (first < lines.length && STACKED_HEADING_RE.test((lines[first] ?? "").trim())) first = filled(first + 1);
    if (!columns || STACKED_NUMBER_RE.exec((lines[first] ?? "").trim())?.[1] !== "1") continue;
    j = first;
    const taskColumn = columns.indexOf("task");
    const width = columns.length;
    lines[i] = header;
    for (const k of headerAt.slice(1)) {
      lines[k] = "";
      consumed.add(k + 1);
    }
    let expected = 1;
    while (j < lines.length && STACKED_NUMBER_RE.exec((lines[j] ?? "").trim())?.[1] === String(expected)) {
      const rowAt = j;
      const cellsAt: number[] = [];
      j = filled(j + 1);
      while (j < lines.length && STACKED_NUMBER_RE.exec((lines[j] ?? "").trim())?.[1] !== String(expected + 1) && !STACKED_HEADING_RE.test((lines[j] ?? "").trim())) {
        cellsAt.push(j);
        j = filled(j + 1);
      }
      const last = j >= lines.length || (STACKED_HEADING_RE.test((lines[j] ?? "").trim()) && STACKED_NUMBER_RE.exec((lines[filled(j + 1)] ?? "").trim())?.[1] !== String(expected + 1));
      // After the last row, what follows its cells is prose.
      const mine = last ? cellsAt.slice(0, width - 1) : cellsAt;
      // A page wraps long cells where it likes, leaving a space inside a word ("工作机 制").
      const texts = mine.map((k) => cleanSpaces(lines[k] ?? "").replace(WRAP_SPACE_RE, ""));
      const extra = texts.length - (width - 1);
      if (extra > 0 && taskColumn > 0) texts.splice(taskColumn - 1, extra + 1, texts.slice(taskColumn - 1, taskColumn + extra).join(" "));
      // An empty cell leaves no line: a time limit that came early belongs to the 完成时限 column.
      const deadlineAt = columns.indexOf("deadline");
      if (texts.length < width - 1 && deadlineAt > texts.length && TIME_CELL_RE.test(texts[texts.length - 1] ?? "")) {
        const time = texts.pop() ?? "";
        while (texts.length < deadlineAt - 1) texts.push("");
        texts[deadlineAt - 1] = time;
      }
      const values = columns.map((_, c) => (c === columns.indexOf("number") ? String(expected) : (texts[c - 1] ?? "")));
      lines[rowAt] = values.join("\t");
      for (const k of mine) {
        lines[k] = "";
        consumed.add(k + 1);
      }
      expected++;
      if (last) break;
      // A group heading between rows stays a line of its own.
      while (j < lines.length && STACKED_HEADING_RE.test((lines[j] ?? "").trim())) j = filled(j + 1);
    }
    i = j - 1;
  }
  return { lines, consumed };
}

export function readTables(text: string): Tables {
  const unpiped = unpipeTables(text.split("\n"));
  const stacked = stackCellTables(unpiped.lines);
  const aligned = alignSpacedTables(stacked.lines);
  const raw = aligned.lines;
  const tables: Tables = { groups: [], lines: new Set([...unpiped.consumed, ...stacked.consumed, ...aligned.consumed]) };
  let columns: Column[] | null = null;
  let group: TableGroup | null = null;
  let last: TableTask | null = null;
  let gap = 0;
  let justHeaded = false;
  const newGroup = (number: string, heading: string) => {
    group = { number, heading, tasks: [] };
    tables.groups.push(group);
  };
  // Several tables (附件1, 附件2 …): each is a group named by the title line above its header.
  const several = raw.filter((l) => readHeaderRow(l)).length > 1;
  const titleAbove = (i: number) => {
    let j = i - 1;
    while (j >= 0 && (raw[j] ?? "").trim() === "") j--;
    const text = cleanSpaces(raw[j] ?? "");
    return text.length <= 40 && !text.includes("\t") && !/[。；;，,：:]/.test(text) && !/^附件/.test(text) ? trimPunct(text) : "";
  };
  raw.forEach((line, i) => {
    const lineNo = i + 1;
    const header = readHeaderRow(line);
    if (header) {
      columns = header;
      tables.lines.add(lineNo);
      newGroup("", several ? titleAbove(i) : "");
      last = null;
      gap = 0;
      justHeaded = true;
      return;
    }
    if (!columns || line.trim() === "") return;
    // A header over two rows ("责任单位" merged over "牵头单位 | 配合单位"): the second row names the columns under it.
    const sub = justHeaded && line.includes("\t") ? subHeader(cells(line)) : null;
    justHeaded = false;
    if (sub) {
      columns = columns.map((kind, c) => sub[c] ?? kind);
      tables.lines.add(lineNo);
      return;
    }
    if (!line.includes("\t")) {
      // A lone cell inside the table (a merged heading row); prose after the table ends it.
      const marker = readMarker(cleanSpaces(line));
      if (++gap > 1 || !marker || cleanSpaces(line).length > 40) {
        columns = null;
        return;
      }
      tables.lines.add(lineNo);
      newGroup(marker.number, trimPunct(marker.rest));
      last = null;
      return;
    }
    gap = 0;
    tables.lines.add(lineNo);
    const values = cells(line);
    const at = (kind: Column) => values.filter((_, c) => columns?.[c] === kind);
    const number = numberOf(at("number")[0] ?? "");
    // Two task columns ("重点任务 | 具体举措"): the first names the group (merged down its rows).
    const taskCells = at("task");
    const category = taskCells.length > 1 ? (taskCells[0] ?? "") : "";
    const task = [...at("problem"), ...(taskCells.length > 1 ? taskCells.slice(1) : taskCells)].filter((v) => v !== "").join("\n");
    if (category !== "" && (group as TableGroup | null)?.heading !== trimPunct(category)) {
      const marker = readMarker(category);
      newGroup(marker?.number ?? "", trimPunct(marker ? marker.rest : category));
      last = null;
    }
    const written: WrittenUnit[] = [];
    (columns as Column[]).forEach((kind, c) => {
      const role = ROLE_OF[kind];
      const value = values[c] ?? "";
      if (role && value !== "") written.push(...readLabelledUnits(value.replace(/[。\n]/g, "，"), role));
    });
    const deadlines = at("deadline").filter((v) => v !== "");
    const leaders = at("leader").filter((v) => v !== "");
    if (isGroupRow(values, number, written.length > 0)) {
      const heading = values.find((v) => v !== "" && v !== at("number")[0]) ?? values.find((v) => v !== "") ?? "";
      const marker = readMarker(heading);
      newGroup(number || (marker?.number ?? ""), trimPunct(marker ? marker.rest : heading));
      last = null;
      return;
    }
    if (number === "" && task === "" && last) {
      // A merged task cell: this row only adds units, deadlines or leaders to the task above.
      const above: TableTask = last;
      above.written.push(...written);
      above.deadlines.push(...deadlines);
      above.leaders.push(...leaders);
      return;
    }
    if (task === "" && written.length === 0) return;
    const current = group ?? (newGroup("", ""), group as unknown as TableGroup);
    last = { number: number || String(current.tasks.length + 1), line: lineNo, text: task, written, deadlines, leaders };
    current.tasks.push(last);
  });
  tables.groups = tables.groups.filter((g) => g.tasks.length > 0);
  return tables;
}

/** Whether a tab-separated line is a task table's header row: the .xlsx reader refuses a workbook without one. */
export function isTaskTableHeader(line: string): boolean {
  return readHeaderRow(line) !== null;
}
