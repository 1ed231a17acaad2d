/**
 * Corrections the office makes to a parsed plan in the import preview, before it counts.
 * Pure and browser-safe (the console runs them as the office edits; the server re-checks the
 * result with `planProblems`). Every function returns a new plan and leaves its input alone.
 * A task is addressed by its position: group index and task index within the group.
 */
import type { ParsedPlan, ParsedTask, ParsedUnit, UnitRole } from "./parse-plan.ts";
import { isCollectiveUnit } from "./plan-units.ts";

export interface TaskRef {
  group: number;
  task: number;
}

export type TaskPatch = Partial<Pick<ParsedTask, "number" | "title" | "body" | "deadline" | "leader" | "unitNote">>;

function taskAt(plan: ParsedPlan, at: TaskRef): ParsedTask {
  const task = plan.groups[at.group]?.tasks[at.task];
  if (!task) throw new RangeError(`no task at ${at.group}/${at.task}`);
  return task;
}

/** The plan with group `at.group`'s tasks replaced, and its unit list brought up to date. */
function withTasks(plan: ParsedPlan, group: number, edit: (tasks: ParsedTask[]) => ParsedTask[]): ParsedPlan {
  const groups = plan.groups.map((g, i) => (i === group ? { ...g, tasks: edit([...g.tasks]) } : g));
  return withUnitList({ ...plan, groups });
}

/** `units`: distinct unit names in order of first appearance, as the parser gives them. */
function withUnitList(plan: ParsedPlan): ParsedPlan {
  const units = [...new Set(plan.groups.flatMap((g) => g.tasks.flatMap((t) => t.units.map((u) => u.name))))];
  return { ...plan, units };
}

function mapTasks(plan: ParsedPlan, edit: (task: ParsedTask) => ParsedTask): ParsedPlan {
  return withUnitList({ ...plan, groups: plan.groups.map((g) => ({ ...g, tasks: g.tasks.map(edit) })) });
}

/** Keeps one entry per name; a name listed twice keeps its first place and leads if either entry led. */
function dedupeUnits(units: ParsedUnit[]): ParsedUnit[] {
  const out: ParsedUnit[] = [];
  for (const unit of units) {
    const seen = out.findIndex((u) => u.name === unit.name);
    if (seen === -1) out.push({ ...unit });
    else if (unit.role === "lead") out[seen] = { ...out[seen]!, role: "lead" };
  }
  return out;
}

function unit(name: string, role: UnitRole): ParsedUnit {
  return { name, role, collective: isCollectiveUnit(name) };
}

export function updateTask(plan: ParsedPlan, at: TaskRef, patch: TaskPatch): ParsedPlan {
  taskAt(plan, at);
  return withTasks(plan, at.group, (tasks) => tasks.map((t, i) => (i === at.task ? { ...t, ...patch } : t)));
}

/** Puts another version of a task in its place (the document's version of an office-edited task). */
export function replaceTask(plan: ParsedPlan, at: TaskRef, task: ParsedTask): ParsedPlan {
  taskAt(plan, at);
  return withTasks(plan, at.group, (tasks) => tasks.map((t, i) => (i === at.task ? task : t)));
}

/** Where a task is, by its flat position across groups (the import's ordinal). */
export function refAt(plan: ParsedPlan, index: number): TaskRef | null {
  let left = index;
  for (const [group, g] of plan.groups.entries()) {
    if (left < g.tasks.length) return { group, task: left };
    left -= g.tasks.length;
  }
  return null;
}

export function emptyTask(number: string, title: string): ParsedTask {
  return { number, title, body: "", units: [], indicators: [], deadline: null, cadences: [], line: 0, leader: null, unitNote: null };
}

/** Adds a task to a group after position `after` (-1: first), or at the end when `after` is omitted. */
export function addTask(plan: ParsedPlan, group: number, task: ParsedTask, after?: number): ParsedPlan {
  if (!plan.groups[group]) throw new RangeError(`no group ${group}`);
  return withTasks(plan, group, (tasks) => {
    const index = after === undefined ? tasks.length : after + 1;
    tasks.splice(index, 0, task);
    return tasks;
  });
}

/** Removes a task; also how a line wrongly read as a task is marked "not a task". */
export function deleteTask(plan: ParsedPlan, at: TaskRef): ParsedPlan {
  taskAt(plan, at);
  return withTasks(plan, at.group, (tasks) => tasks.filter((_, i) => i !== at.task));
}

/** The text the office splits: the title and the body, one after the other. */
export function taskText(task: ParsedTask): string {
  return task.body === "" ? task.title : `${task.title}\n${task.body}`;
}

/** First line (or first sentence) is the title, the rest the body. */
function titleAndBody(text: string): { title: string; body: string } {
  const trimmed = text.trim();
  const lineEnd = trimmed.indexOf("\n");
  const firstLine = lineEnd === -1 ? trimmed : trimmed.slice(0, lineEnd);
  const sentenceEnd = firstLine.search(/[。！？!?；;]/);
  const cut = sentenceEnd === -1 ? firstLine.length : sentenceEnd;
  const title = firstLine.slice(0, cut).trim();
  const body = `${firstLine.slice(cut + 1)}${lineEnd === -1 ? "" : trimmed.slice(lineEnd)}`.trim();
  return { title, body };
}

/**
 * Splits a task in two at a character offset of `taskText(task)`: what comes before stays the
 * task, what follows becomes a new task right after it, numbered "<number>-2", with the same
 * units, deadline and leader (the office adjusts them). Indicators stay with the text they are in
 * (matched by their clause), cadences with the first part.
 */
export function splitTask(plan: ParsedPlan, at: TaskRef, offset: number): ParsedPlan {
  const task = taskAt(plan, at);
  const text = taskText(task);
  const before = titleAndBody(text.slice(0, offset));
  const after = titleAndBody(text.slice(offset));
  if (before.title === "" || after.title === "") throw new RangeError("split point leaves one part empty");
  const afterText = text.slice(offset);
  const first: ParsedTask = { ...task, ...before, indicators: task.indicators.filter((i) => !afterText.includes(i.text)) };
  const second: ParsedTask = {
    ...task,
    ...after,
    number: `${task.number}-2`,
    indicators: task.indicators.filter((i) => afterText.includes(i.text)),
    cadences: [],
    units: task.units.map((u) => ({ ...u })),
  };
  return withTasks(plan, at.group, (tasks) => {
    tasks.splice(at.task, 1, first, second);
    return tasks;
  });
}

/**
 * Merges a task with the one after it in the same group: the first keeps its number and title,
 * the second's title and body are appended to the body; units are united (a unit that leads
 * either leads), indicators and cadences joined, deadlines joined with "；".
 */
export function mergeWithNext(plan: ParsedPlan, at: TaskRef): ParsedPlan {
  const first = taskAt(plan, at);
  const second = taskAt(plan, { group: at.group, task: at.task + 1 });
  const deadlines = [...new Set([first.deadline, second.deadline].filter((d): d is string => d !== null && d !== ""))];
  const indicatorNames = new Set(first.indicators.map((i) => i.name));
  const merged: ParsedTask = {
    ...first,
    body: [first.body, taskText(second)].filter((s) => s !== "").join("\n"),
    units: dedupeUnits([...first.units, ...second.units]),
    indicators: [...first.indicators, ...second.indicators.filter((i) => !indicatorNames.has(i.name))],
    cadences: [...first.cadences, ...second.cadences],
    deadline: deadlines.length > 0 ? deadlines.join("；") : null,
    leader: first.leader ?? second.leader,
    unitNote: [first.unitNote, second.unitNote].filter((n) => n).join("、") || null,
  };
  return withTasks(plan, at.group, (tasks) => {
    tasks.splice(at.task, 2, merged);
    return tasks;
  });
}

/** Replaces a task's units (order kept, duplicates folded). Names are trimmed; empty names dropped. */
export function setTaskUnits(plan: ParsedPlan, at: TaskRef, units: Array<{ name: string; role: UnitRole }>): ParsedPlan {
  const cleaned = dedupeUnits(units.map((u) => unit(u.name.trim(), u.role)).filter((u) => u.name !== ""));
  return updateTaskUnits(plan, at, () => cleaned);
}

function updateTaskUnits(plan: ParsedPlan, at: TaskRef, edit: (units: ParsedUnit[]) => ParsedUnit[]): ParsedPlan {
  const task = taskAt(plan, at);
  return withTasks(plan, at.group, (tasks) => tasks.map((t, i) => (i === at.task ? { ...t, units: edit(task.units) } : t)));
}

/** Adds a unit to a task (or changes its role if already there). A new lead leaves other leads as they are. */
export function assignUnit(plan: ParsedPlan, at: TaskRef, name: string, role: UnitRole): ParsedPlan {
  const clean = name.trim();
  if (clean === "") throw new RangeError("empty unit name");
  return updateTaskUnits(plan, at, (units) =>
    units.some((u) => u.name === clean) ? units.map((u) => (u.name === clean ? { ...u, role } : u)) : [...units, unit(clean, role)],
  );
}

export function unassignUnit(plan: ParsedPlan, at: TaskRef, name: string): ParsedPlan {
  return updateTaskUnits(plan, at, (units) => units.filter((u) => u.name !== name));
}

/**
 * Renames a unit in every task of the preview. Renaming onto a name a task already lists folds
 * the two into one entry (it leads if either led) — which is also how a name is mapped onto an
 * existing unit (市市场监管局 → 市场监督管理局).
 */
export function renameUnit(plan: ParsedPlan, from: string, to: string): ParsedPlan {
  const clean = to.trim();
  if (clean === "") throw new RangeError("empty unit name");
  if (from === clean) return plan;
  return mapTasks(plan, (task) =>
    task.units.some((u) => u.name === from) ? { ...task, units: dedupeUnits(task.units.map((u) => (u.name === from ? unit(clean, u.role) : u))) } : task,
  );
}

/** Several renames at once: `{ "市市场监管局": "市场监督管理局" }`. */
export function mapUnits(plan: ParsedPlan, mapping: Record<string, string>): ParsedPlan {
  return Object.entries(mapping).reduce((p, [from, to]) => renameUnit(p, from, to), plan);
}

export interface PlanProblem {
  /** "error" stops the import; "warning" is shown and may be accepted. */
  level: "error" | "warning";
  code: "no-tasks" | "empty-title" | "empty-number" | "duplicate-number" | "empty-unit" | "no-units" | "no-lead";
  /** Where it is, or null for the whole plan. */
  at: TaskRef | null;
  message: string;
}

/**
 * What is wrong with a (corrected) plan. Errors: no task at all, a task without a number or
 * title, two tasks with the same number where numbers must be unique (within a group when the
 * numbering restarts in each group, plan-wide otherwise), an empty unit name. Warnings: a task
 * without units or without a lead — real plans have such items; the office may assign them later.
 */
export function planProblems(plan: ParsedPlan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const all = plan.groups.flatMap((g, group) => g.tasks.map((task, index) => ({ task, at: { group, task: index } })));
  if (all.length === 0) problems.push({ level: "error", code: "no-tasks", at: null, message: "方案中没有任务" });
  const restarts = plan.groups.slice(1).some((g) => g.tasks[0] !== undefined && g.tasks[0].number === plan.groups[0]?.tasks[0]?.number);
  const scopeOf = (group: number) => (restarts ? String(group) : "plan");
  const seen = new Map<string, ParsedTask>();
  for (const { task, at } of all) {
    const label = task.number.trim() === "" ? `“${task.title}”` : task.number;
    if (task.number.trim() === "") problems.push({ level: "error", code: "empty-number", at, message: `任务“${task.title}”没有编号` });
    if (task.title.trim() === "") problems.push({ level: "error", code: "empty-title", at, message: `任务 ${label} 没有标题` });
    if (task.number.trim() !== "") {
      const key = `${scopeOf(at.group)}\u0000${task.number.trim()}`;
      if (seen.has(key)) problems.push({ level: "error", code: "duplicate-number", at, message: `任务编号“${task.number}”重复` });
      else seen.set(key, task);
    }
    if (task.units.some((u) => u.name.trim() === "")) problems.push({ level: "error", code: "empty-unit", at, message: `任务 ${label} 有空的单位名称` });
    if (task.units.length === 0) problems.push({ level: "warning", code: "no-units", at, message: `任务 ${label} 没有责任单位` });
    else if (!task.units.some((u) => u.role === "lead")) problems.push({ level: "warning", code: "no-lead", at, message: `任务 ${label} 没有牵头单位` });
  }
  return problems;
}

/**
 * The office's own corrections of a preview, without the stored edits the previewed target plan
 * put in (`kept`: each a position in `base`, the preview as the server sent it, and the document's
 * reading of that task). A task still as the server sent it goes back to the document's reading;
 * anything the office changed, added or moved stays. Used when the office picks another target
 * plan after editing: the new target's own stored edits apply instead.
 */
export function withoutKeptEdits(draft: ParsedPlan, base: ParsedPlan, kept: ReadonlyArray<{ index: number; documentTask: ParsedTask }>): ParsedPlan {
  const baseTasks = base.groups.flatMap((g) => g.tasks);
  const documentOf = new Map<string, ParsedTask>();
  for (const k of kept) {
    const sent = baseTasks[k.index];
    if (sent) documentOf.set(JSON.stringify(sent), k.documentTask);
  }
  if (documentOf.size === 0) return draft;
  return { ...draft, groups: draft.groups.map((g) => ({ ...g, tasks: g.tasks.map((task) => documentOf.get(JSON.stringify(task)) ?? task) })) };
}
