import type { Db } from "@duban/db/client";
import { cancelWaitingReminders, queueReminders } from "@duban/db/repositories/reminder-outbox";
import { isoDateSchema, shanghaiDate, shanghaiInstant } from "@duban/domain/calendar";
import { periodLabel } from "@duban/domain/period";
import { shortPlanTitle } from "@duban/domain/short-title";
import { z } from "zod";
import { writeAudit } from "../audit/audit.ts";
import { BLOCKED_STATUS, latestBlockedStatusIds } from "../board/board.ts";
import { chunks } from "../plans/bulk-rows.ts";
import { PlanScopeError, resolvePlanId } from "../plans/plans.ts";
import { ONCE_PERIOD } from "../rounds/ensure-rounds.ts";
import { userNames } from "../users/user-names.ts";
import { LADDER_KINDS } from "../channels/messenger.ts";

export class ExtensionError extends Error {
  constructor(
    readonly code: "not-found" | "already-decided" | "bad-date",
    message: string,
  ) {
    super(message);
  }
}

export const decideExtensionInput = z.discriminatedUnion("decision", [
  z.object({
    id: z.number().int().positive(),
    /** The plan the office is looking at: the request must be one of its. */
    planId: z.number().int().positive().nullish(),
    decision: z.literal("approve"),
    newDueDate: isoDateSchema,
    reason: z.string().trim().max(500).default(""),
  }),
  z.object({
    id: z.number().int().positive(),
    planId: z.number().int().positive().nullish(),
    decision: z.literal("reject"),
    reason: z.string().trim().min(1, "请填写不予延期的理由").max(500),
  }),
]);
export type DecideExtensionInput = z.input<typeof decideExtensionInput>;

/**
 * The 延期与协调 queue of every active plan (or of `planId`): extension requests (pending first,
 * then the latest decisions) and the task × unit pairs whose latest status is 有困难 — still open,
 * or already coordinated. Each item names its plan. The newest status of each cell is the one the
 * database keeps (`latestBlockedStatusIds`), so the queue does not read the history.
 */
export async function listExtensionQueue(db: Db, filter: { planId?: number | null } = {}) {
  const planId = filter.planId ?? null;
  if (planId !== null) await resolvePlanId(db, planId);
  const plan = { select: { id: true, title: true } } as const;
  const inScope = planId === null ? { plan: { archivedAt: null } } : { planId };
  const requests = await db.extensionRequest.findMany({
    where: { round: { deadline: { task: inScope } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
    include: {
      unit: { select: { id: true, name: true } },
      contact: { select: { name: true, telegramName: true } },
      round: { include: { deadline: { include: { task: { select: { id: true, number: true, title: true, plan } } } }, submissions: true } },
    },
  });
  const deciders = await userNames(db, requests.map((r) => r.decidedById));

  const blockedIds = await latestBlockedStatusIds(db, planId);
  const blockedUpdates = (
    await Promise.all(
      chunks(blockedIds, 500).map((ids) =>
        db.statusUpdate.findMany({
          where: { id: { in: ids } },
          include: { unit: { select: { id: true, name: true } }, task: { select: { id: true, number: true, title: true, plan } }, contact: { select: { name: true, telegramName: true } } },
        }),
      ),
    )
  )
    .flat()
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
  const coordinators = await userNames(db, blockedUpdates.map((u) => u.coordinatedById));
  const flag = (u: (typeof blockedUpdates)[number]) => ({
    statusUpdateId: u.id,
    plan: planRef(u.task.plan),
    task: { id: u.task.id, number: u.task.number, title: u.task.title },
    unit: u.unit,
    note: u.note,
    at: u.createdAt,
    contact: u.contact?.name ?? u.contact?.telegramName ?? null,
    coordinatedAt: u.coordinatedAt,
    coordinationNote: u.coordinationNote,
    coordinatedBy: u.coordinatedById === null ? null : (coordinators.get(u.coordinatedById) ?? null),
  });
  // Open flags wait for the office; coordinated ones stay visible until the unit reports again.
  const blocked = blockedUpdates.filter((u) => !u.coordinatedAt).map(flag);
  const coordinated = blockedUpdates
    .filter((u) => u.coordinatedAt)
    .sort((a, b) => b.coordinatedAt!.getTime() - a.coordinatedAt!.getTime())
    .map(flag);

  const items = requests.map((r) => {
    const submission = r.round.submissions.find((s) => s.unitId === r.unitId);
    return {
      id: r.id,
      state: r.state,
      reason: r.reason,
      at: r.createdAt,
      unit: r.unit,
      contact: r.contact?.name ?? r.contact?.telegramName ?? null,
      plan: planRef(r.round.deadline.task.plan),
      task: { id: r.round.deadline.task.id, number: r.round.deadline.task.number, title: r.round.deadline.task.title },
      deadline: r.round.deadline.title,
      roundId: r.roundId,
      periodKey: r.round.periodKey,
      originalDueAt: r.round.dueAt,
      currentDueAt: submission?.dueAt ?? r.round.dueAt,
      submitted: Boolean(submission?.submittedAt),
      newDueAt: r.newDueAt,
      decisionReason: r.decisionReason,
      decidedAt: r.decidedAt,
      decidedBy: r.decidedById === null ? null : (deciders.get(r.decidedById) ?? null),
    };
  });
  return {
    pending: items.filter((i) => i.state === "pending").reverse(),
    decided: items.filter((i) => i.state !== "pending"),
    blocked,
    coordinated,
  };
}

function planRef(plan: { id: number; title: string }) {
  return { id: plan.id, title: plan.title, shortTitle: shortPlanTitle(plan.title) };
}

function decisionText(lang: "zh" | "en", input: { approved: boolean; plan: string; task: string; period: string | null; newDueDate: string | null; oldDueDate: string; reason: string }): string {
  const reason = input.reason.trim();
  if (lang === "en") {
    const what = `your extension request for task ${input.task} of “${input.plan}”${input.period ? ` (${input.period})` : ""}`;
    return input.approved
      ? `The office approved ${what}. New due date: ${input.newDueDate}.${reason ? `\nNote: ${reason}` : ""}`
      : `The office did not approve ${what}. The due date stays ${input.oldDueDate}.\nReason: ${reason}`;
  }
  const what = `贵单位关于《${input.plan}》任务${input.task}${input.period ? `（${input.period}）` : ""}的延期申请`;
  return input.approved
    ? `【延期批复】${what}已批准，新的截止日期：${input.newDueDate}。${reason ? `\n说明：${reason}` : ""}`
    : `【延期批复】${what}未获批准，截止日期仍为 ${input.oldDueDate}。\n理由：${reason}`;
}

/**
 * Approves (with a new due date for that unit's submission) or rejects (with a reason) an
 * extension request. The round's own due date stays for the record; the decision goes back to
 * the requesting liaison (or, if they are gone, the unit's liaisons) as a "decision" reminder
 * that the dispatcher delivers.
 */
export async function decideExtension(db: Db, raw: DecideExtensionInput, now: Date, actor: number) {
  const input = decideExtensionInput.parse(raw);
  const request = await db.extensionRequest.findUnique({
    where: { id: input.id },
    include: {
      round: { include: { deadline: { include: { task: { include: { plan: { select: { title: true } } } } } } } },
      unit: { include: { contacts: true } },
    },
  });
  if (!request) throw new ExtensionError("not-found", "延期申请不存在");
  if (input.planId != null && request.round.deadline.task.planId !== input.planId) throw new PlanScopeError(`延期申请 ${input.id} 不属于方案 ${input.planId}`);
  if (request.state !== "pending") throw new ExtensionError("already-decided", "该申请已处理");

  const submission = await db.submission.findUnique({ where: { roundId_unitId: { roundId: request.roundId, unitId: request.unitId } } });
  const oldDueAt = submission?.dueAt ?? request.round.dueAt;
  const approved = input.decision === "approve";
  const newDueAt = approved ? shanghaiInstant(input.newDueDate, request.round.deadline.dueTime) : null;
  if (newDueAt && newDueAt.getTime() <= oldDueAt.getTime()) throw new ExtensionError("bad-date", "新的截止日期应晚于原截止日期");

  const requester = request.unit.contacts.find((c) => c.id === request.contactId && c.status === "active");
  const recipients = requester ? [requester] : request.unit.contacts.filter((c) => c.role === "liaison" && c.status === "active");
  const period = request.round.periodKey === ONCE_PERIOD ? null : request.round.periodKey;

  await db.$transaction(async (tx) => {
    await tx.extensionRequest.update({
      where: { id: request.id },
      data: { state: approved ? "approved" : "rejected", newDueAt, decisionReason: input.reason || null, decidedById: actor, decidedAt: now },
    });
    if (newDueAt && submission) {
      await tx.submission.update({ where: { id: submission.id }, data: { dueAt: newDueAt } });
      // Rungs planned against the old date no longer apply; the ladder replans from the new one.
      await cancelWaitingReminders(tx, { roundId: request.roundId, unitId: request.unitId, kind: { in: LADDER_KINDS } }, "extension approved");
      // The extension is the office's answer to the unit's 有困难 on this task: the flag is
      // coordinated by it instead of waiting in the queue for a second, separate decision.
      await tx.statusUpdate.updateMany({
        where: { taskId: request.round.deadline.taskId, unitId: request.unitId, status: BLOCKED_STATUS, coordinatedAt: null },
        data: {
          coordinatedAt: now,
          coordinatedById: actor,
          coordinationNote: `已批准延期至 ${shanghaiDate(newDueAt)}${input.reason ? `：${input.reason}` : ""}`,
        },
      });
    }
    await queueReminders(
      tx,
      recipients.map((contact) => {
        const lang = contact.language === "en" ? "en" : "zh";
        return {
          key: `ext${request.id}:c${contact.id}:decision`,
          kind: "decision",
          roundId: request.roundId,
          unitId: request.unitId,
          contactId: contact.id,
          rung: "decision",
          dueAt: now,
          text: decisionText(lang, {
            approved,
            plan: shortPlanTitle(request.round.deadline.task.plan.title),
            task: `${request.round.deadline.task.number} ${request.round.deadline.task.title}`,
            period: period ? periodLabel(period, lang) : null,
            newDueDate: newDueAt ? shanghaiDate(newDueAt) : null,
            oldDueDate: shanghaiDate(oldDueAt),
            reason: input.reason,
          }),
          now,
        };
      }),
    );
    await writeAudit(tx, {
      actorType: "user",
      actorId: actor,
      action: approved ? "extension.approve" : "extension.reject",
      entity: "ExtensionRequest",
      entityId: request.id,
      detail: { unit: request.unit.name, roundId: request.roundId, oldDueAt, newDueAt, reason: input.reason, notified: recipients.length },
      at: now,
    });
  });
  return { state: approved ? "approved" : "rejected", newDueAt, notified: recipients.length };
}
