/**
 * delivery (飞书): N liaisons reachable only on 飞书, each with a due reminder, sent by the
 * server's own scheduler through the FeishuMessenger (the official SDK's Client) to the local
 * emulator, which enforces 飞书's limits (50/s per app → HTTP 429 99991400; 5/s per user).
 */
import pino from "pino";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { at } from "@duban/core/testing/liaison-fixture";
import { insertScalePlan } from "@duban/core/testing/scale-fixture";
import { createTestDb } from "@duban/db/testing";
import { FeishuApi } from "../src/channels/feishu/api.ts";
import { FeishuMessenger } from "../src/channels/feishu/messenger.ts";
import { FeishuEmulator } from "../src/channels/feishu/testing/feishu-emulator.ts";
import { startScheduler } from "../src/scheduler.ts";

const APP = { appId: "cli_0123456789abcdef", appSecret: "bench-secret-not-secret" };
const LIMIT = 50;

export async function benchDeliveryFeishu(n: number, ratePerSecond = 40): Promise<string> {
  const t = await createTestDb({ provider: "sqlite" });
  const emulator = new FeishuEmulator({ ...APP, members: [] });
  await emulator.start();
  try {
    const now = at("2027-01-05", "10:00");
    await insertScalePlan(t.db, { tasks: 1, unitsPerTask: n, contacts: true, createdAt: at("2026-07-01", "08:00") });
    // The same liaisons, on 飞书 only (one statement each way, set-based).
    const contacts = await t.db.contact.findMany({ select: { id: true } });
    await t.db.contact.updateMany({ data: { telegramChatId: null, telegramUserId: null } });
    await t.db.contactChannel.createMany({ data: contacts.map((c) => ({ contactId: c.id, channel: "feishu", externalId: `ou_bench${c.id}` })) });
    emulator.options.members.push(...contacts.map((c) => `ou_bench${c.id}`));
    await runSchedulerPass({ db: t.db, messenger: null, now });
    const due = await t.db.reminder.count({ where: { state: "pending", contactId: { not: null } } });
    if (due !== n) throw new Error(`expected ${n} due reminders, planned ${due}`);

    const messenger = new FeishuMessenger(new FeishuApi({ ...APP, apiRoot: emulator.url, ratePerSecond }));
    const started = performance.now();
    // The clock moves from `now`, so an answer "retry after 1 s" comes due again.
    const scheduler = startScheduler({ db: t.db, messenger, log: pino({ level: "silent" }), now: () => new Date(now.getTime() + performance.now() - started), pollMs: 200 });
    const sent = () => t.db.reminder.count({ where: { state: "sent", contactId: { not: null } } });
    // Bounded: at most twice the time the rate allows, plus a minute.
    const limit = started + (2 * n * 1000) / ratePerSecond + 60_000;
    while ((await sent()) < n && performance.now() < limit) await new Promise((r) => setTimeout(r, 250));
    const seconds = (performance.now() - started) / 1000;
    await scheduler.stop();

    const delivered = await sent();
    const cards = emulator.sent.filter((m) => m.msg_type === "interactive");
    const perPerson = new Map<string, number>();
    for (const card of cards) perPerson.set(card.receive_id, (perPerson.get(card.receive_id) ?? 0) + 1);
    const duplicate = [...perPerson.values()].reduce((sum, count) => sum + count - 1, 0);
    const rate = delivered / seconds;
    return (
      `delivery 飞书: ${delivered} cards in ${seconds.toFixed(1)} s = ${rate.toFixed(1)} msg/s (${(rate / LIMIT).toFixed(2)} of ${LIMIT}/s per app, paced at ${ratePerSecond}/s), ` +
      `429 ${emulator.tooMany}, lost ${n - perPerson.size}, duplicate ${duplicate}`
    );
  } finally {
    await emulator.stop();
    await t.cleanup();
  }
}
