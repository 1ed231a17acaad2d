import type { Db } from "@duban/db/client";
import { cancelWaitingReminders } from "@duban/db/repositories/reminder-outbox";
import { normalizeUnitName } from "@duban/domain/parse-plan";
import { isCollectiveUnit } from "@duban/domain/plan-units";
import { writeAudit } from "../audit/audit.ts";
import { UnitError } from "./units.ts";

/** Renames a unit everywhere (one row per name). A name another unit has is refused: merge instead. */
export async function renameUnit(db: Db, input: { unitId: number; name: string; now: Date; actor: number }): Promise<void> {
  const name = normalizeUnitName(input.name.trim());
  if (name === "") throw new UnitError("invalid", "单位名称不能为空");
  await db.$transaction(async (tx) => {
    const unit = await tx.unit.findUnique({ where: { id: input.unitId } });
    if (!unit) throw new UnitError("not-found", "单位不存在");
    if (unit.name === name) return;
    const taken = await tx.unit.findUnique({ where: { name } });
    if (taken) throw new UnitError("conflict", `已有单位“${name}”，如是同一单位请使用“合并”`);
    await tx.unit.update({ where: { id: unit.id }, data: { name, collective: unit.collective || isCollectiveUnit(name) } });
    await writeAudit(tx, { actorType: "user", actorId: input.actor, action: "unit.rename", entity: "Unit", entityId: unit.id, detail: { from: unit.name, to: name }, at: input.now });
  });
}

/**
 * Merges a unit into another (the same body under two names): its contacts, invites, task
 * assignments, submissions, status history, extension requests and reminders move to the
 * target, then the unit is deleted. Where both were on the same task, one assignment stays (it
 * leads if either led, active if either was); where both owe the same round, one submission
 * stays (the earlier answer counts). The merged unit's reminders still waiting are cancelled:
 * the target's own ladder reminds.
 */
export async function mergeUnit(db: Db, input: { unitId: number; intoUnitId: number; now: Date; actor: number }) {
  if (input.unitId === input.intoUnitId) throw new UnitError("conflict", "不能把单位合并到它自己");
  return db.$transaction(
    async (tx) => {
      const source = await tx.unit.findUnique({ where: { id: input.unitId } });
      const target = await tx.unit.findUnique({ where: { id: input.intoUnitId } });
      if (!source || !target) throw new UnitError("not-found", "单位不存在");
      const from = { unitId: source.id };

      // Assignments: the same task on both sides folds into the target's.
      const sourceAssignments = await tx.assignment.findMany({ where: from });
      const targetAssignments = new Map((await tx.assignment.findMany({ where: { unitId: target.id, taskId: { in: sourceAssignments.map((a) => a.taskId) } } })).map((a) => [a.taskId, a]));
      const folded = sourceAssignments.filter((a) => targetAssignments.has(a.taskId));
      for (const a of folded) {
        const kept = targetAssignments.get(a.taskId)!;
        const role = a.active && a.role === "lead" ? "lead" : kept.role;
        await tx.assignment.update({ where: { id: kept.id }, data: { role, active: kept.active || a.active } });
        await tx.deadline.updateMany({ where: { assignmentId: a.id }, data: { assignmentId: kept.id } });
      }
      await tx.assignment.deleteMany({ where: { id: { in: folded.map((a) => a.id) } } });
      const moved = await tx.assignment.updateMany({ where: from, data: { unitId: target.id } });

      // Submissions: the same round on both sides keeps the target's, taking the source's answer when it came first.
      const sourceSubs = await tx.submission.findMany({ where: from });
      const targetSubs = new Map((await tx.submission.findMany({ where: { unitId: target.id, roundId: { in: sourceSubs.map((s) => s.roundId) } } })).map((s) => [s.roundId, s]));
      const clashes = sourceSubs.filter((s) => targetSubs.has(s.roundId));
      for (const s of clashes) {
        const kept = targetSubs.get(s.roundId)!;
        if (s.submittedAt && (!kept.submittedAt || s.submittedAt < kept.submittedAt)) {
          await tx.submission.update({ where: { id: kept.id }, data: { submittedAt: s.submittedAt, lastStatus: s.lastStatus, acknowledgedAt: kept.acknowledgedAt ?? s.acknowledgedAt } });
        }
      }
      await tx.submission.deleteMany({ where: { id: { in: clashes.map((s) => s.id) } } });
      await tx.submission.updateMany({ where: from, data: { unitId: target.id } });

      const cancelled = await cancelWaitingReminders(tx, from, `unit merged into ${target.name}`);
      // One statement each, in turn: a transaction client runs one query at a time.
      const contacts = await tx.contact.updateMany({ where: from, data: { unitId: target.id } });
      const invites = await tx.invite.updateMany({ where: from, data: { unitId: target.id } });
      const statusUpdates = await tx.statusUpdate.updateMany({ where: from, data: { unitId: target.id } });
      const extensions = await tx.extensionRequest.updateMany({ where: from, data: { unitId: target.id } });
      const reminders = await tx.reminder.updateMany({ where: from, data: { unitId: target.id } });

      // Collective membership: the target takes the source's place, never as its own member.
      const links = await tx.unitMember.findMany({ where: { OR: [{ collectiveId: source.id }, { memberId: source.id }] } });
      await tx.unitMember.deleteMany({ where: { OR: [{ collectiveId: source.id }, { memberId: source.id }] } });
      const wanted = links
        .map((l) => ({ collectiveId: l.collectiveId === source.id ? target.id : l.collectiveId, memberId: l.memberId === source.id ? target.id : l.memberId }))
        .filter((l) => l.collectiveId !== l.memberId);
      const existing = await tx.unitMember.findMany({ where: { OR: [{ collectiveId: target.id }, { memberId: target.id }] } });
      const have = new Set(existing.map((l) => `${l.collectiveId}/${l.memberId}`));
      const fresh = [...new Map(wanted.filter((l) => !have.has(`${l.collectiveId}/${l.memberId}`)).map((l) => [`${l.collectiveId}/${l.memberId}`, l])).values()];
      if (fresh.length > 0) await tx.unitMember.createMany({ data: fresh });

      await tx.unit.update({ where: { id: target.id }, data: { collective: target.collective || source.collective } });
      await tx.unit.delete({ where: { id: source.id } });
      const detail = {
        from: source.name,
        into: target.name,
        assignments: moved.count + folded.length,
        foldedAssignments: folded.length,
        submissions: sourceSubs.length,
        foldedSubmissions: clashes.length,
        contacts: contacts.count,
        invites: invites.count,
        statusUpdates: statusUpdates.count,
        extensions: extensions.count,
        reminders: reminders.count,
        cancelledReminders: cancelled,
      };
      await writeAudit(tx, { actorType: "user", actorId: input.actor, action: "unit.merge", entity: "Unit", entityId: target.id, detail, at: input.now });
      return detail;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
