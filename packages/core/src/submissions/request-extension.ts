import { z } from "zod";
import type { Db } from "@duban/db/client";
import { writeAudit } from "../audit/audit.ts";

export const extensionReasonSchema = z.string().trim().min(2, "请说明理由").max(500, "理由请控制在500字以内");

export class ExtensionRequestError extends Error {
  constructor(
    readonly code: "not-owed" | "already-submitted" | "already-pending" | "invalid-reason" | "contact-inactive",
    message: string,
  ) {
    super(message);
  }
}

/**
 * 申请延期: puts the unit's request into the office's queue. The round's due date is left as
 * it is — the original deadline stays on record; only the office's decision can move it.
 */
export async function requestExtension(
  db: Db,
  input: { contactId: number; roundId: number; reason: string; now: Date },
): Promise<{ extensionRequestId: number; dueAt: Date }> {
  const reason = extensionReasonSchema.safeParse(input.reason);
  if (!reason.success) throw new ExtensionRequestError("invalid-reason", reason.error.issues[0]?.message ?? "理由无效");
  const contact = await db.contact.findUnique({ where: { id: input.contactId } });
  if (!contact || contact.status === "revoked") throw new ExtensionRequestError("contact-inactive", "联络人不存在或已停用");
  const submission = await db.submission.findUnique({ where: { roundId_unitId: { roundId: input.roundId, unitId: contact.unitId } } });
  if (!submission) throw new ExtensionRequestError("not-owed", "本单位无需报送该轮次");
  if (submission.submittedAt) throw new ExtensionRequestError("already-submitted", "本单位已报送，无需延期");
  const pending = await db.extensionRequest.findFirst({ where: { roundId: input.roundId, unitId: contact.unitId, state: "pending" } });
  if (pending) throw new ExtensionRequestError("already-pending", "已有延期申请正在审核");

  return db.$transaction(async (tx) => {
    const request = await tx.extensionRequest.create({
      data: { roundId: input.roundId, unitId: contact.unitId, contactId: contact.id, reason: reason.data, createdAt: input.now },
    });
    await tx.submission.update({ where: { id: submission.id }, data: { acknowledgedAt: submission.acknowledgedAt ?? input.now } });
    await writeAudit(tx, {
      actorType: "contact",
      actorId: contact.id,
      action: "extension.request",
      entity: "ExtensionRequest",
      entityId: request.id,
      detail: { roundId: input.roundId, unitId: contact.unitId },
      at: input.now,
    });
    return { extensionRequestId: request.id, dueAt: submission.dueAt };
  });
}
