import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUser } from "../users/create-user.ts";
import { broadcastNotice, listNotices, noticeIdOfKey, previewNotice, recordNoticeReceipt, remindUnreceived } from "./notices.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

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
    expect(listed[0]).toMatchObject({ title: "联席会议", total: 2, sent: 0, by: "office", scope: "all", receivedUnits: 0, totalUnits: 2 });
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

  it("previews the audience before sending: people, units, and who cannot be reached", async () => {
    const blocked = await f.addContact({ unit: "农业局", telegramUserId: "6005", name: "王五" });
    await f.db.contact.update({ where: { id: blocked }, data: { status: "blocked", unreachableAt: now } });
    await f.addContact({ unit: "市场监督管理局", telegramUserId: null, name: "未绑定" });
    const preview = await previewNotice(f.db, { unitIds: null });
    expect(preview.recipients).toBe(2);
    expect(preview.unreachable).toEqual(
      expect.arrayContaining([
        { unit: "农业局", contact: "王五", role: "liaison", reason: "blocked" },
        { unit: "市场监督管理局", contact: "未绑定", role: "liaison", reason: "not-started" },
      ]),
    );
    expect(preview.withoutContact.map((u) => u.name)).toEqual(expect.arrayContaining(["住建局", "市场监督管理局"]));
    expect(preview.withoutContact.map((u) => u.name)).not.toContain("农业局");
    // A collective unit stands for its members, it is never a recipient of its own.
    const collective = await f.db.unit.findFirst({ where: { collective: true } });
    expect(preview.withoutContact.map((u) => u.name)).not.toContain(collective?.name);
    // Previewing writes nothing.
    expect(await f.db.reminder.count({ where: { kind: "notice" } })).toBe(0);
  });

  it("targets the units of one plan", async () => {
    const plan = await f.db.plan.findFirstOrThrow();
    const other = await f.db.unit.create({ data: { name: "不在方案中的单位" } });
    await f.db.contact.create({ data: { unitId: other.id, role: "liaison", telegramUserId: "6099", telegramChatId: "6099" } });
    const result = await broadcastNotice(f.db, { text: "方案内通知", unitIds: null, planId: plan.id }, now, office);
    const reached = await f.db.reminder.findMany({ where: { kind: "notice" }, include: { unit: true } });
    expect(reached.map((r) => r.unit.name).sort()).toEqual(["农业局", "环保局"]);
    expect(result.recipients).toBe(2);
    expect((await listNotices(f.db))[0]?.plan).toBe(plan.title);
    await expect(previewNotice(f.db, { unitIds: [other.id], planId: plan.id })).rejects.toThrow();
  });

  it("records a receipt once per contact, counts signed units, and re-sends only to units that have not signed", async () => {
    const env = await f.unitId("环保局");
    const { noticeId } = await broadcastNotice(f.db, { title: "会议", text: "周五开会", unitIds: null, includeHeads: true }, now, office);
    const rows = await f.db.reminder.findMany({ where: { kind: "notice" }, include: { contact: true } });
    expect(rows.every((r) => noticeIdOfKey(r.key) === noticeId)).toBe(true);
    const envHead = rows.find((r) => r.unitId === env && r.contact?.role === "head")!;

    const tapAt = new Date(now.getTime() + 60_000);
    expect(await recordNoticeReceipt(f.db, { noticeId, contactId: envHead.contactId!, now: tapAt })).toEqual({ recorded: true, receivedAt: tapAt });
    // A second tap (or a replayed one) adds nothing and keeps the first time.
    expect(await recordNoticeReceipt(f.db, { noticeId, contactId: envHead.contactId!, now: new Date(tapAt.getTime() + 5000) })).toEqual({ recorded: false, receivedAt: tapAt });
    expect(await f.db.noticeReceipt.count()).toBe(1);
    // Someone the notice was not sent to cannot sign it.
    const stranger = await f.addContact({ unit: "住建局", telegramUserId: "6010" });
    await expect(recordNoticeReceipt(f.db, { noticeId, contactId: stranger, now })).rejects.toThrow();

    let [listed] = await listNotices(f.db);
    expect(listed).toMatchObject({ receivedUnits: 1, totalUnits: 2, total: 3 });
    const envRow = listed!.units.find((u) => u.unit === "环保局")!;
    expect(envRow.receivedAt).toEqual(tapAt);
    expect(envRow.recipients.map((r) => [r.role, r.receivedAt !== null]).sort()).toEqual([["head", true], ["liaison", false]]);
    expect(listed!.units.find((u) => u.unit === "农业局")!.receivedAt).toBeNull();

    // Re-send: only 农业局 (环保局 signed through its head); re-send 1 asked twice (a double click) queues it once.
    const later = new Date(now.getTime() + 3600_000);
    const [a, b] = await Promise.all([remindUnreceived(f.db, { noticeId, ordinal: 1, now: later, actor: office }), remindUnreceived(f.db, { noticeId, ordinal: 1, now: later, actor: office })]);
    expect(a.recipients + b.recipients).toBe(1);
    expect((await remindUnreceived(f.db, { noticeId, ordinal: 1, now: later, actor: office })).recipients).toBe(0);
    let again = await f.db.reminder.findMany({ where: { kind: "notice", rung: "notice-again" }, include: { unit: true } });
    expect(again.map((r) => r.unit.name)).toEqual(["农业局"]);
    expect(again[0]?.text).toBe("【通知·再次提醒】会议\n周五开会");
    expect(noticeIdOfKey(again[0]!.key)).toBe(noticeId);
    expect(await f.db.auditEvent.count({ where: { action: "notice.remind" } })).toBe(1);

    // A later re-send is a new one: one more message to whoever has still not signed.
    await remindUnreceived(f.db, { noticeId, ordinal: 2, now: new Date(later.getTime() + 3600_000), actor: office });
    again = await f.db.reminder.findMany({ where: { kind: "notice", rung: "notice-again" }, include: { unit: true } });
    expect(again.map((r) => r.unit.name)).toEqual(["农业局", "农业局"]);
    // The re-send does not count as another recipient of the notice.
    [listed] = await listNotices(f.db);
    expect(listed).toMatchObject({ total: 3, totalUnits: 2, reminded: [later, new Date(later.getTime() + 3600_000)] });

    // Once everyone signed, a re-send has nobody to go to.
    const agri = rows.find((r) => r.contact?.telegramUserId === "6003")!;
    await recordNoticeReceipt(f.db, { noticeId, contactId: agri.contactId!, now: later });
    expect((await remindUnreceived(f.db, { noticeId, now: later, actor: office })).recipients).toBe(0);
    expect((await listNotices(f.db))[0]).toMatchObject({ receivedUnits: 2, totalUnits: 2 });
  });
});
