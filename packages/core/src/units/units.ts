import type { Db } from "@duban/db/client";
import { shortPlanTitle } from "@duban/domain/short-title";
import { cancelWaitingReminders } from "@duban/db/repositories/reminder-outbox";
import { writeAudit } from "../audit/audit.ts";

/**
 * How the office can reach a contact:
 * - ok: joined the chat and the bot can write to them;
 * - not-started: the record exists but the person never opened the bot (no chat yet);
 * - blocked: Telegram answered 403 (the person blocked the bot);
 * - revoked: the office removed them.
 */
export type Reachability = "ok" | "not-started" | "blocked" | "revoked";

export function reachabilityOf(contact: { status: string; telegramChatId: string | null; unreachableAt: Date | null; channels?: ReadonlyArray<{ channel: string }> }): Reachability {
  if (contact.status === "revoked") return "revoked";
  if (contact.status === "blocked" || contact.unreachableAt) return "blocked";
  // Joined on another channel (企业微信 …) counts as reachable as a Telegram chat does.
  if (!contact.telegramChatId && !contact.channels?.some((c) => c.channel !== "telegram")) return "not-started";
  return "ok";
}

export class UnitError extends Error {
  constructor(
    readonly code: "not-found" | "conflict" | "invalid",
    message: string,
  ) {
    super(message);
  }
}

/** Units with their contacts, open invites and how many active tasks they carry. */
export async function listUnits(db: Db, now: Date) {
  const units = await db.unit.findMany({
    orderBy: { id: "asc" },
    include: {
      contacts: { orderBy: [{ role: "asc" }, { id: "asc" }], include: { channels: { select: { channel: true }, orderBy: { id: "asc" } } } },
      invites: { where: { usedAt: null, revokedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" } },
      // Work in active plans only (an archived plan's history is on the unit's page).
      assignments: {
        where: { active: true, task: { active: true, plan: { archivedAt: null } } },
        orderBy: [{ task: { planId: "asc" } }, { task: { ordinal: "asc" } }],
        select: { role: true, task: { select: { id: true, number: true, planId: true, plan: { select: { title: true } } } } },
      },
      members: { select: { memberId: true } },
    },
  });
  const delivery = await deliveryByContact(db);
  return units.map((unit) => {
    const contacts = unit.contacts.map((c) => ({
      id: c.id,
      role: c.role,
      name: c.name,
      telegramName: c.telegramName,
      language: c.language,
      reachability: reachabilityOf(c),
      /** Where the contact joined: "telegram", "wecom" … */
      channels: [...new Set([...(c.telegramChatId ? ["telegram"] : []), ...c.channels.map((ch) => ch.channel)])],
      unreachableAt: c.unreachableAt,
      /** What the outbox says about reaching them (whatever the channel). */
      delivery: deliveryStateOf(c, delivery.get(c.id)),
      createdAt: c.createdAt,
    }));
    const liaisons = contacts.filter((c) => c.role === "liaison" && c.reachability !== "revoked");
    return {
      id: unit.id,
      name: unit.name,
      collective: unit.collective,
      memberCount: unit.members.length,
      tasks: unit.assignments.map((a) => ({ taskId: a.task.id, number: a.task.number, role: a.role, planId: a.task.planId, planShortTitle: shortPlanTitle(a.task.plan.title) })),
      contacts,
      /** The unit as a whole: can the office reach a liaison there? */
      reachability: liaisons.some((c) => c.reachability === "ok")
        ? ("ok" as const)
        : liaisons.some((c) => c.reachability === "blocked")
          ? ("blocked" as const)
          : liaisons.length > 0
            ? ("not-started" as const)
            : ("no-liaison" as const),
      invites: unit.invites.map((i) => ({ id: i.id, role: i.role, name: i.name, expiresAt: i.expiresAt, createdAt: i.createdAt })),
    };
  });
}

/**
 * A contact's delivery as the outbox records it: `unreachable` when the channel said the person
 * cannot be reached (blocked the bot, left the corp) and nobody has heard from them since;
 * `failed` when the latest attempt after the last delivery was refused for good; `delivered`
 * with the time of the last message that arrived; `none` before any message was sent.
 */
export type DeliveryState =
  | { state: "delivered"; lastDeliveredAt: Date }
  | { state: "unreachable"; since: Date; lastDeliveredAt: Date | null }
  | { state: "failed"; at: Date; error: string | null; lastDeliveredAt: Date | null }
  | { state: "none" };

interface OutboxFacts {
  lastDeliveredAt: Date | null;
  lastFailure: { at: Date; error: string | null } | null;
}

/** Two grouped reads of the outbox for every contact at once (never one per contact). */
async function deliveryByContact(db: Db): Promise<Map<number, OutboxFacts>> {
  const [delivered, failed] = await Promise.all([
    db.reminder.groupBy({ by: ["contactId"], where: { state: "sent", contactId: { not: null } }, _max: { sentAt: true } }),
    db.reminder.groupBy({ by: ["contactId"], where: { state: "failed", contactId: { not: null } }, _max: { id: true } }),
  ]);
  const failedIds = failed.flatMap((f) => (f._max.id !== null ? [f._max.id] : []));
  const failures = failedIds.length > 0 ? await db.reminder.findMany({ where: { id: { in: failedIds } }, select: { contactId: true, claimedAt: true, nextAttemptAt: true, lastError: true } }) : [];
  const facts = new Map<number, OutboxFacts>();
  const of = (contactId: number) => facts.get(contactId) ?? facts.set(contactId, { lastDeliveredAt: null, lastFailure: null }).get(contactId)!;
  for (const d of delivered) if (d.contactId !== null) of(d.contactId).lastDeliveredAt = d._max.sentAt;
  for (const f of failures) if (f.contactId !== null) of(f.contactId).lastFailure = { at: f.claimedAt ?? f.nextAttemptAt, error: f.lastError };
  return facts;
}

function deliveryStateOf(contact: { unreachableAt: Date | null }, facts: OutboxFacts | undefined): DeliveryState {
  const lastDeliveredAt = facts?.lastDeliveredAt ?? null;
  if (contact.unreachableAt) return { state: "unreachable", since: contact.unreachableAt, lastDeliveredAt };
  const failure = facts?.lastFailure;
  if (failure && (!lastDeliveredAt || failure.at > lastDeliveredAt)) return { state: "failed", at: failure.at, error: failure.error, lastDeliveredAt };
  return lastDeliveredAt ? { state: "delivered", lastDeliveredAt } : { state: "none" };
}

/** Removes a contact from the unit: no more reminders; history keeps their replies. */
export async function revokeContact(db: Db, input: { contactId: number; now: Date; actor: number }): Promise<void> {
  const contact = await db.contact.findUnique({ where: { id: input.contactId }, include: { unit: true } });
  if (!contact) throw new UnitError("not-found", "联络人不存在");
  if (contact.status === "revoked") return;
  await db.$transaction(async (tx) => {
    await tx.contact.update({ where: { id: contact.id }, data: { status: "revoked" } });
    await cancelWaitingReminders(tx, { contactId: contact.id }, "contact revoked");
    await writeAudit(tx, {
      actorType: "user",
      actorId: input.actor,
      action: "contact.revoke",
      entity: "Contact",
      entityId: contact.id,
      detail: { unit: contact.unit.name, role: contact.role, name: contact.name ?? contact.telegramName },
      at: input.now,
    });
  });
}

/** Renames a contact or switches their role (liaison ↔ head). */
export async function updateContact(
  db: Db,
  input: { contactId: number; name?: string | null; role?: "liaison" | "head"; now: Date; actor: number },
): Promise<void> {
  const contact = await db.contact.findUnique({ where: { id: input.contactId } });
  if (!contact) throw new UnitError("not-found", "联络人不存在");
  const data: { name?: string | null; role?: string } = {};
  if (input.name !== undefined) data.name = input.name?.trim() || null;
  if (input.role !== undefined) data.role = input.role;
  await db.$transaction(async (tx) => {
    await tx.contact.update({ where: { id: contact.id }, data });
    await writeAudit(tx, {
      actorType: "user",
      actorId: input.actor,
      action: "contact.update",
      entity: "Contact",
      entityId: contact.id,
      detail: { before: { name: contact.name, role: contact.role }, after: data },
      at: input.now,
    });
  });
}
