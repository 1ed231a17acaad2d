import { createHash } from "node:crypto";
import type { Db } from "@duban/db/client";
import { defaultDeadlines } from "@duban/domain/default-deadlines";
import { describeChange, describeKeptEdit, describeWarning, diffPlan, importWarnings, keptEdits, matchTasks, type PlanChange, type PlanSnapshot } from "@duban/domain/import-diff";
import { cleanPlanText, type ParsedPlan, type ParsedTask, parsePlan, type PlanWarning } from "@duban/domain/parse-plan";
import { planProblems } from "@duban/domain/plan-edit";
import { isCollectiveUnit } from "@duban/domain/plan-units";
import { writeAudit } from "../audit/audit.ts";
import { loadStoredPlan, snapshotOfStored, type StoredTask } from "./plan-snapshot.ts";
import { importTargetId, type ImportTarget } from "./plans.ts";
import { writeAssignments, writeDefaultDeadlines, writeGroups, writeIndicators, writeTasks, writeUnitMembers, writeUnits } from "./write-plan-rows.ts";

export interface ImportActor {
  actorType: "user" | "system";
  actorId?: number | string | null;
}

export interface KeptEditView {
  /** Position of the task in the plan (flat, across groups). */
  index: number;
  task: string;
  title: string;
  archived: boolean;
  /** One line of Chinese: the office's version is kept, and what the document says instead. */
  line: string;
  /** The document's version of the task, for "use the document's version" in the preview. */
  documentTask: ParsedTask;
}

export interface ImportPreview {
  /** What would be imported: the document, with tasks the office edited after import kept as the office left them. */
  plan: ParsedPlan;
  changes: PlanChange[];
  lines: string[];
  /**
   * Doubts about this re-import (a task's title rewritten, the text looking like another plan),
   * one line of Chinese each. They are also put first in `plan.warnings`, which the CLI and the
   * console's import preview already show.
   */
  warnings: string[];
  /** Office-edited tasks the document words differently; their edits are kept unless the office picks the document's version. */
  keptEdits: KeptEditView[];
}

/** The import's own warnings, and the parsed plan with them ahead of the parser's. */
function withImportWarnings(plan: ParsedPlan, before: PlanSnapshot | null, after: PlanSnapshot): { plan: ParsedPlan; warnings: string[] } {
  const found = importWarnings(before, after);
  const warnings = found.map(describeWarning);
  if (warnings.length === 0) return { plan, warnings };
  // warningDetails stays parallel to warnings: the import's own doubts go first there too.
  const details = found.map((w, i): PlanWarning => {
    const taskNumber = w.kind === "task-retitled" ? w.task : null;
    const line = plan.groups.flatMap((g) => g.tasks).find((t) => t.number === taskNumber)?.line ?? 1;
    return { code: "other", line, taskNumber, message: warnings[i] ?? "" };
  });
  return { plan: { ...plan, warnings: [...warnings, ...plan.warnings], warningDetails: [...details, ...plan.warningDetails] }, warnings };
}

export interface ImportResult extends ImportPreview {
  planId: number;
  created: boolean;
  unchanged: boolean;
}

function snapshotOf(parsed: ParsedPlan): PlanSnapshot {
  return {
    title: parsed.title,
    docNumber: parsed.docNumber,
    tasks: parsed.groups.flatMap((group) =>
      group.tasks.map((task) => ({
        number: task.number,
        title: task.title,
        body: task.body,
        group: group.heading,
        deadline: task.deadline,
        units: task.units.map((u) => ({ name: u.name, role: u.role })),
        indicators: task.indicators.map((i) => ({ name: i.name, comparator: i.comparator, value: i.value, unit: i.unit })),
      })),
    ),
  };
}

function hashOf(text: string, plan: ParsedPlan): string {
  // The text and what was made of it: the same text corrected differently is a different import.
  return createHash("sha256").update(text.replace(/\r\n/g, "\n")).update("\u0000").update(JSON.stringify(snapshotOf(plan))).digest("hex");
}

/** What the office can change about a task; two tasks with the same key read the same. */
function contentKey(task: ParsedTask): string {
  return JSON.stringify([task.number, task.title, task.body, task.deadline ?? null, task.leader ?? null, task.unitNote ?? null, task.units.map((u) => [u.name, u.role])]);
}

/**
 * The document with the office's post-import edits kept: a task the office edited keeps the
 * office's version in place of the document's task it matches (`matchTasks`: number and title);
 * edited tasks the document no longer has (the office's own) stay, at the end of the last group.
 */
function withOfficeEdits(document: ParsedPlan, stored: StoredTask[], fresh: ReadonlySet<number> = new Set()): ParsedPlan {
  const match = matchTasks(
    stored.map((s) => s.task),
    document.groups.flatMap((g) => g.tasks),
  );
  let index = 0;
  const groups = document.groups.map((group) => ({
    ...group,
    tasks: group.tasks.map((task) => {
      const position = index++;
      const at = match[position];
      const old = at === null || at === undefined ? undefined : stored[at];
      // A task the office corrected in this preview is newer than any edit stored earlier.
      return old?.editedAt && !fresh.has(position) ? { ...old.task, line: task.line, cadences: task.cadences } : task;
    }),
  }));
  const matched = new Set(match);
  const extra = stored.filter((s, i) => !matched.has(i) && s.editedAt !== null && s.active);
  const last = groups[groups.length - 1];
  if (extra.length > 0 && last) last.tasks = [...last.tasks, ...extra.map((s) => s.task)];
  return { ...document, groups };
}

interface Compared {
  /** The stored plan this import updates, or null when it adds a plan. */
  planId: number | null;
  before: PlanSnapshot | null;
  stored: StoredTask[];
  plan: ParsedPlan;
  changes: PlanChange[];
  lines: string[];
  warnings: string[];
  keptEdits: KeptEditView[];
}

/** The stored plan against what would be imported; `keepEdits` puts the office's edited tasks into the document first. */
async function compare(db: Pick<Db, "plan">, document: ParsedPlan, keepEdits: boolean, target: ImportTarget, fresh: ReadonlySet<number> = new Set()): Promise<Compared> {
  const planId = await importTargetId(db, document, target);
  const storedPlan = planId === null ? null : await loadStoredPlan(db, planId);
  const stored = storedPlan?.tasks ?? [];
  const before = storedPlan && snapshotOfStored(storedPlan);
  const effective = keepEdits ? withOfficeEdits(document, stored, fresh) : document;
  const after = snapshotOf(effective);
  const changes = diffPlan(before, after);
  const documentTasks = document.groups.flatMap((g) => g.tasks);
  const kept = keepEdits
    ? keptEdits(before, snapshotOf(document))
        .filter((k) => !fresh.has(k.index))
        .map((k) => ({ index: k.index, task: k.task, title: k.title, archived: k.archived, line: describeKeptEdit(k), documentTask: documentTasks[k.index]! }))
    : [];
  const { plan, warnings } = withImportWarnings(effective, before, after);
  return { planId, before, stored, plan, changes, lines: changes.map(describeChange), warnings, keptEdits: kept };
}

/** Parses and compares with the stored plan without writing anything (throws PlanParseError). */
export async function previewImport(db: Db, text: string, target: ImportTarget = {}, corrected?: ParsedPlan): Promise<ImportPreview & { targetPlanId: number | null }> {
  const parsed = parsePlan(cleanPlanText(text));
  // The office's corrections so far (it changed the target plan after editing the preview) are
  // compared against the new target as they are; the target's stored edits still apply to the
  // tasks the office left as the parser read them.
  const document = corrected ? withUnitKinds(corrected) : parsed;
  const { planId, plan, changes, lines, warnings, keptEdits } = await compare(db, document, true, target, corrected ? correctedTasks(corrected, parsed) : undefined);
  return { plan, changes, lines, warnings, keptEdits, targetPlanId: planId };
}

/** Positions of the tasks in `corrected` that no task of the parser's reading matches exactly. */
function correctedTasks(corrected: ParsedPlan, parsed: ParsedPlan): Set<number> {
  const read = new Set(parsed.groups.flatMap((g) => g.tasks).map(contentKey));
  const fresh = new Set<number>();
  corrected.groups.flatMap((g) => g.tasks).forEach((task, index) => {
    if (!read.has(contentKey(task))) fresh.add(index);
  });
  return fresh;
}

/** Whether a unit stands for all others is read from its name, as the parser does, never taken from the browser. */
function withUnitKinds(plan: ParsedPlan): ParsedPlan {
  return { ...plan, groups: plan.groups.map((g) => ({ ...g, tasks: g.tasks.map((t) => ({ ...t, units: t.units.map((u) => ({ ...u, collective: isCollectiveUnit(u.name) })) })) })) };
}

/**
 * Imports a plan text in one transaction. It updates the plan `target` names (see
 * `importTargetId`: by default the plan with the same 文号, or title when there is none), else
 * adds a new plan. The same text twice changes nothing; a changed text updates the plan in
 * place: tasks matched by content (number and title, `matchTasks`), units by name (units are shared by all plans). Tasks the
 * office edited after import keep the office's version.
 * Units, contacts, deadlines and history are never deleted — assignments and indicators no
 * longer in the text are deactivated.
 */
export async function importPlan(db: Db, written: string, now: Date, actor: ImportActor = { actorType: "system" }, target: ImportTarget = {}): Promise<ImportResult> {
  // Stored as parsed: no NUL or other control characters (PostgreSQL refuses NUL in text).
  const text = cleanPlanText(written);
  const parsed = parsePlan(text);
  return writePlan(db, { text, document: parsed, plan: null }, now, actor, target);
}

/**
 * Imports a plan as the office corrected it in the preview: exactly `plan` is stored (the caller
 * validates its shape; its problems are checked here), `text` is the document it was read from.
 * Tasks that differ from the document's reading are marked office-edited, so that a later
 * re-import keeps them.
 */
export async function importParsedPlan(db: Db, input: { text: string; plan: ParsedPlan }, now: Date, actor: ImportActor, target: ImportTarget = {}): Promise<ImportResult> {
  const text = cleanPlanText(input.text);
  const errors = planProblems(input.plan).filter((p) => p.level === "error");
  if (errors.length > 0) throw new PlanImportError(errors.map((p) => p.message).join("；"));
  let document: ParsedPlan | null = null;
  try {
    document = parsePlan(text);
  } catch {
    // The office corrected a text the parser refuses: every task is then the office's own.
  }
  const plan = withUnitKinds(input.plan);
  return writePlan(db, { text, document, plan }, now, actor, target);
}

export class PlanImportError extends Error {
  readonly code = "invalid-plan";
}

async function writePlan(
  db: Db,
  input: { text: string; document: ParsedPlan | null; plan: ParsedPlan | null },
  now: Date,
  actor: ImportActor,
  target: ImportTarget,
): Promise<ImportResult> {
  const { text, document } = input;
  return db.$transaction(
    async (tx) => {
      const compared = await compare(tx, input.plan ?? document!, input.plan === null, target);
      const { before, stored, changes, lines, warnings, keptEdits: kept } = compared;
      const parsed = input.plan ?? compared.plan;
      const reported = compared.plan;
      const tasks = parsed.groups.flatMap((group, groupIndex) => group.tasks.map((task) => ({ task, groupIndex })));
      const sourceHash = hashOf(text, parsed);
      const existingId = compared.planId;
      if (existingId !== null && changes.length === 0) {
        const stored = await tx.plan.findUniqueOrThrow({ where: { id: existingId } });
        if (stored.sourceHash === sourceHash) return { plan: reported, changes, lines, warnings, keptEdits: kept, planId: existingId, created: false, unchanged: true };
      }
      const documentKeys = new Set((document?.groups ?? []).flatMap((g) => g.tasks.map(contentKey)));
      // Each task to write is the stored task it matches by content (number and title), or a new one.
      const match = matchTasks(
        stored.map((s) => s.task),
        tasks.map(({ task }) => task),
      );
      const storedAt = (ordinal: number) => {
        const at = match[ordinal];
        return at === null || at === undefined ? undefined : stored[at];
      };
      /** Whether the stored task matched at `ordinal` is the same office edit as `task` (then its mark and archived state stay). */
      const sameEdit = (ordinal: number, task: ParsedTask) => {
        const old = storedAt(ordinal);
        return old?.editedAt != null && contentKey(old.task) === contentKey(task) ? old : null;
      };

      const planData = {
        title: parsed.title,
        docNumber: parsed.docNumber,
        issuer: parsed.issuer,
        issuedOn: parsed.date,
        sourceText: text,
        sourceHash,
      };
      const plan = existingId === null
        ? await tx.plan.create({ data: { ...planData, importedAt: now } })
        : await tx.plan.update({ where: { id: existingId }, data: planData });

      // Units: one row per normalised name across all plans (the first mention says whether it is collective).
      const wantedUnits = new Map<string, boolean>();
      for (const { task } of tasks) for (const unit of task.units) if (!wantedUnits.has(unit.name)) wantedUnits.set(unit.name, unit.collective);
      const unitIds = await writeUnits(tx, wantedUnits, now);
      const groupIds = await writeGroups(tx, plan.id, parsed.groups);

      const taskIds = await writeTasks(
        tx,
        plan.id,
        tasks.map(({ task, groupIndex }, ordinal) => ({
          id: storedAt(ordinal)?.id ?? null,
          groupId: groupIds[groupIndex] ?? null,
          number: task.number,
          title: task.title,
          body: task.body,
          deadlineText: task.deadline,
          leader: task.leader ?? null,
          unitNote: task.unitNote ?? null,
          editedAt: documentKeys.has(contentKey(task)) ? null : (sameEdit(ordinal, task)?.editedAt ?? now),
          active: sameEdit(ordinal, task)?.active ?? true,
        })),
      );
      const parsedTasks = tasks.map(({ task }) => task);
      await writeAssignments(tx, taskIds, parsedTasks, unitIds);
      await writeIndicators(tx, taskIds, parsedTasks);

      // A collective unit (联席会议成员单位) stands for every other unit of the plan unless the office says otherwise.
      const collectives = new Set(parsedTasks.flatMap((t) => t.units.filter((u) => u.collective).map((u) => u.name)));
      await writeUnitMembers(
        tx,
        [...unitIds].filter(([name]) => collectives.has(name)).map(([, id]) => id),
        [...unitIds].filter(([name]) => !collectives.has(name)).map(([, id]) => id),
      );

      // Default schedule, created once per cycle key and task; later imports leave office edits alone.
      await writeDefaultDeadlines(tx, plan.id, defaultDeadlines(parsedTasks), taskIds, now);

      await writeAudit(tx, {
        actorType: actor.actorType,
        actorId: actor.actorId ?? null,
        action: existingId === null ? "plan.import" : "plan.reimport",
        entity: "Plan",
        entityId: plan.id,
        detail: {
          title: parsed.title,
          changes: lines,
          ...(warnings.length > 0 ? { warnings } : {}),
          ...(kept.length > 0 ? { keptEdits: kept.map((k) => k.line) } : {}),
          ...(input.plan !== null ? { corrected: tasks.filter(({ task }) => !documentKeys.has(contentKey(task))).map(({ task }) => task.number) } : {}),
        },
        at: now,
      });
      return { plan: reported, changes, lines, warnings, keptEdits: kept, planId: plan.id, created: existingId === null, unchanged: false };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
