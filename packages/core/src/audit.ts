import type { Db, Prisma } from "@duban/db/client";

export type AuditActorType = "user" | "contact" | "system";

export interface AuditEventInput {
  actorType: AuditActorType;
  actorId?: string | number | null;
  /** what happened, dotted verb: "deadline.create", "round.urge", "auth.login" */
  action: string;
  /** the aggregate it happened to: "Deadline", "Round", "User" */
  entity: string;
  entityId?: string | number | null;
  /** anything JSON-serialisable that explains the change (never a password or token) */
  detail?: unknown;
  at?: Date;
}

/** Appends one row to the audit log; pass a transaction client to log atomically with the change. */
export async function writeAudit(db: Db | Prisma.TransactionClient, event: AuditEventInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorType: event.actorType,
      actorId: event.actorId == null ? null : String(event.actorId),
      action: event.action,
      entity: event.entity,
      entityId: event.entityId == null ? null : String(event.entityId),
      detail: event.detail === undefined ? null : JSON.stringify(event.detail),
      ...(event.at ? { at: event.at } : {}),
    },
  });
}
