import type { Db } from "@duban/db/client";
import { queueReminders } from "@duban/db/repositories/reminder-outbox";
import { periodLabel } from "@duban/domain/period";
import { shortPlanTitle } from "@duban/domain/short-title";
import { z } from "zod";
import { writeAudit } from "../audit/audit.ts";
import { BLOCKED_STATUS } from "../board/board.ts";
import { ONCE_PERIOD } from "../rounds/ensure-rounds.ts";
import { PlanScopeError } from "../plans/plans.ts";

export class CoordinateBlockerError extends Error {
  constructor(
    readonly code: "not-found" | "not-blocked" | "already-coordinated" | "superseded",
    message: string,
  ) {
    super(message);
  }
}

export const coordinateBlockerInput = z.object({
  statusUpdateId: z.number().int().positive(),
  /** The plan the office is looking at: the report must be about one of its tasks. */
  planId: z.number().int().positive().nullish(),
  note: z.string().trim().min(1, "请填写协调结果").max(500, "协调结果请控制在500字以内"),
});
export type CoordinateBlockerInput = z.input<typeof coordinateBlockerInput>;

function coordinationText(lang: "zh" | "en", input: { plan: string; task: string; period: string | null; note: string }): string {
  if (lang === "en") {
    return `The office has coordinated the difficulty your unit reported on task ${input.task} of “${input.plan}”${input.period ? ` (${input.period})` : ""}.\nResult: ${input.note}\nPlease carry on and report your progress.`;
  }
  return `【协调结果】贵单位在《${input.plan}》任务${input.task}${input.period ? `（${input.period}）` : ""}中反映的困难，办公室已协调。\n协调意见：${input.note}\n请继续推进并及时报送进展。`;
}

/**
 * 有困难 → 已协调: the office records how it handled a difficulty a unit reported. The report
 * leaves the 延期与协调 queue and no longer holds the board's light at yellow; the unit's own
 * status stays as reported until it answers again. The liaison who reported it (or, if they are
 * gone, the unit's liaisons) is told through a "decision" reminder, like an extension decision.
 * Only the unit's latest report on the task can be coordinated: an older one is already superseded.
 */
export async function coordinateBlocker(db: Db, raw: CoordinateBlockerInput, now: Date, actor: number) {
  const input = coordinateBlockerInput.parse(raw);
  const update = await db.statusUpdate.findUnique({
    where: { id: input.statusUpdateId },
    include: {
      task: { select: { number: true, title: true, planId: true, plan: { select: { title: true } } } },
      round: { select: { periodKey: true } },
      unit: { include: { contacts: true } },
    },
  });
  if (!update) throw new CoordinateBlockerError("not-found", "该条进展记录不存在");
  if (input.planId != null && update.task.planId !== input.planId) throw new PlanScopeError(`进展记录 ${input.statusUpdateId} 不属于方案 ${input.planId}`);
  if (update.status !== BLOCKED_STATUS) throw new CoordinateBlockerError("not-blocked", "该条进展不是“有困难”");
  if (update.coordinatedAt) throw new CoordinateBlockerError("already-coordinated", "该困难已标记为已协调");
  const newer = await db.statusUpdate.findFirst({
    where: { taskId: update.taskId, unitId: update.unitId, OR: [{ createdAt: { gt: update.createdAt } }, { createdAt: update.createdAt, id: { gt: update.id } }] },
    select: { id: true },
  });
  if (newer) throw new CoordinateBlockerError("superseded", "该单位已报送了更新的进展，请刷新后再处理");

  const reporter = update.unit.contacts.find((c) => c.id === update.contactId && c.status === "active");
  const recipients = reporter ? [reporter] : update.unit.contacts.filter((c) => c.role === "liaison" && c.status === "active");
  const period = update.round && update.round.periodKey !== ONCE_PERIOD ? update.round.periodKey : null;

  return db.$transaction(async (tx) => {
    // Conditional, so two office users coordinating at once record it once.
    const claimed = await tx.statusUpdate.updateMany({
      where: { id: update.id, coordinatedAt: null },
      data: { coordinatedAt: now, coordinatedById: actor, coordinationNote: input.note },
    });
    if (claimed.count !== 1) throw new CoordinateBlockerError("already-coordinated", "该困难已标记为已协调");
    await queueReminders(
      tx,
      recipients.map((contact) => {
        const lang = contact.language === "en" ? "en" : "zh";
        return {
          key: `su${update.id}:c${contact.id}:coordination`,
          kind: "decision",
          roundId: update.roundId,
          unitId: update.unitId,
          contactId: contact.id,
          rung: "decision",
          dueAt: now,
          text: coordinationText(lang, { plan: shortPlanTitle(update.task.plan.title), task: `${update.task.number} ${update.task.title}`, period: period ? periodLabel(period, lang) : null, note: input.note }),
          now,
        };
      }),
    );
    await writeAudit(tx, {
      actorType: "user",
      actorId: actor,
      action: "blocker.coordinate",
      entity: "StatusUpdate",
      entityId: update.id,
      detail: { taskId: update.taskId, unit: update.unit.name, note: input.note, notified: recipients.length },
      at: now,
    });
    return { statusUpdateId: update.id, coordinatedAt: now, notified: recipients.length };
  });
}
