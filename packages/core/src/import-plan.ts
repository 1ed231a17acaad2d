import { createHash } from "node:crypto";
import type { Db } from "@duban/db/client";
import { defaultDeadlines } from "@duban/domain/default-deadlines";
import { describeChange, describeWarning, diffPlan, importWarnings, type PlanChange, type PlanSnapshot } from "@duban/domain/import-diff";
import { cleanPlanText, parsePlan, type ParsedPlan, type PlanWarning } from "@duban/domain/parse-plan";
import { writeAudit } from "./audit.ts";
import { loadPlanSnapshot } from "./plan-snapshot.ts";
import { importTargetId, type ImportTarget } from "./plans.ts";

export interface ImportActor {
  actorType: "user" | "system";
  actorId?: number | string | null;
}

export interface ImportPreview {
  plan: ParsedPlan;
  changes: PlanChange[];
  lines: string[];
  /**
   * Doubts about this re-import (a task's title rewritten, the text looking like another plan),
   * one line of Chinese each. They are also put first in `plan.warnings`, which the CLI and the
   * console's import preview already show.
   */
  warnings: string[];
}

/** The import's own warnings, and the parsed plan with them ahead of the parser's. */
function withImportWarnings(plan: ParsedPlan, before: PlanSnapshot | null, after: PlanSnapshot): { plan: ParsedPlan; warnings: string[] } {
  const found = importWarnings(before, after);
  const warnings = found.map(describeWarning);
  // warningDetails stays parallel to warnings: the import's own doubts go first there too.
  const details = found.map((w, i): PlanWarning => {
    const taskNumber = w.kind === "task-retitled" ? w.task : null;
    const line = plan.groups.flatMap((g) => g.tasks).find((t) => t.number === taskNumber)?.line ?? 1;
    return { code: "other", line, taskNumber, message: warnings[i] ?? "" };
  });
  return {
    plan: warnings.length > 0 ? { ...plan, warnings: [...warnings, ...plan.warnings], warningDetails: [...details, ...plan.warningDetails] } : plan,
    warnings,
  };
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

function hashText(text: string): string {
  return createHash("sha256").update(text.replace(/\r\n/g, "\n")).digest("hex");
}

/** Parses and compares with the stored plan without writing anything (throws PlanParseError). */
export async function previewImport(db: Db, text: string, target: ImportTarget = {}): Promise<ImportPreview & { targetPlanId: number | null }> {
  const plan = parsePlan(cleanPlanText(text));
  const planId = await importTargetId(db, plan, target);
  const before = planId === null ? null : await loadPlanSnapshot(db, planId);
  const after = snapshotOf(plan);
  const changes = diffPlan(before, after);
  return { ...withImportWarnings(plan, before, after), changes, lines: changes.map(describeChange), targetPlanId: planId };
}

/**
 * Imports a plan text in one transaction. It updates the plan `target` names (see
 * `importTargetId`: by default the plan with the same 文号, or title when there is none), else
 * adds a new plan. The same text twice changes nothing; a changed text updates the plan in
 * place: tasks matched by position, units by name (units are shared by all plans).
 * Units, contacts, deadlines and history are never deleted — assignments and indicators no
 * longer in the text are deactivated.
 */
export async function importPlan(db: Db, written: string, now: Date, actor: ImportActor = { actorType: "system" }, target: ImportTarget = {}): Promise<ImportResult> {
  // Stored as parsed: no NUL or other control characters (PostgreSQL refuses NUL in text).
  const text = cleanPlanText(written);
  const parsed = parsePlan(text);
  const sourceHash = hashText(text);
  const tasks = parsed.groups.flatMap((group, groupIndex) => group.tasks.map((task) => ({ task, groupIndex })));

  return db.$transaction(
    async (tx) => {
      const existingId = await importTargetId(tx, parsed, target);
      const before = existingId === null ? null : await loadPlanSnapshot(tx, existingId);
      const after = snapshotOf(parsed);
      const changes = diffPlan(before, after);
      const lines = changes.map(describeChange);
      const { plan: reported, warnings } = withImportWarnings(parsed, before, after);
      if (existingId !== null && changes.length === 0) {
        const stored = await tx.plan.findUniqueOrThrow({ where: { id: existingId } });
        if (stored.sourceHash === sourceHash) return { plan: reported, changes, lines, warnings, planId: existingId, created: false, unchanged: true };
      }

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

      // Units: one row per normalised name across all plans.
      const unitIds = new Map<string, number>();
      for (const group of parsed.groups) {
        for (const task of group.tasks) {
          for (const unit of task.units) {
            if (unitIds.has(unit.name)) continue;
            const row = await tx.unit.upsert({
              where: { name: unit.name },
              create: { name: unit.name, collective: unit.collective, createdAt: now },
              update: { collective: unit.collective },
            });
            unitIds.set(unit.name, row.id);
          }
        }
      }

      // Groups by position.
      const groupIds: number[] = [];
      for (const [ordinal, group] of parsed.groups.entries()) {
        const row = await tx.taskGroup.upsert({
          where: { planId_ordinal: { planId: plan.id, ordinal } },
          create: { planId: plan.id, ordinal, number: group.number, heading: group.heading },
          update: { number: group.number, heading: group.heading },
        });
        groupIds.push(row.id);
      }
      await tx.taskGroup.deleteMany({ where: { planId: plan.id, ordinal: { gte: parsed.groups.length } } });

      const taskIds: number[] = [];
      for (const [ordinal, { task, groupIndex }] of tasks.entries()) {
        const data = {
          groupId: groupIds[groupIndex] ?? null,
          number: task.number,
          title: task.title,
          body: task.body,
          deadlineText: task.deadline,
          active: true,
        };
        const row = await tx.task.upsert({
          where: { planId_ordinal: { planId: plan.id, ordinal } },
          create: { planId: plan.id, ordinal, ...data },
          update: data,
        });
        taskIds.push(row.id);

        const keepUnits: number[] = [];
        for (const [unitOrdinal, unit] of task.units.entries()) {
          const unitId = unitIds.get(unit.name)!;
          keepUnits.push(unitId);
          await tx.assignment.upsert({
            where: { taskId_unitId: { taskId: row.id, unitId } },
            create: { taskId: row.id, unitId, role: unit.role, ordinal: unitOrdinal },
            update: { role: unit.role, ordinal: unitOrdinal, active: true },
          });
        }
        await tx.assignment.updateMany({ where: { taskId: row.id, unitId: { notIn: keepUnits } }, data: { active: false } });

        const keepIndicators: string[] = [];
        for (const [indicatorOrdinal, indicator] of task.indicators.entries()) {
          keepIndicators.push(indicator.name);
          const data = {
            ordinal: indicatorOrdinal,
            text: indicator.text,
            comparator: indicator.comparator,
            value: indicator.value,
            measureUnit: indicator.unit,
            active: true,
          };
          await tx.indicator.upsert({
            where: { taskId_name: { taskId: row.id, name: indicator.name } },
            create: { taskId: row.id, name: indicator.name, ...data },
            update: data,
          });
        }
        await tx.indicator.updateMany({ where: { taskId: row.id, name: { notIn: keepIndicators } }, data: { active: false } });
      }
      // Tasks no longer in the text keep their history but leave the board.
      await tx.task.updateMany({ where: { planId: plan.id, ordinal: { gte: tasks.length } }, data: { active: false } });

      // A collective unit (联席会议成员单位) stands for every other unit of the plan unless the office says otherwise.
      const collectives = [...unitIds].filter(([name]) => parsed.groups.some((g) => g.tasks.some((t) => t.units.some((u) => u.name === name && u.collective))));
      const members = [...unitIds].filter(([name]) => !collectives.some(([c]) => c === name));
      for (const [, collectiveId] of collectives) {
        for (const [, memberId] of members) {
          await tx.unitMember.upsert({
            where: { collectiveId_memberId: { collectiveId, memberId } },
            create: { collectiveId, memberId },
            update: {},
          });
        }
      }

      // Default schedule, created once per cycle key and task; later imports leave office edits alone.
      for (const item of defaultDeadlines(tasks.map(({ task }) => task))) {
        const taskId = taskIds[item.taskIndex]!;
        const cycle = await tx.reportingCycle.upsert({
          where: { planId_key: { planId: plan.id, key: item.cycleKey } },
          create: { planId: plan.id, key: item.cycleKey, name: item.cycleName, cadence: item.cadence, taskId: item.cycleKey === "progress" ? null : taskId, createdAt: now },
          update: {},
        });
        const exists = await tx.deadline.findFirst({ where: { cycleId: cycle.id, taskId } });
        if (exists) continue;
        await tx.deadline.create({
          data: {
            taskId,
            cycleId: cycle.id,
            title: item.title,
            kind: item.rule.kind,
            offsetDays: item.rule.kind === "quarterly" ? item.rule.offsetDays : null,
            month: item.rule.kind === "annual" ? item.rule.month : null,
            day: item.rule.kind === "annual" ? item.rule.day : null,
            dayBasis: item.rule.dayBasis,
            createdAt: now,
          },
        });
      }

      await writeAudit(tx, {
        actorType: actor.actorType,
        actorId: actor.actorId ?? null,
        action: existingId === null ? "plan.import" : "plan.reimport",
        entity: "Plan",
        entityId: plan.id,
        detail: { title: parsed.title, changes: lines, ...(warnings.length > 0 ? { warnings } : {}) },
        at: now,
      });
      return { plan: reported, changes, lines, warnings, planId: plan.id, created: existingId === null, unchanged: false };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
