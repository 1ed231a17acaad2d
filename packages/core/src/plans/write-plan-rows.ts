/**
 * The rows of an imported plan, written set-based: each table is read once (chunked `IN`
 * lists) and written with multi-row inserts, grouped `updateMany`s and per-row `CASE` updates,
 * touching only rows whose values change. Runs inside the import's transaction.
 */
import type { DefaultDeadline } from "@duban/domain/default-deadlines";
import type { ParsedGroup, ParsedTask } from "@duban/domain/parse-plan";
import type { TaskFields } from "../tasks/edit-task.ts";
import { Prisma as Sql } from "@duban/db/generated/prisma/client";
import { chunks, groupIds, insertRows, MAX_BOUND, type Tx, updateById } from "./bulk-rows.ts";

/** One row per unit name across all plans: missing ones created, `collective` brought up to date. */
export async function writeUnits(tx: Tx, wanted: ReadonlyMap<string, boolean>, now: Date): Promise<Map<string, number>> {
  const names = [...wanted.keys()];
  const ids = new Map<string, number>();
  const changed: Array<readonly [boolean, number]> = [];
  for (const part of chunks(names, MAX_BOUND)) {
    for (const row of await tx.unit.findMany({ where: { name: { in: part } }, select: { id: true, name: true, collective: true } })) {
      ids.set(row.name, row.id);
      const collective = wanted.get(row.name)!;
      if (row.collective !== collective) changed.push([collective, row.id]);
    }
  }
  const missing = names.filter((name) => !ids.has(name));
  const created = await insertRows(tx, "Unit", ["name", "collective", "createdAt"], missing.map((name) => [name, wanted.get(name)!, now]), ["id", "name"]);
  for (const row of created) ids.set(String(row.name), Number(row.id));
  for (const [collective, list] of groupIds(changed)) {
    for (const part of chunks(list, MAX_BOUND)) await tx.unit.updateMany({ where: { id: { in: part } }, data: { collective } });
  }
  return ids;
}

/** Groups by position: the plan's group at each ordinal takes the new number and heading; extra ones go. */
export async function writeGroups(tx: Tx, planId: number, groups: readonly ParsedGroup[]): Promise<number[]> {
  const existing = new Map((await tx.taskGroup.findMany({ where: { planId }, select: { id: true, ordinal: true, number: true, heading: true } })).map((g) => [g.ordinal, g]));
  const ids: number[] = [];
  const updates: Array<{ id: number; values: string[] }> = [];
  const creates: Array<[number, number, string, string]> = [];
  groups.forEach((group, ordinal) => {
    const old = existing.get(ordinal);
    if (!old) {
      creates.push([planId, ordinal, group.number, group.heading]);
      return;
    }
    ids[ordinal] = old.id;
    if (old.number !== group.number || old.heading !== group.heading) updates.push({ id: old.id, values: [group.number, group.heading] });
  });
  for (const row of await insertRows(tx, "TaskGroup", ["planId", "ordinal", "number", "heading"], creates, ["id", "ordinal"])) ids[Number(row.ordinal)] = Number(row.id);
  await updateById(tx, "TaskGroup", [["number", "text"], ["heading", "text"]], updates);
  await tx.taskGroup.deleteMany({ where: { planId, ordinal: { gte: groups.length } } });
  return ids;
}

export interface TaskRow extends TaskFields {
  groupId: number | null;
  editedAt: Date | null;
  active: boolean;
}

const TEXT_COLUMNS = [["groupId", "int"], ["number", "text"], ["title", "text"], ["body", "text"], ["deadlineText", "text"], ["leader", "text"], ["unitNote", "text"]] as const;
const textValues = (t: TaskRow) => [t.groupId, t.number, t.title, t.body, t.deadlineText, t.leader, t.unitNote];

/**
 * The plan's tasks in order: row i takes ordinal i. A row with `id` updates that stored task
 * (where it differs); one without is inserted. Stored tasks not listed leave their ordinal
 * (set to -id, out of the way) and the board (inactive), keeping their history. Returns the
 * task ids in order.
 */
export async function writeTasks(tx: Tx, planId: number, rows: ReadonlyArray<TaskRow & { id: number | null }>): Promise<number[]> {
  const existing = new Map(
    (await tx.task.findMany({
      where: { planId, ordinal: { gte: 0 } },
      select: { id: true, ordinal: true, groupId: true, number: true, title: true, body: true, deadlineText: true, leader: true, unitNote: true, editedAt: true, active: true },
    })).map((t) => [t.id, t]),
  );
  const ids: number[] = [];
  const creates: unknown[][] = [];
  const updates: Array<{ id: number; values: Array<string | number | null> }> = [];
  const stateUpdates: Array<readonly [string, number]> = [];
  const states = new Map<string, { editedAt: Date | null; active: boolean }>();
  const kept = new Set<number>();
  rows.forEach((row, ordinal) => {
    const old = row.id === null ? undefined : existing.get(row.id);
    if (!old) {
      creates.push([planId, ordinal, ...textValues(row), row.editedAt, row.active]);
      return;
    }
    ids[ordinal] = old.id;
    kept.add(old.id);
    const next = [ordinal, ...textValues(row)];
    if ([old.ordinal, ...textValues(old)].some((value, i) => value !== next[i])) updates.push({ id: old.id, values: next });
    if ((old.editedAt?.getTime() ?? null) !== (row.editedAt?.getTime() ?? null) || old.active !== row.active) {
      const key = `${row.editedAt?.getTime() ?? "null"}:${row.active}`;
      states.set(key, { editedAt: row.editedAt, active: row.active });
      stateUpdates.push([key, old.id]);
    }
  });
  // Ordinals are unique per plan: every row that moves or leaves steps aside first.
  const moving = [...existing.values()].filter((t) => !kept.has(t.id) || ids[t.ordinal] !== t.id).map((t) => t.id);
  for (const part of chunks(moving, MAX_BOUND)) await tx.$executeRaw`UPDATE "Task" SET "ordinal" = -"id" WHERE "id" IN (${Sql.join(part)})`;
  await updateById(tx, "Task", [["ordinal", "int"], ...TEXT_COLUMNS], updates);
  for (const [key, list] of groupIds(stateUpdates)) {
    for (const part of chunks(list, MAX_BOUND)) await tx.task.updateMany({ where: { id: { in: part } }, data: states.get(key)! });
  }
  const dropped = [...existing.values()].filter((t) => !kept.has(t.id) && t.active).map((t) => t.id);
  for (const part of chunks(dropped, MAX_BOUND)) await tx.task.updateMany({ where: { id: { in: part } }, data: { active: false } });
  const columns = ["planId", "ordinal", ...TEXT_COLUMNS.map(([c]) => c), "editedAt", "active"];
  for (const row of await insertRows(tx, "Task", columns, creates, ["id", "ordinal"])) ids[Number(row.ordinal)] = Number(row.id);
  return ids;
}

/** Existing rows of a child table for the given tasks, one query per chunk of task ids. */
async function byTask<T>(taskIds: readonly number[], load: (ids: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks(taskIds, MAX_BOUND)) out.push(...(await load(part)));
  return out;
}

/**
 * Each task's units as listed (by unit id; a unit listed twice takes its last role and place):
 * assignments created or reactivated with their role and order, the rest deactivated.
 */
export async function writeAssignments(tx: Tx, taskIds: readonly number[], tasks: readonly ParsedTask[], unitIds: ReadonlyMap<string, number>): Promise<void> {
  const existing = await byTask(taskIds, (ids) => tx.assignment.findMany({ where: { taskId: { in: ids } }, select: { id: true, taskId: true, unitId: true, role: true, ordinal: true, active: true } }));
  const stored = new Map(existing.map((a) => [`${a.taskId}:${a.unitId}`, a]));
  const wanted = new Map<string, { taskId: number; unitId: number; role: string; ordinal: number }>();
  tasks.forEach((task, i) => {
    const taskId = taskIds[i]!;
    task.units.forEach((unit, ordinal) => {
      const unitId = unitIds.get(unit.name)!;
      const key = `${taskId}:${unitId}`;
      wanted.delete(key); // a repeated unit: the last mention wins, as the row-by-row upserts did
      wanted.set(key, { taskId, unitId, role: unit.role, ordinal });
    });
  });
  const creates: Array<{ taskId: number; unitId: number; role: string; ordinal: number }> = [];
  const updates: Array<readonly [string, number]> = [];
  for (const [key, row] of wanted) {
    const old = stored.get(key);
    if (!old) creates.push(row);
    else if (old.role !== row.role || old.ordinal !== row.ordinal || !old.active) updates.push([JSON.stringify([row.role, row.ordinal]), old.id]);
  }
  await insertRows(tx, "Assignment", ["taskId", "unitId", "role", "ordinal"], creates.map((a) => [a.taskId, a.unitId, a.role, a.ordinal]));
  for (const [key, list] of groupIds(updates)) {
    const [role, ordinal] = JSON.parse(key) as [string, number];
    for (const part of chunks(list, MAX_BOUND)) await tx.assignment.updateMany({ where: { id: { in: part } }, data: { role, ordinal, active: true } });
  }
  const dropped = existing.filter((a) => a.active && !wanted.has(`${a.taskId}:${a.unitId}`)).map((a) => a.id);
  for (const part of chunks(dropped, MAX_BOUND)) await tx.assignment.updateMany({ where: { id: { in: part } }, data: { active: false } });
}

/** Each task's indicators by name (a name repeated takes its last values and place); the rest deactivated. */
export async function writeIndicators(tx: Tx, taskIds: readonly number[], tasks: readonly ParsedTask[]): Promise<void> {
  const existing = await byTask(taskIds, (ids) =>
    tx.indicator.findMany({ where: { taskId: { in: ids } }, select: { id: true, taskId: true, name: true, ordinal: true, text: true, comparator: true, value: true, measureUnit: true, active: true } }),
  );
  const stored = new Map(existing.map((i) => [`${i.taskId}:${i.name}`, i]));
  const wanted = new Map<string, { taskId: number; name: string; ordinal: number; text: string; comparator: string; value: number; measureUnit: string | null }>();
  tasks.forEach((task, i) => {
    const taskId = taskIds[i]!;
    task.indicators.forEach((indicator, ordinal) => {
      const key = `${taskId}:${indicator.name}`;
      wanted.delete(key);
      wanted.set(key, { taskId, name: indicator.name, ordinal, text: indicator.text, comparator: indicator.comparator, value: indicator.value, measureUnit: indicator.unit });
    });
  });
  const creates: Array<{ taskId: number; name: string; ordinal: number; text: string; comparator: string; value: number; measureUnit: string | null }> = [];
  const updates: Array<{ id: number; values: Array<string | number | null> }> = [];
  const reactivate: number[] = [];
  for (const [key, row] of wanted) {
    const old = stored.get(key);
    if (!old) {
      creates.push(row);
      continue;
    }
    const next = [row.ordinal, row.text, row.comparator, row.value, row.measureUnit];
    if ([old.ordinal, old.text, old.comparator, old.value, old.measureUnit].some((value, i) => value !== next[i])) updates.push({ id: old.id, values: next });
    if (!old.active) reactivate.push(old.id);
  }
  await insertRows(tx, "Indicator", ["taskId", "name", "ordinal", "text", "comparator", "value", "measureUnit"], creates.map((i) => [i.taskId, i.name, i.ordinal, i.text, i.comparator, i.value, i.measureUnit]));
  await updateById(tx, "Indicator", [["ordinal", "int"], ["text", "text"], ["comparator", "text"], ["value", "float"], ["measureUnit", "text"]], updates);
  for (const part of chunks(reactivate, MAX_BOUND)) await tx.indicator.updateMany({ where: { id: { in: part } }, data: { active: true } });
  const dropped = existing.filter((i) => i.active && !wanted.has(`${i.taskId}:${i.name}`)).map((i) => i.id);
  for (const part of chunks(dropped, MAX_BOUND)) await tx.indicator.updateMany({ where: { id: { in: part } }, data: { active: false } });
}

/** Every collective stands for each member unit: the missing pairs are added, none removed. */
export async function writeUnitMembers(tx: Tx, collectiveIds: readonly number[], memberIds: readonly number[]): Promise<void> {
  if (collectiveIds.length === 0 || memberIds.length === 0) return;
  const have = new Set<string>();
  for (const part of chunks(collectiveIds, MAX_BOUND)) {
    for (const row of await tx.unitMember.findMany({ where: { collectiveId: { in: part } }, select: { collectiveId: true, memberId: true } })) have.add(`${row.collectiveId}:${row.memberId}`);
  }
  const creates = collectiveIds.flatMap((collectiveId) => memberIds.filter((memberId) => !have.has(`${collectiveId}:${memberId}`)).map((memberId) => [collectiveId, memberId]));
  await insertRows(tx, "UnitMember", ["collectiveId", "memberId"], creates);
}

/**
 * The default schedule: a cycle per key, created once (later imports leave the office's edits
 * alone), and a deadline per (cycle, task) that has none yet.
 */
export async function writeDefaultDeadlines(tx: Tx, planId: number, items: readonly DefaultDeadline[], taskIds: readonly number[], now: Date): Promise<void> {
  if (items.length === 0) return;
  const stored = await tx.reportingCycle.findMany({ where: { planId }, select: { id: true, key: true, name: true, taskId: true } });
  const cycles = new Map(stored.map((c) => [c.key, c.id]));
  // A task's own cycle (每季度…报告) is found by its task and name: keys carry the task's position
  // at first import, and tasks are matched by content, so positions move.
  const ownCycles = new Map<string, string[]>();
  for (const c of [...stored].sort((a, b) => a.id - b.id)) if (c.taskId !== null) ownCycles.set(`${c.taskId}:${c.name}`, [...(ownCycles.get(`${c.taskId}:${c.name}`) ?? []), c.key]);
  const seen = new Map<string, number>();
  const keyOf = (item: DefaultDeadline): string => {
    if (item.cycleKey === "progress") return item.cycleKey;
    const taskId = taskIds[item.taskIndex]!;
    const own = `${taskId}:${item.cycleName}`;
    const nth = seen.get(own) ?? 0;
    seen.set(own, nth + 1);
    const known = ownCycles.get(own)?.[nth];
    if (known !== undefined) return known;
    return cycles.has(item.cycleKey) ? `${item.cycleKey}-t${taskId}` : item.cycleKey;
  };
  const keys = items.map(keyOf);
  const newCycles = new Map<string, { planId: number; key: string; name: string; cadence: string; taskId: number | null; createdAt: Date }>();
  items.forEach((item, n) => {
    const key = keys[n]!;
    if (cycles.has(key) || newCycles.has(key)) return;
    newCycles.set(key, { planId, key, name: item.cycleName, cadence: item.cadence, taskId: item.cycleKey === "progress" ? null : taskIds[item.taskIndex]!, createdAt: now });
  });
  const created = await insertRows(tx, "ReportingCycle", ["planId", "key", "name", "cadence", "taskId", "createdAt"], [...newCycles.values()].map((c) => [c.planId, c.key, c.name, c.cadence, c.taskId, c.createdAt]), ["id", "key"]);
  for (const row of created) cycles.set(String(row.key), Number(row.id));
  const have = new Set<string>();
  for (const part of chunks([...cycles.values()], MAX_BOUND)) {
    for (const row of await tx.deadline.findMany({ where: { cycleId: { in: part } }, select: { cycleId: true, taskId: true } })) have.add(`${row.cycleId}:${row.taskId}`);
  }
  // Prisma sets @updatedAt to the wall clock on create; so does this insert.
  const updatedAt = new Date();
  const creates: unknown[][] = [];
  for (const [n, item] of items.entries()) {
    const taskId = taskIds[item.taskIndex]!;
    const cycleId = cycles.get(keys[n]!)!;
    const key = `${cycleId}:${taskId}`;
    if (have.has(key)) continue;
    have.add(key);
    creates.push([
      taskId,
      cycleId,
      item.title,
      item.rule.kind,
      item.rule.kind === "quarterly" ? item.rule.offsetDays : null,
      item.rule.kind === "annual" ? item.rule.month : null,
      item.rule.kind === "annual" ? item.rule.day : null,
      item.rule.dayBasis,
      now,
      updatedAt,
    ]);
  }
  await insertRows(tx, "Deadline", ["taskId", "cycleId", "title", "kind", "offsetDays", "month", "day", "dayBasis", "createdAt", "updatedAt"], creates);
}
