import type { Db, Prisma } from "@duban/db/client";
import { sql } from "@duban/db/driver-sql";

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

/** The INSERT of one audit row (for a statement run inside another path's transaction, see SqlRunner). */
export function auditStatement(event: AuditEventInput): Prisma.Sql {
  const actorId = event.actorId == null ? null : String(event.actorId);
  const entityId = event.entityId == null ? null : String(event.entityId);
  const detail = event.detail === undefined ? null : JSON.stringify(event.detail);
  return sql`
    INSERT INTO "AuditEvent" ("at", "actorType", "actorId", "action", "entity", "entityId", "detail")
    VALUES (${event.at ?? new Date()}, ${event.actorType}, ${actorId}, ${event.action}, ${event.entity}, ${entityId}, ${detail})`;
}

/**
 * Appends one row to the audit log; pass a transaction client to log atomically with the change.
 * One plain INSERT (it is on every hot write path, and a model call costs Prisma twice as much).
 */
export async function writeAudit(db: Db | Prisma.TransactionClient, event: AuditEventInput): Promise<void> {
  await db.$executeRaw(auditStatement(event));
}

export interface AuditQuery {
  page: number;
  pageSize: number;
  /** prefix of the action ("deadline" matches deadline.create, deadline.update…) */
  action?: string | null;
  entity?: string | null;
  actorType?: AuditActorType | null;
  from?: Date | null;
  to?: Date | null;
}

/** The 审计日志 page: newest first, with the acting user's or contact's name resolved. */
export async function listAudit(db: Db, query: AuditQuery) {
  const where = {
    ...(query.action ? { action: { startsWith: query.action } } : {}),
    ...(query.entity ? { entity: query.entity } : {}),
    ...(query.actorType ? { actorType: query.actorType } : {}),
    ...(query.from || query.to ? { at: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lte: query.to } : {}) } } : {}),
  };
  const [total, rows] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], skip: (query.page - 1) * query.pageSize, take: query.pageSize }),
  ]);
  const userIds = [...new Set(rows.filter((r) => r.actorType === "user" && r.actorId).map((r) => Number(r.actorId)))].filter(Number.isInteger);
  const contactIds = [...new Set(rows.filter((r) => r.actorType === "contact" && r.actorId).map((r) => Number(r.actorId)))].filter(Number.isInteger);
  const [users, contacts] = await Promise.all([
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, username: true, displayName: true } }),
    db.contact.findMany({ where: { id: { in: contactIds } }, select: { id: true, name: true, telegramName: true, unit: { select: { name: true } } } }),
  ]);
  const actorName = (r: (typeof rows)[number]): string | null => {
    if (r.actorType === "user") {
      const u = users.find((x) => String(x.id) === r.actorId);
      return u ? (u.displayName ? `${u.displayName}（${u.username}）` : u.username) : r.actorId;
    }
    if (r.actorType === "contact") {
      const c = contacts.find((x) => String(x.id) === r.actorId);
      return c ? `${c.unit.name} ${c.name ?? c.telegramName ?? ""}`.trim() : r.actorId;
    }
    return null;
  };
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorType: r.actorType,
      actorId: r.actorId,
      actor: actorName(r),
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      detail: r.detail,
    })),
  };
}
