import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";
import { createInvite, InviteError } from "./create-invite.ts";
import { hashInviteToken } from "./invite-token.ts";
import { redeemInvite } from "./redeem-invite.ts";
import { revokeInvite } from "./revoke-invite.ts";

const now = at("2026-10-12", "10:00");
const later = (days: number) => new Date(now.getTime() + days * 24 * 3600 * 1000);
const telegram = (id: string) => ({ telegramUserId: id, telegramChatId: id, telegramName: `用户${id}` });

describe("invites (temporary SQLite)", () => {
  let f: LiaisonFixture;
  beforeEach(async () => {
    f = await liaisonFixture();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it("creates a random single-use deep link and stores only the hash", async () => {
    const invite = await createInvite(f.db, { unitName: "市场监督管理局", botUsername: "duban_bot", now });
    expect(invite.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(invite.link).toBe(`https://t.me/duban_bot?start=${invite.token}`);
    expect(invite.expiresAt).toEqual(later(14));
    expect(invite.role).toBe("liaison");
    const row = await f.db.invite.findUniqueOrThrow({ where: { id: invite.inviteId } });
    expect(row.tokenHash).toBe(hashInviteToken(invite.token));
    expect(JSON.stringify(row)).not.toContain(invite.token);
    const other = await createInvite(f.db, { unitName: "市场监督管理局", botUsername: "duban_bot", now });
    expect(other.token).not.toBe(invite.token);
    expect(await f.db.auditEvent.count({ where: { action: "invite.create" } })).toBe(2);
  });

  it("names an unknown unit and suggests close ones", async () => {
    const error = await createInvite(f.db, { unitName: "市场监管局", botUsername: "b", now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteError);
    expect((error as InviteError).suggestions).toContain("市场监督管理局");
  });

  it("refuses to invite for a collective unit: its member units are invited one by one", async () => {
    const error = await createInvite(f.db, { unitName: "质量、计量、标准化联席会议成员单位", botUsername: "b", now }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "collective-unit" });
    expect(await f.db.invite.count()).toBe(0);
  });

  it("binds the Telegram user to the unit once; used, expired, revoked and unknown tokens are refused", async () => {
    const invite = await createInvite(f.db, { unitName: "市场监督管理局", role: "head", name: "王局长", botUsername: "b", now });
    const first = await redeemInvite(f.db, { token: invite.token, ...telegram("5001"), now: later(1) });
    expect(first).toMatchObject({ ok: true, role: "head", name: "王局长", unit: { name: "市场监督管理局" }, moved: false, already: false });
    const contact = await f.db.contact.findUniqueOrThrow({ where: { telegramUserId: "5001" } });
    expect(contact).toMatchObject({ role: "head", telegramChatId: "5001", status: "active" });

    expect(await redeemInvite(f.db, { token: invite.token, ...telegram("5001"), now: later(2) })).toMatchObject({ ok: true, already: true });
    expect(await redeemInvite(f.db, { token: invite.token, ...telegram("5002"), now: later(2) })).toEqual({ ok: false, reason: "used" });

    const old = await createInvite(f.db, { unitName: "环保局", botUsername: "b", now });
    expect(await redeemInvite(f.db, { token: old.token, ...telegram("5003"), now: later(14) })).toEqual({ ok: false, reason: "expired" });

    const withdrawn = await createInvite(f.db, { unitName: "环保局", botUsername: "b", now });
    expect(await revokeInvite(f.db, { inviteId: withdrawn.inviteId, now })).toEqual({ revoked: true });
    expect(await redeemInvite(f.db, { token: withdrawn.token, ...telegram("5003"), now })).toEqual({ ok: false, reason: "revoked" });

    expect(await redeemInvite(f.db, { token: "x".repeat(32), ...telegram("5003"), now })).toEqual({ ok: false, reason: "invalid" });
    expect(await redeemInvite(f.db, { token: "../../etc", ...telegram("5003"), now })).toEqual({ ok: false, reason: "invalid" });
    expect(await f.db.contact.count({ where: { telegramUserId: "5003" } })).toBe(0);
  });

  it("a second invitation moves the person to the other unit and cancels their queued reminders", async () => {
    const sma = await createInvite(f.db, { unitName: "市场监督管理局", botUsername: "b", now });
    const moved = await redeemInvite(f.db, { token: sma.token, ...telegram("6001"), now });
    if (!moved.ok) throw new Error("expected ok");
    const { roundId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    await f.db.reminder.create({
      data: { key: "k1", kind: "reminder", roundId, unitId: moved.unit.id, contactId: moved.contactId, rung: "due", dueAt: now, text: "t", nextAttemptAt: now },
    });
    const env = await createInvite(f.db, { unitName: "环保局", botUsername: "b", now });
    const result = await redeemInvite(f.db, { token: env.token, ...telegram("6001"), now });
    expect(result).toMatchObject({ ok: true, moved: true, unit: { name: "环保局" }, contactId: moved.contactId });
    expect(await f.db.contact.count({ where: { telegramUserId: "6001" } })).toBe(1);
    expect((await f.db.reminder.findUniqueOrThrow({ where: { key: "k1" } })).state).toBe("cancelled");
  });

  it("binds a contact the office prepared under the invitation's name", async () => {
    const prepared = await f.addContact({ unit: "市场监督管理局", name: "李娜" });
    const invite = await createInvite(f.db, { unitName: "市场监督管理局", name: "李娜", botUsername: "b", now });
    expect(await redeemInvite(f.db, { token: invite.token, ...telegram("7001"), now })).toMatchObject({ ok: true, contactId: prepared });
  });

  it("of two people opening one link at once, exactly one is bound", async () => {
    const invite = await createInvite(f.db, { unitName: "市场监督管理局", botUsername: "b", now });
    const other = f.connect();
    const results = await Promise.all([
      redeemInvite(f.db, { token: invite.token, ...telegram("8001"), now }),
      redeemInvite(other, { token: invite.token, ...telegram("8002"), now }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await f.db.contact.count({ where: { telegramUserId: { in: ["8001", "8002"] } } })).toBe(1);
  });
});
