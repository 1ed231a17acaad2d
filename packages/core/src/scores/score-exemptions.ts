import { z } from "zod";
import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";
import { PlanScopeError } from "../plans/plans.ts";

export const exemptionReasonSchema = z.string().trim().min(2, "请说明免责理由").max(500, "理由请控制在500字以内");

export class ScoreExemptionError extends Error {
  constructor(
    readonly code: "not-found" | "already-exempt" | "not-exempt" | "invalid-reason",
    message: string,
  ) {
    super(message);
  }
}

/** The submission and what the audit says of it; with `planId`, refused unless it is that plan's. */
async function describe(db: Db, submissionId: number, planId?: number | null) {
  const submission = await db.submission.findUnique({
    where: { id: submissionId },
    include: { unit: { select: { name: true } }, round: { select: { periodKey: true, deadline: { select: { title: true, task: { select: { number: true, planId: true } } } } } } },
  });
  if (!submission) throw new ScoreExemptionError("not-found", "报送记录不存在");
  if (planId != null && submission.round.deadline.task.planId !== planId) throw new PlanScopeError(`报送记录 ${submissionId} 不属于方案 ${planId}`);
  return { submission, detail: { unit: submission.unit.name, task: submission.round.deadline.task.number, deadline: submission.round.deadline.title, period: submission.round.periodKey } };
}

/** 考核免责: one submission no longer counts for or against the unit's score. */
export async function grantScoreExemption(db: Db, input: { submissionId: number; planId?: number | null; reason: string; userId: number; now: Date }): Promise<{ exemptionId: number }> {
  const reason = exemptionReasonSchema.safeParse(input.reason);
  if (!reason.success) throw new ScoreExemptionError("invalid-reason", reason.error.issues[0]?.message ?? "理由无效");
  const { detail } = await describe(db, input.submissionId, input.planId);
  if (await db.scoreExemption.findUnique({ where: { submissionId: input.submissionId } })) throw new ScoreExemptionError("already-exempt", "该报送已免责");
  return db.$transaction(async (tx) => {
    const row = await tx.scoreExemption.create({ data: { submissionId: input.submissionId, reason: reason.data, grantedById: input.userId, grantedAt: input.now } });
    await writeAudit(tx, { actorType: "user", actorId: input.userId, action: "score.exempt", entity: "Submission", entityId: input.submissionId, detail: { ...detail, reason: reason.data }, at: input.now });
    return { exemptionId: row.id };
  });
}

/** Withdraws an exemption; the submission counts again. */
export async function revokeScoreExemption(db: Db, input: { submissionId: number; planId?: number | null; userId: number; now: Date }): Promise<void> {
  const { detail } = await describe(db, input.submissionId, input.planId);
  const existing = await db.scoreExemption.findUnique({ where: { submissionId: input.submissionId } });
  if (!existing) throw new ScoreExemptionError("not-exempt", "该报送未免责");
  await db.$transaction(async (tx) => {
    await tx.scoreExemption.delete({ where: { id: existing.id } });
    await writeAudit(tx, { actorType: "user", actorId: input.userId, action: "score.unexempt", entity: "Submission", entityId: input.submissionId, detail: { ...detail, reason: existing.reason }, at: input.now });
  });
}
