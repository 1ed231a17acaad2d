/**
 * The work-plan parser: a government 工作方案/实施方案 as plain text → groups of numbered tasks,
 * each with its responsible units and roles, measurable indicators, deadline and reporting
 * cadences. Pure. A document it cannot read throws PlanParseError naming the line; it never
 * returns half a plan. Soft doubts go to `warnings`.
 */
import { ALL_LEAD_RULE_RE, hasAssignmentMarkup, LEAD_RULE_RE, MAY_STATE_LEAD_RULE_RE, resetScanCache, scanAssignments } from "./plan-assignments.ts";
import { extractCadences } from "./plan-cadences.ts";
import { failAt, PlanParseError } from "./plan-error.ts";
import { readHeader } from "./plan-header.ts";
import { extractIndicators } from "./plan-indicators.ts";
import { locateTasks, type OutlineGroup, type OutlineNode, ownText, subtreePieces, toBlocks } from "./plan-outline.ts";
import { readTables, type TableTask } from "./plan-table.ts";
import { cleanPlanText, foldWidth, joinPieces, type SourceLine, splitLines, splitOutsideBrackets, trimPunct } from "./plan-text.ts";
import { isCollectiveUnit, isPlaceholder, looksLikeUnit, MAX_UNIT_NAME_LENGTH, type WrittenUnit } from "./plan-units.ts";

export { PlanParseError } from "./plan-error.ts";
export { cleanPlanText } from "./plan-text.ts";
export { normalizeUnitName } from "./plan-units.ts";

export type PlanWarningCode =
  | "no-units" // task imported without units; the office assigns them
  | "lead-assumed" // no 牵头 marker and no document rule: first listed unit taken as lead
  | "duplicate-number" // two tasks with the same number; the office must resolve it in the preview
  | "unit-rejected" // a unit-like name refused (too long, a person, …), kept out of the units
  | "other";

export interface PlanWarning {
  code: PlanWarningCode;
  /** 1-based line in the (cleaned) source text. */
  line: number;
  /** Number of the task it concerns, as written, or null for plan-level warnings. */
  taskNumber: string | null;
  message: string;
}

export type UnitRole = "lead" | "support";
export type Comparator = ">=" | ">" | "<=" | "<" | "=";

export interface ParsedUnit {
  name: string;
  role: UnitRole;
  /** "…联席会议成员单位", "各成员单位", "各县（市、区）政府": stands for all its member units. */
  collective: boolean;
}

export interface ParsedIndicator {
  /** The clause it was read from, as written. */
  text: string;
  name: string;
  comparator: Comparator;
  value: number;
  /** "%", "项", "天", … or null when the target has no measure unit. */
  unit: string | null;
}

export interface ParsedCadence {
  kind: "quarterly" | "annual";
  /** The deliverable ("质量分析报告") or, without one, the recurring activity. */
  what: string;
  text: string;
}

export interface ParsedTask {
  /** As written, without the trailing separator: "5", "（三）", "(1)", "一是". */
  number: string;
  /** The first sentence, without annotations and final punctuation. */
  title: string;
  /** The rest of the task's text (sub-items included), without unit/deadline annotations. */
  body: string;
  units: ParsedUnit[];
  indicators: ParsedIndicator[];
  /** 完成时限/时间节点/完成时间 as written; several are joined with "；". */
  deadline: string | null;
  cadences: ParsedCadence[];
  /** 1-based line of the task's number in the original text. */
  line: number;
  /** A person who leads it (牵头负责领导, 分管领导, 分管县领导): never a unit. null when none. */
  leader: string | null;
  /** Open-ended placeholders (各有关部门, 各县、市、区政府, trailing …等) as written, joined by "、"; null when none. */
  unitNote: string | null;
}

export interface ParsedGroup {
  /** As written ("(一)", "一"), or "" for the implicit group of ungrouped tasks. */
  number: string;
  /** Without the number and final punctuation; the task section's name for the implicit group. */
  heading: string;
  tasks: ParsedTask[];
}

export interface ParsedPlan {
  title: string;
  docNumber: string | null;
  issuer: string | null;
  /** YYYY-MM-DD */
  date: string | null;
  groups: ParsedGroup[];
  /** Distinct normalised unit names in order of first appearance. */
  units: string[];
  /** Messages of `warningDetails`, same order. */
  warnings: string[];
  warningDetails: PlanWarning[];
}

/** Splits an item's text into its first sentence and the rest. */
function splitTitle(text: string): { title: string; body: string } {
  const [firstLine = "", ...otherLines] = text.split("\n");
  const first = splitOutsideBrackets(firstLine, /[。！？!?]/)[0]?.text ?? firstLine;
  const rest = firstLine.slice(first.length + 1).trim();
  return { title: trimPunct(first), body: [rest, ...otherLines].filter((l) => l.trim() !== "").join("\n").trim() };
}

/**
 * Sub-items of a task that name their own units. A sub-item counts when its own first line
 * assigns units, or when every sibling of its kind assigns units in its own lines ("（1）…" /
 * "责任单位：X" line after each). Label lines that follow only the last sub-item belong to the
 * task (units written on their own lines after the whole task), not to that sub-item.
 */
function subItemsWithUnits(node: OutlineNode): OutlineNode[] {
  return node.children.flatMap((child) => {
    const siblings = node.children.filter((c) => c.marker.kind === child.marker.kind);
    const owns = hasAssignmentMarkup(child.marker.rest) || (siblings.length > 1 && siblings.every((s) => hasAssignmentMarkup(ownText(s))));
    return owns ? [child] : subItemsWithUnits(child);
  });
}

/** "3" + "（1）" → "3(1)"; "4" + "一是" → "4(一是)"; "2" + "①" → "2①". */
function subtaskNumber(parent: OutlineNode, sub: OutlineNode): string {
  const n = sub.marker.number;
  const own = /^[（(].*[）)]$/.test(n) ? foldWidth(n) : sub.marker.kind === "circled" ? n : `(${n})`;
  return `${foldWidth(parent.marker.number)}${own}`;
}

/** A task's lines (its own marker left out) without the subtrees of `skip`. */
function piecesWithout(node: OutlineNode, skip: Set<OutlineNode>): SourceLine[] {
  const walk = (n: OutlineNode): SourceLine[] => (skip.has(n) ? [] : [...n.blocks.map((b) => ({ line: b.line, text: b.text })), ...n.children.flatMap(walk)]);
  return [{ line: node.line, text: node.marker.rest }, ...node.blocks.slice(1).map((b) => ({ line: b.line, text: b.text })), ...node.children.flatMap(walk)];
}

const ROLE_RANK = { lead: 3, generic: 2, support: 1 } as const;

/**
 * Roles of a task's units: explicit 牵头/配合 are kept; units from a plain 责任单位 list follow the
 * convention that the first listed leads and the rest support (support when a lead is named).
 */
function resolveRoles(written: WrittenUnit[]): { units: Array<{ name: string; role: UnitRole }>; assumed: boolean } {
  const merged: WrittenUnit[] = [];
  for (const unit of written) {
    const seen = merged.find((u) => u.name === unit.name);
    if (!seen) merged.push({ ...unit });
    else {
      if (ROLE_RANK[unit.role] > ROLE_RANK[seen.role]) seen.role = unit.role;
      seen.first ||= unit.first;
    }
  }
  const hasLead = merged.some((u) => u.role === "lead");
  const firstGeneric = merged.find((u) => u.role === "generic");
  // Several separate lists ("…（A、B负责）…（C、D负责）"): the first of each leads its part.
  const leadsGeneric = (u: WrittenUnit) => u.role === "generic" && (u === firstGeneric || u.first === true);
  const units = merged.map((u) => ({ name: u.name, role: u.role === "lead" || (!hasLead && leadsGeneric(u)) ? ("lead" as const) : ("support" as const) }));
  // Only 配合单位 given: someone has to lead, and the first listed is the convention.
  const promoted = !units.some((u) => u.role === "lead") && units.length > 0;
  if (promoted && units[0]) units[0].role = "lead";
  // The lead is an assumption when nothing marked it and there was a choice to make: a lone
  // 责任单位 beside its 配合单位 leads by elimination; among 配合单位 only, nobody was chosen.
  const assumed = !hasLead && units.length > 1 && merged.filter((u) => u.role === "generic").length !== 1;
  return { units, assumed };
}

/** What a task's lines (or a table row) say, before roles are resolved. */
interface TaskSource {
  number: string;
  line: number;
  /** Last source line of the task: a document rule stated up to here covers it. */
  lastLine: number;
  /** The task's text without annotations (title and body come from it). */
  text: string;
  written: WrittenUnit[];
  deadlines: string[];
  leaders: string[];
}

class PlanBuilder {
  readonly units: string[] = [];
  readonly warnings: PlanWarning[] = [];

  /**
   * @param leadRuleLine line of a document rule "列第一位者为牵头单位", or null when there is none.
   * @param allLeadRuleLine line of a rule "无牵头单位的，责任单位即为牵头单位", or null.
   */
  constructor(
    private readonly leadRuleLine: number | null,
    private readonly allLeadRuleLine: number | null = null,
  ) {}

  warn(code: PlanWarningCode, line: number, taskNumber: string | null, message: string): void {
    this.warnings.push({ code, line, taskNumber, message: `第 ${line} 行：${message}` });
  }

  /** Registers a unit name for the plan-wide list; warns once about a name that looks wrong. */
  unit(name: string, line: number): ParsedUnit {
    if (!this.units.includes(name)) {
      this.units.push(name);
      if (!looksLikeUnit(name)) this.warn("other", line, null, `单位名称“${name}”看起来不像机构名称，请核对`);
    }
    return { name, role: "support", collective: isCollectiveUnit(name) };
  }

  group(group: OutlineGroup, sectionTitle: string | null): ParsedGroup {
    const own = group.node ? scanAssignments(ownText(group.node)) : null;
    const heading = group.node ? splitTitle(own?.remainder ?? "").title : (sectionTitle ?? "");
    const tasks = group.tasks.flatMap((node) => this.taskWithSubtasks(node, own?.units ?? []));
    return { number: group.node?.marker.number ?? "", heading, tasks };
  }

  /**
   * A numbered task and the sub-items under it (（1）, 一是, ①…). How a coordinating office reads them:
   * a sub-item that names its own responsible units is a separate piece of work that office chases
   * those units for, so it becomes its own task right after its parent, numbered "3(1)" / "4(一是)";
   * its units are its own and never the parent's. Sub-items without units stay in the parent's body.
   * The parent keeps only the units it names itself (or its group's); the lead is never taken from
   * a sub-item when the task names units of its own. A parent that names nobody (and whose group
   * names nobody) is only a heading over its sub-tasks: it is not tracked itself, and its text is
   * kept at the top of each sub-task's body.
   */
  taskWithSubtasks(node: OutlineNode, groupUnits: WrittenUnit[]): ParsedTask[] {
    const subs = subItemsWithUnits(node);
    const subtasks = subs.map((sub) => this.task(sub, subtreePieces(sub), [], null, subtaskNumber(node, sub)));
    if (subs.length === 0) return [this.task(node, subtreePieces(node), groupUnits, ownText(node))];
    const pieces = piecesWithout(node, new Set(subs));
    const hasOwnUnits = scanAssignments(joinPieces(pieces).text).units.length > 0 || groupUnits.length > 0;
    if (hasOwnUnits) return [this.task(node, pieces, groupUnits, ownText(node)), ...subtasks];
    const parent = splitTitle(scanAssignments(joinPieces(pieces).text).remainder);
    const context = `属于任务 ${node.marker.number}“${parent.title}”${parent.body === "" ? "" : `：${parent.body.replace(/\n/g, "")}`}`;
    return subtasks.map((t) => ({ ...t, body: [context, t.body].filter((l) => l !== "").join("\n") }));
  }

  /**
   * One task from its lines. `ownTextOfTask` is the text of the task's own lines (not its
   * sub-items): when it names units, units found only in sub-items are demoted to support.
   */
  task(node: OutlineNode, pieces: SourceLine[], groupUnits: WrittenUnit[], ownTextOfTask: string | null, number = node.marker.number): ParsedTask {
    const { text, lineAt } = joinPieces(pieces);
    const scan = scanAssignments(text);
    if (scan.unterminatedAt !== null) this.warn("other", lineAt(scan.unterminatedAt), number, `任务 ${number} 的责任单位括号没有闭合（缺少“）”），请核对它的单位`);
    // A task without units of its own falls under units written on its group's heading.
    let written = scan.units.length > 0 ? scan.units : groupUnits;
    const own = ownTextOfTask === null ? [] : scanAssignments(ownTextOfTask).units;
    if (own.length > 0 && written !== groupUnits) {
      const ownNames = new Set(own.map((u) => u.name));
      written = written.map((u) => (ownNames.has(u.name) ? u : { ...u, role: "support" as const }));
    }
    const lastLine = Math.max(...pieces.map((p) => p.line));
    return this.finish({ number, line: node.line, lastLine, text: scan.remainder, written, deadlines: scan.deadlines, leaders: scan.leaders });
  }

  /** One task from a table row. */
  tableTask(row: TableTask): ParsedTask {
    return this.finish({ ...row, lastLine: row.line });
  }

  private finish(source: TaskSource): ParsedTask {
    const { number, line } = source;
    const { title, body } = splitTitle(source.text);
    const notes: string[] = [];
    const real: WrittenUnit[] = [];
    for (const unit of source.written) {
      if (isPlaceholder(unit.name)) {
        if (!notes.includes(unit.name)) notes.push(unit.name);
      } else if (unit.name.length > MAX_UNIT_NAME_LENGTH) {
        this.warn("unit-rejected", line, number, `任务 ${number} 的单位名称过长（${unit.name.length} 字，上限 ${MAX_UNIT_NAME_LENGTH} 字），不作为单位：“${unit.name.slice(0, 20)}…”`);
      } else real.push(unit);
    }
    // Under "无牵头单位的，责任单位即为牵头单位", a task naming no lead has every listed unit lead.
    const allLead = this.allLeadRuleLine !== null && this.allLeadRuleLine <= source.lastLine && !real.some((u) => u.role === "lead");
    const { units, assumed } = resolveRoles(allLead ? real.map((u) => (u.role === "generic" ? { ...u, role: "lead" as const } : u)) : real);
    if (units.length === 0) this.warn("no-units", line, number, `任务 ${number}“${title}”没有找到责任单位，导入后请指定`);
    else if (assumed && (this.leadRuleLine === null || this.leadRuleLine > source.lastLine)) {
      this.warn("lead-assumed", line, number, `任务 ${number} 没有写明牵头单位，已把第一个单位“${units[0]?.name ?? ""}”视为牵头单位`);
    }
    const indicators = extractIndicators(source.text);
    for (const clause of indicators.unmatched) this.warn("other", line, number, `指标“${clause}”的名称与数值个数不一致，未能拆分`);
    const deadlines = [...new Set(source.deadlines)];
    const leaders = [...new Set(source.leaders.map((l) => trimPunct(l)).filter((l) => l !== ""))];
    return {
      number,
      title,
      body,
      units: units.map((u) => ({ ...this.unit(u.name, line), role: u.role })),
      indicators: indicators.indicators,
      deadline: deadlines.length > 0 ? deadlines.join("；") : null,
      cadences: extractCadences(source.text),
      line,
      leader: leaders.length > 0 ? leaders.join("、") : null,
      unitNote: notes.length > 0 ? notes.join("、") : null,
    };
  }

  /** Repeated task numbers: within a group, or plan-wide when numbering runs on across groups. */
  checkNumbering(groups: ParsedGroup[]): void {
    const restarts = groups.slice(1).some((g) => g.tasks[0]?.number === groups[0]?.tasks[0]?.number);
    const scopes = restarts ? groups.map((g) => g.tasks) : [groups.flatMap((g) => g.tasks)];
    for (const tasks of scopes) {
      const seen = new Map<string, number>();
      for (const task of tasks) {
        const earlier = seen.get(task.number);
        if (earlier !== undefined) this.warn("duplicate-number", task.line, task.number, `任务编号“${task.number}”重复（第 ${earlier} 行已有），请在预览中改正`);
        else seen.set(task.number, task.line);
      }
    }
  }
}

/** Line of the first document rule "列第一位者为牵头单位" (and variants), or null. */
function leadRuleLine(lines: SourceLine[]): number | null {
  return lines.find((l) => MAY_STATE_LEAD_RULE_RE.test(l.text) && LEAD_RULE_RE.test(foldWidth(l.text)))?.line ?? null;
}

export function parsePlan(raw: string): ParsedPlan {
  const text = cleanPlanText(raw);
  if (text.trim() === "") failAt(1, "方案文本为空");
  resetScanCache();
  const tables = readTables(text);
  const allLines = splitLines(text);
  const lines = allLines.map((l) => (tables.lines.has(l.line) ? { ...l, text: "" } : l));
  const header = readHeader(lines);
  const body = lines.slice((header.titleIndex ?? -1) + 1);
  const firstLine = body.find((l) => l.text !== "")?.line ?? 1;

  // A table's header may state the rule too: "责任单位（排在第一位的为牵头单位）".
  const builder = new PlanBuilder(leadRuleLine(allLines), allLines.find((l) => ALL_LEAD_RULE_RE.test(l.text))?.line ?? null);
  let groups: ParsedGroup[] = [];
  try {
    const outline = locateTasks(toBlocks(body), firstLine);
    groups = outline.groups.map((g) => builder.group(g, outline.sectionTitle));
  } catch (error) {
    // Tasks read from a table are enough: the text around it need not hold any.
    if (!(error instanceof PlanParseError) || tables.groups.length === 0) throw error;
  }
  const tableGroups = tables.groups.map((g) => ({ number: g.number, heading: g.heading, tasks: g.tasks.map((t) => builder.tableTask(t)) }));
  groups = [...groups, ...tableGroups].sort((a, b) => (a.tasks[0]?.line ?? 0) - (b.tasks[0]?.line ?? 0));
  builder.checkNumbering(groups);
  return {
    title: header.title,
    docNumber: header.docNumber,
    issuer: header.issuer,
    date: header.date,
    groups,
    units: builder.units,
    warnings: builder.warnings.map((w) => w.message),
    warningDetails: builder.warnings,
  };
}

/** The shape `duban plan parse` prints. */
export interface PlanJson {
  title: string;
  docNumber: string | null;
  groups: Array<{
    heading: string;
    tasks: Array<{
      number: string;
      title: string;
      units: Array<{ name: string; role: UnitRole }>;
      indicators: Array<{ text: string; name: string; comparator: Comparator; value: number; unit: string | null }>;
      deadline: string | null;
      leader: string | null;
      unitNote: string | null;
      line: number;
    }>;
  }>;
  warnings: PlanWarning[];
}

export function toPlanJson(plan: ParsedPlan): PlanJson {
  return {
    title: plan.title,
    docNumber: plan.docNumber,
    groups: plan.groups.map((g) => ({
      heading: g.heading,
      tasks: g.tasks.map((t) => ({
        number: t.number,
        title: t.title,
        units: t.units.map((u) => ({ name: u.name, role: u.role })),
        indicators: t.indicators.map((i) => ({ text: i.text, name: i.name, comparator: i.comparator, value: i.value, unit: i.unit })),
        deadline: t.deadline,
        leader: t.leader,
        unitNote: t.unitNote,
        line: t.line,
      })),
    })),
    warnings: plan.warningDetails,
  };
}
