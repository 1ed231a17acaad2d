import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUser } from "./users/create-user.ts";
import { broadcastNotice, listNotices } from "./notices.ts";
import { at, liaisonFixture, type LiaisonFixture } from "./testing/liaison-fixture.ts";

const now = at("2026-10-12", "10:00");

describe("通知 broadcast (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let office: number;
  beforeEach(async () => {
    f = await liaisonFixture({ now });
    office = (await createUser(f.db, { username: "office", password: "office password", role: "staff", now, actor: null })).id;
    await f.addContact({ unit: "环保局", telegramUserId: "6001" });
    await f.addContact({ unit: "环保局", role: "head", telegramUserId: "6002" });
    await f.addContact({ unit: "农业局", telegramUserId: "6003" });
    const revoked = await f.addContact({ unit: "住建局", telegramUserId: "6004" });
    await f.db.contact.update({ where: { id: revoked }, data: { status: "revoked" } });
  });
  afterEach(() => f.cleanup());

  it("queues one notice per active liaison of every unit, and lists units nobody can receive it in", async () => {
    const result = await broadcastNotice(f.db, { title: "联席会议", text: "请于周五下午3点到市政府3楼会议室参加联席会议。", unitIds: null }, now, office);
    expect(result.recipients).toBe(2);
    expect(result.withoutContact.map((u) => u.name)).toContain("住建局");
    const reminders = await f.db.reminder.findMany({ where: { kind: "notice" }, include: { unit: true } });
    expect(reminders.map((r) => r.unit.name).sort()).toEqual(["农业局", "环保局"]);
    expect(reminders[0]?.text).toBe("【通知】联席会议\n请于周五下午3点到市政府3楼会议室参加联席会议。");
    const listed = await listNotices(f.db);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ title: "联席会议", total: 2, sent: 0, by: "office", units: "all" });
  });

  it("sends to selected units only, heads too when asked", async () => {
    const env = await f.unitId("环保局");
    const result = await broadcastNotice(f.db, { text: "请报送2026年环境质量数据", unitIds: [env], includeHeads: true }, now, office);
    expect(result.recipients).toBe(2);
    const contacts = await f.db.reminder.findMany({ where: { kind: "notice" }, include: { contact: true } });
    expect(contacts.map((r) => r.contact?.role).sort()).toEqual(["head", "liaison"]);
    expect(await f.db.auditEvent.count({ where: { action: "notice.broadcast", actorId: String(office) } })).toBe(1);
  });

  it("refuses an empty text", async () => {
    await expect(broadcastNotice(f.db, { text: "  ", unitIds: null }, now, office)).rejects.toThrow();
  });
});
