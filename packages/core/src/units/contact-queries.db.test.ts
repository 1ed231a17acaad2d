import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findContactByTelegramUser, findReminderByMessage, findWriter, findWriterOfNewUpdate, remindersOfMessage, overdueItems, setContactLanguage, taskIndicators, unitTaskDetail, unitTasks } from "./contact-queries.ts";
import { recordStatus } from "../submissions/record-status.ts";
import { at, liaisonFixture, type LiaisonFixture } from "../testing/liaison-fixture.ts";

describe("contact queries (temporary SQLite)", () => {
  let f: LiaisonFixture;
  let liaison: number;
  let sma: number;
  beforeEach(async () => {
    f = await liaisonFixture();
    liaison = await f.addContact({ unit: "市场监督管理局", telegramUserId: "1001", name: "李娜" });
    sma = await f.unitId("市场监督管理局");
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it("finds the contact of a Telegram user; strangers and revoked contacts are null", async () => {
    expect(await findContactByTelegramUser(f.db, "1001")).toMatchObject({ id: liaison, unitName: "市场监督管理局", role: "liaison", language: "zh" });
    expect(await findContactByTelegramUser(f.db, "9999")).toBeNull();
    await f.db.contact.update({ where: { id: liaison }, data: { status: "revoked" } });
    expect(await findContactByTelegramUser(f.db, "1001")).toBeNull();
  });

  it("finds the writer and their chat's session row in one read; strangers and revoked contacts get neither", async () => {
    expect(await findWriter(f.db, { telegramUserId: "1001", sessionKey: "chat:1001" })).toEqual({
      contact: { id: liaison, unitId: sma, unitName: "市场监督管理局", role: "liaison", name: "李娜", language: "zh", status: "active", telegramChatId: "1001" },
      session: null,
    });
    await f.db.botSession.create({ data: { key: "chat:1001", value: '{"reply":null}' } });
    expect((await findWriter(f.db, { telegramUserId: "1001", sessionKey: "chat:1001" })).session).toBe('{"reply":null}');
    expect((await findWriter(f.db, { telegramUserId: "1001", sessionKey: null })).session).toBeUndefined();
    expect(await findWriter(f.db, { telegramUserId: "9999", sessionKey: "chat:9999" })).toEqual({ contact: null, session: undefined });
    await f.db.contact.update({ where: { id: liaison }, data: { status: "revoked" } });
    expect((await findWriter(f.db, { telegramUserId: "1001", sessionKey: "chat:1001" })).contact).toBeNull();
  });

  it("stores an update id and reads the writer in the same statement: the same answer as findWriter, and null for a repeated id", async () => {
    const now = at("2026-10-12", "10:00");
    await f.db.botSession.create({ data: { key: "chat:1001", value: '{"reply":null}' } });
    const writer = await findWriterOfNewUpdate(f.db, { updateId: 7001, at: now, telegramUserId: "1001", sessionKey: "chat:1001" });
    expect(writer).toEqual(await findWriter(f.db, { telegramUserId: "1001", sessionKey: "chat:1001" }));
    expect(writer?.contact?.id).toBe(liaison);
    expect(await f.db.processedUpdate.findUnique({ where: { updateId: 7001n } })).toMatchObject({ at: now });
    expect(await findWriterOfNewUpdate(f.db, { updateId: 7001, at: now, telegramUserId: "1001", sessionKey: "chat:1001" })).toBeNull();
    expect(await findWriterOfNewUpdate(f.db, { updateId: 7002, at: now, telegramUserId: "1001", sessionKey: null })).toEqual(await findWriter(f.db, { telegramUserId: "1001", sessionKey: null }));
    expect(await findWriterOfNewUpdate(f.db, { updateId: 7003, at: now, telegramUserId: "9999", sessionKey: "chat:9999" })).toEqual({ contact: null, session: undefined });
    await f.db.contact.update({ where: { id: liaison }, data: { status: "revoked" } });
    expect(await findWriterOfNewUpdate(f.db, { updateId: 7004, at: now, telegramUserId: "1001", sessionKey: "chat:1001" })).toEqual({ contact: null, session: undefined });
    expect(await f.db.processedUpdate.count()).toBe(4);
    await expect(findWriterOfNewUpdate(f.db, { updateId: -1, at: now, telegramUserId: "1001", sessionKey: null })).rejects.toThrow(RangeError);
  });

  it("lists the unit's tasks in plan order with the next deadline, status and light", async () => {
    const now = at("2026-10-12", "10:00");
    const tasks = await unitTasks(f.db, { unitId: sma, now });
    expect(tasks.length).toBeGreaterThan(5);
    expect(tasks.map((t) => Number(t.number))).toEqual([...tasks.map((t) => Number(t.number))].sort((a, b) => a - b));
    const task8 = tasks.find((t) => t.number === "8")!;
    expect(task8).toMatchObject({ role: "lead", status: null, next: { periodKey: "2026Q3", progressRound: true } });
    expect(task8.pending.map((r) => r.periodKey)).toEqual(["2026Q3", "2026Q4"]);

    await recordStatus(f.db, { contactId: liaison, taskId: task8.taskId, roundId: task8.next!.roundId, status: "blocked", progress: 30, source: "t", now });
    const after = (await unitTasks(f.db, { unitId: sma, now })).find((t) => t.number === "8")!;
    expect(after).toMatchObject({ status: "blocked", progress: 30, light: "yellow", next: { periodKey: "2026Q4" } });
  });

  it("a task's detail carries its indicators and the unit's latest values; other units' tasks are null", async () => {
    const now = at("2026-10-12", "10:00");
    const task8 = await f.taskId("8");
    const detail = await unitTaskDetail(f.db, { unitId: sma, taskId: task8, now });
    expect(detail?.indicators.map((i) => i.name)).toEqual(["计量检测项目", "国家重点管理计量器具受检率"]);
    const env = await f.unitId("环保局");
    expect(await unitTaskDetail(f.db, { unitId: env, taskId: task8, now })).toBeNull();
    expect((await taskIndicators(f.db, [task8])).map((i) => i.taskId)).toEqual([task8, task8]);
  });

  it("overdue items, most overdue first", async () => {
    const late = at("2026-11-02", "10:00");
    const items = await overdueItems(f.db, { unitId: sma, now: late });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.dueAt.getTime() < late.getTime() && i.periodKey === "2026Q3")).toBe(true);
    expect(items[0]!.overdueWorkdays).toBeGreaterThan(0);
    expect(await overdueItems(f.db, { unitId: sma, now: at("2026-10-12", "10:00") })).toEqual([]);
  });

  it("finds the reminder a chat message is; language is stored", async () => {
    const { roundId } = await f.round({ task: "8", unit: "市场监督管理局", periodKey: "2026Q3", progress: true });
    const now = at("2026-10-12", "10:00");
    await f.db.reminder.create({ data: { key: "k", kind: "reminder", roundId, unitId: sma, contactId: liaison, rung: "due", dueAt: now, text: "t", nextAttemptAt: now, chatMessageId: "42", state: "sent" } });
    expect(await findReminderByMessage(f.db, { chatId: "1001", messageId: "42" })).toMatchObject({ roundId, taskId: await f.taskId("8"), contactId: liaison });
    expect(await findReminderByMessage(f.db, { chatId: "2001", messageId: "42" })).toBeNull();
    // A digest: two reminders in one message are both returned, and no single one is "the" reminder.
    await f.db.reminder.create({ data: { key: "k2", kind: "reminder", roundId, unitId: sma, contactId: liaison, rung: "due-1", dueAt: now, text: "t", nextAttemptAt: now, chatMessageId: "42", state: "sent" } });
    const carried = await remindersOfMessage(f.db, { chatId: "1001", messageId: "42" });
    expect(carried).toHaveLength(2);
    // Each carries its task's indicators, as taskIndicators lists them.
    for (const reminder of carried) expect(reminder.indicators).toEqual(await taskIndicators(f.db, [await f.taskId("8")]));
    expect(carried[0]!.indicators).toHaveLength(2);
    expect(await findReminderByMessage(f.db, { chatId: "1001", messageId: "42" })).toBeNull();
    await setContactLanguage(f.db, { contactId: liaison, language: "en", now });
    expect((await findContactByTelegramUser(f.db, "1001"))?.language).toBe("en");
  });
});
