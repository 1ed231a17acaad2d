/**
 * Task tables: a Word table or an Excel 任务分解表 arrives as tab-separated lines, one row per
 * line. A table is recognised by its header row (序号 / 任务 / 牵头单位 / 责任单位 / 完成时限 …);
 * title rows above it are ordinary text. Each row under it is a task, a group heading (a row
 * with a 一、/（一） number or a lone cell and no units), or the continuation of the task above
 * (a merged number/task cell repeats no text).
 */
import { readLabelledUnits } from "./plan-assignments.ts";
import { readMarker } from "./plan-numbering.ts";
import { cleanSpaces, trimPunct } from "./plan-text.ts";
import type { WrittenRole, WrittenUnit } from "./plan-units.ts";

type Column = "number" | "task" | "leader" | "lead" | "support" | "generic" | "deadline" | "other";

/** Header cell → column. Order matters: "牵头责任单位" is a lead column, "分管县领导" a leader. */
function columnOf(cell: string): Column {
  const c = cell.replace(/\s+/g, "");
  if (c === "") return "other";
  if (/^(序号|编号|序|项次|No\.?)$/i.test(c)) return "number";
  if (/领导|责任人/.test(c)) return "leader";
  if (/(牵头|主责|主办|指导部门|指导单位)/.test(c)) return "lead";
  if (/(配合|协同|协作|协办|参与)/.test(c)) return "support";
  if (/(责任|负责|承办|实施)(单位|部门|主体)/.test(c)) return "generic";
  if (/(时限|时间|期限|节点|进度)/.test(c)) return "deadline";
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
  const hasTask = columns.includes("task");
  const hasUnits = columns.some((c) => c === "lead" || c === "support" || c === "generic");
  return hasTask && hasUnits ? columns : null;
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

export function readTables(text: string): Tables {
  const raw = text.split("\n");
  const tables: Tables = { groups: [], lines: new Set() };
  let columns: Column[] | null = null;
  let group: TableGroup | null = null;
  let last: TableTask | null = null;
  let gap = 0;
  const newGroup = (number: string, heading: string) => {
    group = { number, heading, tasks: [] };
    tables.groups.push(group);
  };
  raw.forEach((line, i) => {
    const lineNo = i + 1;
    const header = readHeaderRow(line);
    if (header) {
      columns = header;
      tables.lines.add(lineNo);
      newGroup("", "");
      last = null;
      gap = 0;
      return;
    }
    if (!columns || line.trim() === "") return;
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
    const task = (taskCells.length > 1 ? taskCells.slice(1) : taskCells).filter((v) => v !== "").join("\n");
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
