/**
 * What importing a plan text would change, compared with the plan already stored.
 * Pure: the caller loads the stored plan as a snapshot. Tasks are matched by content
 * (`matchTasks`: number and title), units by normalised name, indicators by name.
 */
import { matchTasks, titleSimilarity } from "./task-match.ts";

export { matchTasks, titleSimilarity };
export interface SnapshotIndicator {
  name: string;
  comparator: string;
  value: number;
  unit: string | null;
}
export interface SnapshotTask {
  number: string;
  title: string;
  body: string;
  group: string;
  units: Array<{ name: string; role: string }>;
  indicators: SnapshotIndicator[];
  deadline: string | null;
  /** The office edited it after import (stored plans only): a re-import keeps the office's version. */
  edited?: boolean;
  /** The office archived it (stored plans only). */
  archived?: boolean;
}
export interface PlanSnapshot {
  title: string;
  docNumber: string | null;
  tasks: SnapshotTask[];
}

export type PlanChange =
  | { kind: "plan-created"; title: string }
  | { kind: "plan-renamed"; from: string; to: string }
  | { kind: "task-added"; task: string; title: string }
  | { kind: "task-removed"; task: string; title: string }
  | { kind: "task-changed"; task: string; field: "number" | "title" | "body" | "group" | "deadline"; from: string; to: string }
  | { kind: "unit-added"; task: string; unit: string; role: string }
  | { kind: "unit-removed"; task: string; unit: string }
  | { kind: "unit-role-changed"; task: string; unit: string; from: string; to: string }
  | { kind: "indicator-added"; task: string; indicator: string }
  | { kind: "indicator-removed"; task: string; indicator: string }
  | { kind: "indicator-changed"; task: string; indicator: string; from: string; to: string };

function describeTarget(indicator: SnapshotIndicator): string {
  return `${indicator.comparator} ${indicator.value}${indicator.unit ?? ""}`;
}

export function diffPlan(before: PlanSnapshot | null, after: PlanSnapshot): PlanChange[] {
  if (!before) return [{ kind: "plan-created", title: after.title }];
  const changes: PlanChange[] = [];
  if (before.title !== after.title) changes.push({ kind: "plan-renamed", from: before.title, to: after.title });
  const match = matchTasks(before.tasks, after.tasks);
  after.tasks.forEach((next, j) => {
    const i = match[j];
    const old = i === null || i === undefined ? undefined : before.tasks[i];
    if (old) changes.push(...diffTask(old, next));
    else changes.push({ kind: "task-added", task: next.number, title: next.title });
  });
  const matched = new Set(match);
  before.tasks.forEach((old, i) => {
    if (!matched.has(i)) changes.push({ kind: "task-removed", task: old.number, title: old.title });
  });
  return changes;
}

/** What changes from one version of a task to another (a matched pair). */
export function diffTask(old: SnapshotTask, next: SnapshotTask): PlanChange[] {
  const changes: PlanChange[] = [];
  const task = next.number;
  for (const field of ["number", "title", "body", "group", "deadline"] as const) {
    const from = old[field] ?? "";
    const to = next[field] ?? "";
    if (from !== to) changes.push({ kind: "task-changed", task, field, from, to });
  }
  const oldUnits = new Map(old.units.map((u) => [u.name, u.role]));
  const newUnits = new Map(next.units.map((u) => [u.name, u.role]));
  for (const [unit, role] of newUnits) {
    const was = oldUnits.get(unit);
    if (was === undefined) changes.push({ kind: "unit-added", task, unit, role });
    else if (was !== role) changes.push({ kind: "unit-role-changed", task, unit, from: was, to: role });
  }
  for (const unit of oldUnits.keys()) if (!newUnits.has(unit)) changes.push({ kind: "unit-removed", task, unit });
  const oldIndicators = new Map(old.indicators.map((i) => [i.name, i]));
  const newIndicators = new Map(next.indicators.map((i) => [i.name, i]));
  for (const [name, indicator] of newIndicators) {
    const was = oldIndicators.get(name);
    if (!was) changes.push({ kind: "indicator-added", task, indicator: name });
    else if (describeTarget(was) !== describeTarget(indicator)) {
      changes.push({ kind: "indicator-changed", task, indicator: name, from: describeTarget(was), to: describeTarget(indicator) });
    }
  }
  for (const name of oldIndicators.keys()) if (!newIndicators.has(name)) changes.push({ kind: "indicator-removed", task, indicator: name });
  return changes;
}

/** An office-edited task where the document says something else: its version is kept unless the office picks the document's. */
export interface KeptEdit {
  /** Position of the document's version of the task in the document (flat, across groups). */
  index: number;
  task: string;
  title: string;
  archived: boolean;
  /** What taking the document's version would change. */
  changes: PlanChange[];
}

/**
 * The office's edits a re-import would override, task by task (matched as in diffPlan).
 * `before` is the stored plan with `edited` marks, `document` the parsed text.
 */
export function keptEdits(before: PlanSnapshot | null, document: PlanSnapshot): KeptEdit[] {
  if (!before) return [];
  const match = matchTasks(before.tasks, document.tasks);
  return document.tasks.flatMap((next, index) => {
    const i = match[index];
    const old = i === null || i === undefined ? undefined : before.tasks[i];
    if (!old?.edited) return [];
    const changes = diffTask(old, next);
    return changes.length > 0 || old.archived ? [{ index, task: old.number, title: old.title, archived: old.archived ?? false, changes }] : [];
  });
}

/** One line of Chinese per change, for the CLI and the console's import preview. */
export function describeChange(change: PlanChange): string {
  switch (change.kind) {
    case "plan-created":
      return `新建方案：${change.title}`;
    case "plan-renamed":
      return `方案标题：${change.from} → ${change.to}`;
    case "task-added":
      return `新增任务 ${change.task}：${change.title}`;
    case "task-removed":
      return `移除任务 ${change.task}：${change.title}（历史记录保留）`;
    case "task-changed": {
      const label = { number: "编号", title: "标题", body: "正文", group: "所属分组", deadline: "完成时限" }[change.field];
      return change.field === "body" ? `任务 ${change.task} 正文有修改` : `任务 ${change.task} ${label}：${change.from || "（无）"} → ${change.to || "（无）"}`;
    }
    case "unit-added":
      return `任务 ${change.task} 新增责任单位：${change.unit}（${change.role === "lead" ? "牵头" : "配合"}）`;
    case "unit-removed":
      return `任务 ${change.task} 移除责任单位：${change.unit}`;
    case "unit-role-changed":
      return `任务 ${change.task} ${change.unit}：${change.from === "lead" ? "牵头" : "配合"} → ${change.to === "lead" ? "牵头" : "配合"}`;
    case "indicator-added":
      return `任务 ${change.task} 新增指标：${change.indicator}`;
    case "indicator-removed":
      return `任务 ${change.task} 移除指标：${change.indicator}`;
    case "indicator-changed":
      return `任务 ${change.task} 指标 ${change.indicator}：${change.from} → ${change.to}`;
  }
}

/** Below this a title is taken as rewritten rather than edited ("加强计量基础建设" → "加强计量体系建设" ≈ 0.57). */
export const RETITLE_THRESHOLD = 0.5;

export type ImportWarning =
  | { kind: "task-retitled"; task: string; from: string; to: string; similarity: number }
  | { kind: "different-plan"; retitled: number; compared: number };

/**
 * Doubts about a re-import. A task kept only by its number (its title rewritten beyond an edit)
 * may be a different task taking over the old one's history; when most matched tasks are like
 * that, the text is likely a different plan altogether.
 */
export function importWarnings(before: PlanSnapshot | null, after: PlanSnapshot): ImportWarning[] {
  if (!before) return [];
  const retitled: ImportWarning[] = [];
  const match = matchTasks(before.tasks, after.tasks);
  let compared = 0;
  after.tasks.forEach((next, j) => {
    const i = match[j];
    const old = i === null || i === undefined ? undefined : before.tasks[i];
    if (!old) return;
    compared++;
    const similarity = titleSimilarity(old.title, next.title);
    if (similarity < RETITLE_THRESHOLD) retitled.push({ kind: "task-retitled", task: next.number, from: old.title, to: next.title, similarity });
  });
  const differentPlan = compared > 0 && retitled.length * 2 > compared;
  return differentPlan ? [{ kind: "different-plan", retitled: retitled.length, compared }, ...retitled] : retitled;
}

export function describeWarning(warning: ImportWarning): string {
  switch (warning.kind) {
    case "task-retitled":
      return `任务 ${warning.task} 标题变化较大（“${warning.from}” → “${warning.to}”），确认是同一项任务？历史记录将沿用`;
    case "different-plan":
      return `新文本与现有方案差别很大（${warning.compared} 项对应任务中有 ${warning.retitled} 项标题大幅变化），看起来是另一份方案：导入会按编号把现有任务换成新任务，旧任务的历史记录将沿用到新任务上。暂不支持作为新方案导入，请确认后再导入`;
  }
}

export function describeKeptEdit(kept: KeptEdit): string {
  const what = kept.changes.map(describeChange).join("；");
  return `任务 ${kept.task} 经办公室修改${kept.archived ? "并已归档" : ""}，保留办公室的版本${what === "" ? "" : `（文件版本：${what}）`}`;
}
