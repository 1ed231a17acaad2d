import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInvite } from "../invites/create-invite.ts";
import { createUser } from "../users/create-user.ts";
import { listUnits, reachabilityOf, revokeContact, updateContact } from "./units.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

const now = at("2026-10-12", "10:00");

describe("单位与联络员 (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let office: number;
  beforeEach(async () => {
    f = await liaisonFixture({ now });
    office = (await createUser(f.db, { username: "office", password: "office password", role: "staff", now, actor: null })).id;
  });
  afterEach(() => f.cleanup());

  it("classifies reachability", () => {
    expect(reachabilityOf({ status: "active", telegramChatId: "1", unreachableAt: null })).toBe("ok");
    expect(reachabilityOf({ status: "active", telegramChatId: null, unreachableAt: null })).toBe("not-started");
    expect(reachabilityOf({ status: "blocked", telegramChatId: "1", unreachableAt: now })).toBe("blocked");
    expect(reachabilityOf({ status: "revoked", telegramChatId: "1", unreachableAt: null })).toBe("revoked");
  });

  it("lists units with tasks, contacts, open invites and whether a liaison can be reached", async () => {
    await f.addContact({ unit: "环保局", telegramUserId: "3001", name: "周" });
    const blocked = await f.addContact({ unit: "农业局", telegramUserId: "3002" });
    await f.db.contact.update({ where: { id: blocked }, data: { status: "blocked", unreachableAt: now } });
    await createInvite(f.db, { unitName: "住建局", role: "liaison", botUsername: "duban_bot", now });
    const units = await listUnits(f.db, now);
    const byName = (name: string) => units.find((u) => u.name === name)!;
    expect(byName("环保局")).toMatchObject({ reachability: "ok", contacts: [expect.objectContaining({ name: "周", reachability: "ok" })] });
    expect(byName("环保局").tasks.map((t) => t.number)).toEqual(["6", "12", "16", "17", "18"]);
    expect(byName("农业局").reachability).toBe("blocked");
    expect(byName("住建局")).toMatchObject({ reachability: "no-liaison", invites: [expect.objectContaining({ role: "liaison" })] });
    expect(units.find((u) => u.collective)?.memberCount).toBeGreaterThan(10);
    // An expired invite is not "open".
    expect((await listUnits(f.db, at("2026-11-30", "10:00"))).find((u) => u.name === "住建局")?.invites).toEqual([]);
  });

  it("revokes a contact: pending reminders to them are cancelled, and it is audited", async () => {
    const contact = await f.addContact({ unit: "环保局", telegramUserId: "3003" });
    const unitId = await f.unitId("环保局");
    await f.db.reminder.create({ data: { key: "k1", kind: "reminder", unitId, contactId: contact, rung: "due", dueAt: now, text: "x", nextAttemptAt: now } });
    await revokeContact(f.db, { contactId: contact, now, actor: office });
    expect((await f.db.contact.findUniqueOrThrow({ where: { id: contact } })).status).toBe("revoked");
    expect((await f.db.reminder.findUniqueOrThrow({ where: { key: "k1" } })).state).toBe("cancelled");
    expect(await f.db.auditEvent.count({ where: { action: "contact.revoke", actorId: String(office) } })).toBe(1);
    await updateContact(f.db, { contactId: contact, name: "新名字", role: "head", now, actor: office });
    expect(await f.db.contact.findUniqueOrThrow({ where: { id: contact } })).toMatchObject({ name: "新名字", role: "head" });
  });
});
