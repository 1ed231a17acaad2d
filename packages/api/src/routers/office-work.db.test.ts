import { TRPCError } from "@trpc/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveSession } from "@duban/core/auth/session";
import { inviteTokenInText, redeemChannelInvite } from "@duban/core/invites/redeem-channel-invite";
import { recordStatus } from "@duban/core/submissions/record-status";
import { at, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createUser } from "@duban/core/users/create-user";
import { shanghaiTime } from "@duban/domain/calendar";
import { DEFAULT_WORKING_HOURS } from "@duban/domain/working-hours";
import { appRouter } from "../root.ts";
import { createCallerFactory, type ApiContext, type Role, type SessionUser } from "../trpc.ts";

const now = at("2026-10-12", "10:00");
const createCaller = createCallerFactory(appRouter);

/** What the console receives for a refusal: the code, and the data the error formatter adds. */
async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const shape = appRouter._def._config.errorFormatter({
      error,
      type: "mutation",
      path: undefined,
      input: undefined,
      ctx: undefined,
      shape: { message: error.message, code: -32600, data: { code: error.code, httpStatus: 400 } },
    }) as { data: { reason: string | null; issues: Array<{ path: string; code: string; maximum?: number }> | null } };
    return { code: error.code, message: error.message, ...shape.data };
  }
  throw new Error("expected a refusal");
}

describe("office work through the API (temporary SQLite)", () => {
  let f: LiaisonFixture;
  const users = {} as Record<Role, SessionUser>;
  const ctx = (role: Role, over: Partial<ApiContext> = {}): ApiContext => ({
    db: f.db,
    now: () => now,
    user: users[role],
    sessionId: "token",
    ip: "192.0.2.1",
    setHeader: () => {},
    messenger: null,
    botUsername: null,
    secureCookies: false,
    workingHours: DEFAULT_WORKING_HOURS,
    ...over,
  });
  beforeEach(async () => {
    f = await liaisonFixture({ now });
    for (const role of ["admin", "staff", "viewer"] as const) {
      const user = await createUser(f.db, { username: role, password: `${role} password 1`, role, displayName: role === "staff" ? "王主任" : null, now, actor: null });
      users[role] = { id: user.id, username: role, role, displayName: user.displayName };
    }
  });
  afterEach(() => f.cleanup());

  describe("statusUpdates.record (代为填报)", () => {
    it("records the office's entry for a unit, counts it for the round, audits it, and turns the board cell green", async () => {
      const task8 = await f.taskId("8");
      const market = await f.unitId("市场监督管理局");
      const { roundId, submissionId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
      const staff = createCaller(ctx("staff"));
      const cell = async () => (await staff.board.get({})).rows.find((r) => r.taskId === task8)!.cells.find((c) => c.unitId === market)!;
      expect((await cell()).light).toBe("yellow");

      const indicator = await f.db.indicator.findFirstOrThrow({ where: { taskId: task8, name: { contains: "受检率" } } });
      const result = await staff.statusUpdates.record({ taskId: task8, unitId: market, roundId, status: "done", note: "电话确认：已完成", values: [{ indicatorId: indicator.id, value: 96.5 }] });
      expect(result).toMatchObject({ status: "done", progress: 100, submitted: true, newlySubmitted: true, values: [{ value: 96.5 }] });

      const update = await f.db.statusUpdate.findUniqueOrThrow({ where: { id: result.statusUpdateId } });
      expect(update).toMatchObject({ unitId: market, contactId: null, userId: users.staff.id, source: "console", roundId, note: "电话确认：已完成" });
      expect((await f.db.submission.findUniqueOrThrow({ where: { id: submissionId } })).submittedAt).toEqual(now);
      const audit = await f.db.auditEvent.findFirstOrThrow({ where: { action: "status.record", entityId: String(update.id) } });
      expect(audit).toMatchObject({ actorType: "user", actorId: String(users.staff.id) });
      expect(JSON.parse(audit.detail!)).toMatchObject({ source: "console", status: "done", submitted: true });

      expect(await cell()).toMatchObject({ light: "green", status: "done" });
      const history = await staff.board.cell({ taskId: task8, unitId: market });
      expect(history.history[0]).toMatchObject({ byOffice: true, officeUser: "王主任", note: "电话确认：已完成", contact: null });
    });

    it("refuses a viewer, a task the unit does not hold, a round of another task, and bad input — with a reason code and issues", async () => {
      const task8 = await f.taskId("8");
      const market = await f.unitId("市场监督管理局");
      const railway = await f.unitId("铁路公司");
      const viewer = createCaller(ctx("viewer"));
      expect(await refusal(viewer.statusUpdates.record({ taskId: task8, unitId: market, status: "done" }))).toMatchObject({ code: "FORBIDDEN" });

      const staff = createCaller(ctx("staff"));
      expect(await refusal(staff.statusUpdates.record({ taskId: task8, unitId: railway, status: "done" }))).toMatchObject({ code: "BAD_REQUEST", reason: "not-your-task" });
      const other = await f.round({ task: "6", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
      expect(await refusal(staff.statusUpdates.record({ taskId: task8, unitId: market, roundId: other.roundId, status: "done" }))).toMatchObject({ code: "BAD_REQUEST", reason: "round-mismatch" });
      expect(await refusal(staff.statusUpdates.record({ taskId: task8, unitId: 999_999, status: "done" }))).toMatchObject({ code: "NOT_FOUND", reason: "not-found" });

      const invalid = await refusal(staff.statusUpdates.record({ taskId: task8, unitId: market, status: "done", progress: 150 }));
      expect(invalid).toMatchObject({ code: "BAD_REQUEST", reason: null, issues: [expect.objectContaining({ path: "progress", code: "too_big", maximum: 100 })] });
      expect(await f.db.statusUpdate.count()).toBe(0);
    });
  });

  describe("extensions.coordinate (有困难 → 已协调)", () => {
    it("marks the flag coordinated, queues the answer to the liaison, and refuses twice", async () => {
      const task13 = await f.taskId("13");
      const liaison = await f.addContact({ unit: "农业局", telegramUserId: "7001", name: "李联络" });
      const reported = await recordStatus(f.db, { contactId: liaison, taskId: task13, status: "blocked", note: "抽检经费未落实", source: "telegram-text", now });
      const staff = createCaller(ctx("staff"));
      expect((await staff.extensions.queue()).blocked).toHaveLength(1);

      expect(await refusal(createCaller(ctx("viewer")).extensions.coordinate({ statusUpdateId: reported.statusUpdateId, note: "x" }))).toMatchObject({ code: "FORBIDDEN" });
      expect(await refusal(staff.extensions.coordinate({ statusUpdateId: reported.statusUpdateId, note: "" }))).toMatchObject({ code: "BAD_REQUEST", issues: [expect.objectContaining({ path: "note", code: "too_small" })] });

      let delivered = 0;
      const withScheduler = createCaller(ctx("staff", { deliverNow: () => delivered++ }));
      expect(await withScheduler.extensions.coordinate({ statusUpdateId: reported.statusUpdateId, note: "已协调财政局" })).toMatchObject({ notified: 1 });
      // The answer goes out now, not at the scheduler's next minute.
      expect(delivered).toBe(1);
      const queue = await staff.extensions.queue();
      expect(queue.blocked).toEqual([]);
      expect(queue.coordinated[0]).toMatchObject({ coordinationNote: "已协调财政局", coordinatedBy: "王主任" });
      // The unit's history names who coordinated.
      const history = await staff.board.cell({ taskId: task13, unitId: await f.unitId("农业局") });
      expect(history.history.find((h) => h.id === reported.statusUpdateId)).toMatchObject({ coordinatedBy: "王主任", coordinationNote: "已协调财政局" });
      expect(await f.db.reminder.findFirstOrThrow({ where: { kind: "decision", contactId: liaison } })).toMatchObject({ state: "pending" });
      expect(await refusal(staff.extensions.coordinate({ statusUpdateId: reported.statusUpdateId, note: "再次" }))).toMatchObject({ code: "BAD_REQUEST", reason: "already-coordinated" });
    });
  });

  describe("deadlines.preview", () => {
    it("places the coming rungs within the server's working hours (ctx.workingHours)", async () => {
      await f.addContact({ unit: "市场监督管理局", telegramUserId: "7002", name: "李联络" });
      const shanghaiTimes = (items: Array<{ at: string }>) => new Set(items.map((r) => shanghaiTime(new Date(r.at))));
      // From 08:00, so that both the 09:00 and the 13:00 rungs of the first and last day fall on the same side of the window.
      const early = () => at("2026-10-12", "08:00");
      const byDefault = await createCaller(ctx("viewer", { now: early })).deadlines.preview({ days: 7 });
      expect(byDefault.length).toBeGreaterThan(0);
      expect(shanghaiTimes(byDefault)).toEqual(new Set(["09:00"]));
      // 09:00 is before 13:00-17:00: every rung waits for 13:00 the same workday.
      const afternoons = await createCaller(ctx("viewer", { now: early, workingHours: { start: "13:00", end: "17:00" } })).deadlines.preview({ days: 7 });
      expect(afternoons.map((r) => r.key)).toEqual(byDefault.map((r) => r.key));
      expect(shanghaiTimes(afternoons)).toEqual(new Set(["13:00"]));
    });
  });

  describe("auth.changePassword", () => {
    it("changes the signed-in user's password, keeps this session, ends the others, and refuses a wrong current password", async () => {
      const open = createCaller(ctx("viewer", { user: null, sessionId: null }));
      let cookie = "";
      const login = createCaller(ctx("viewer", { user: null, sessionId: null, setHeader: (_name, value) => (cookie = value) }));
      await login.auth.login({ username: "viewer", password: "viewer password 1" });
      const here = /^duban_session=([^;]+)/.exec(cookie)![1]!;
      await login.auth.login({ username: "viewer", password: "viewer password 1" });
      const elsewhere = /^duban_session=([^;]+)/.exec(cookie)![1]!;

      const me = createCaller(ctx("viewer", { sessionId: here }));
      expect(await refusal(me.auth.changePassword({ currentPassword: "wrong", newPassword: "a new password" }))).toMatchObject({ code: "BAD_REQUEST", message: "当前密码不正确" });
      expect(await refusal(me.auth.changePassword({ currentPassword: "viewer password 1", newPassword: "short" }))).toMatchObject({ code: "BAD_REQUEST" });

      expect(await me.auth.changePassword({ currentPassword: "viewer password 1", newPassword: "a new password" })).toEqual({ ok: true });
      expect(await resolveSession(f.db, here, now)).toMatchObject({ username: "viewer" });
      expect(await resolveSession(f.db, elsewhere, now)).toBeNull();
      expect(await refusal(open.auth.login({ username: "viewer", password: "viewer password 1" }))).toMatchObject({ code: "UNAUTHORIZED" });
      expect((await open.auth.login({ username: "viewer", password: "a new password" })).user.username).toBe("viewer");
      expect(await f.db.auditEvent.count({ where: { action: "auth.change-password", actorId: String(users.viewer.id) } })).toBe(1);
    });
  });

  describe("units.createInvite per channel", () => {
    it("offers the configured channels; 企业微信 answers the 绑定 line that redeems it, Telegram the link; an unconfigured channel is refused", async () => {
      const sma = await f.unitId("市场监督管理局");
      const staff = createCaller(ctx("staff", { botUsername: "duban_bot", inviteChannels: ["telegram", "wecom"] }));
      expect(await staff.units.inviteChannels()).toEqual(["telegram", "wecom"]);

      const wecom = await staff.units.createInvite({ unitId: sma, role: "liaison", name: "王芳", channel: "wecom" });
      expect(wecom).toMatchObject({ channel: "wecom", link: null, linkMissing: "public-url", bindText: expect.stringMatching(/^绑定 [A-Za-z0-9_-]{32}$/) });
      const token = inviteTokenInText(wecom.bindText!)!;
      expect(await redeemChannelInvite(f.db, { token, channel: "wecom", externalId: "wangfang", now })).toMatchObject({ ok: true, role: "liaison", unit: { id: sma } });

      // With the server's public address, the channel's login link for the same token beside the line.
      const linked = createCaller(ctx("staff", { inviteChannels: ["wecom"], inviteLinks: { wecom: (t: string) => `https://login.example/authorize?state=${t}` } }));
      const withLink = await linked.units.createInvite({ unitId: sma, role: "liaison", channel: "wecom" });
      expect(withLink).toMatchObject({ linkMissing: null, link: `https://login.example/authorize?state=${inviteTokenInText(withLink.bindText!)}` });

      const telegram = await staff.units.createInvite({ unitId: sma, role: "head" });
      expect(telegram).toMatchObject({ channel: "telegram", bindText: null, link: expect.stringMatching(/^https:\/\/t\.me\/duban_bot\?start=/) });

      const telegramOnly = createCaller(ctx("staff", { botUsername: "duban_bot" }));
      expect(await telegramOnly.units.inviteChannels()).toEqual(["telegram"]);
      expect(await refusal(telegramOnly.units.createInvite({ unitId: sma, role: "liaison", channel: "wecom" }))).toMatchObject({ code: "PRECONDITION_FAILED" });
      expect(await f.db.invite.count()).toBe(3);
    });
  });
});
