/**
 * delivery: N liaisons each with a due reminder, sent by the server's own scheduler (its
 * delivery loop, the core dispatcher and its per-channel pacing) through a channel's real adapter
 * to a local emulator of that platform enforcing the platform's limits. One harness for every
 * channel (`DeliveryBenchChannel`, see delivery-channels.ts): the line is `delivery: …` for
 * Telegram and `delivery[<channel>]: …` for the others.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import type { Channel, Messenger } from "@duban/core/channels/messenger";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { at } from "@duban/core/testing/liaison-fixture";
import { insertChunked, insertScalePlan } from "@duban/core/testing/scale-fixture";
import { createDb } from "@duban/db/client";
import { createTestDb } from "@duban/db/testing";
import { appRatePerSecond, type ChannelLimits } from "@duban/domain/channel-limits";
import { startScheduler } from "../src/scheduler.ts";

/** A channel as the delivery bench drives it. */
export interface DeliveryBenchChannel {
  channel: Channel;
  /** What the emulator enforces and the scheduler paces to. */
  limits: ChannelLimits;
  /** The platform's "too many" answer as the line names it (429, 45009 …). */
  limitedName: string;
  /** Starts the platform's emulator and the adapter's messenger for these recipients' addresses. */
  start(addresses: string[]): Promise<DeliveryBenchEndpoint>;
  /** An anchor measured in the same run (printed in parentheses), e.g. the platform's SDK alone. */
  anchor?(n: number): Promise<string>;
}

export interface DeliveryBenchEndpoint {
  messenger: Messenger;
  /** Messages that reached each address (after anything the platform dropped). */
  delivered(): Map<string, number>;
  /** Answers with the platform's "too many", and messages answered ok but dropped. */
  stats(): { answers: number; limited: number; dropped: number };
  close(): Promise<void>;
}

export async function benchDelivery(target: DeliveryBenchChannel, n: number): Promise<string> {
  // The fixture (10,000 units, contacts, a round, the planned rungs) is built by a child process:
  // Prisma's bulk inserts leave ~200 MB of RSS behind that is the fixture's, not the delivery's.
  const { file, addresses } = prepareInChild(target.channel, n);
  const db = createDb(`file:${file}`);
  let endpoint: DeliveryBenchEndpoint | null = null;
  try {
    const due = await db.reminder.count({ where: { state: "pending", contactId: { not: null } } });
    if (due !== n) throw new Error(`expected ${n} due reminders, planned ${due}`);

    endpoint = await target.start(addresses);
    const rate = appRatePerSecond(target.limits);
    const startRss = process.memoryUsage().rss;
    let peakRss = startRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const started = performance.now();
    const scheduler = startScheduler({ db, messenger: endpoint.messenger, log: pino({ level: "silent" }), now: () => BENCH_NOW, pollMs: 200, channelLimits: { [target.channel]: target.limits } });
    const sent = () => db.reminder.count({ where: { state: "sent", contactId: { not: null } } });
    // Bounded: twice the time the rate allows (at most 30/s counted: a faster platform is bound
    // by round trips, not by its limit), plus a minute.
    const limit = started + (2 * n * 1000) / Math.min(rate, 30) + 60_000;
    while ((await sent()) < n && performance.now() < limit) await new Promise((r) => setTimeout(r, 250));
    const seconds = (performance.now() - started) / 1000;
    await scheduler.stop();
    clearInterval(sampler);

    const delivered = await sent();
    const got = endpoint.delivered();
    const lost = addresses.filter((a) => !got.get(a)).length;
    const duplicate = [...got.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
    const stats = endpoint.stats();
    const limited = (100 * stats.limited) / Math.max(1, stats.answers);
    const perSecond = delivered / seconds;
    const anchor = target.anchor ? ` (${await target.anchor(Math.min(n, 600))})` : "";
    return (
      `delivery${target.channel === "telegram" ? "" : `[${target.channel}]`}: ${delivered} sent in ${seconds.toFixed(1)} s = ${perSecond.toFixed(1)} msg/s ` +
      `(${(perSecond / rate).toFixed(2)} of ${Number(rate.toFixed(1))}/s), ${target.limitedName} ${limited.toFixed(2)}%, ` +
      `${target.limits.beyond === "dropped" ? `dropped ${stats.dropped}, ` : ""}lost ${lost}, duplicate ${duplicate}, rss ${Math.round(peakRss / 2 ** 20)} MB (${Math.round(startRss / 2 ** 20)} MB at the start)${anchor}`
    );
  } finally {
    await endpoint?.close();
    await db.$disconnect();
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

const BENCH_NOW = at("2027-01-05", "10:00");

/** Runs this file as a child (`prepare <channel> <n>`): the fixture on a temporary SQLite file. */
function prepareInChild(channel: Channel, n: number): { file: string; addresses: string[] } {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "prepare", channel, String(n)], { encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  return JSON.parse(out.trim().split("\n").at(-1)!) as { file: string; addresses: string[] };
}

async function prepare(channel: Channel, n: number): Promise<{ file: string; addresses: string[] }> {
  const t = await createTestDb({ provider: "sqlite" });
  const plan = await insertScalePlan(t.db, { tasks: 1, unitsPerTask: n, contacts: true, createdAt: at("2026-07-01", "08:00") });
  const addresses = await bindContacts(t.db, channel, plan.contactIds);
  // Opens the rounds and plans one rung per liaison; the scheduler then finds them due.
  await runSchedulerPass({ db: t.db, messenger: null, now: BENCH_NOW });
  await t.db.$disconnect();
  return { file: t.file!, addresses };
}

if (process.argv[2] === "prepare" && process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await prepare(process.argv[3] as Channel, Number(process.argv[4]))));
}

/**
 * The fixture's liaisons are on Telegram; on another channel they lose their Telegram chat and
 * get a ContactChannel row instead. Returns each liaison's address on the channel.
 */
async function bindContacts(db: Awaited<ReturnType<typeof createTestDb>>["db"], channel: Channel, contactIds: number[]): Promise<string[]> {
  if (channel === "telegram") {
    const contacts = await db.contact.findMany({ where: { id: { in: contactIds } }, select: { telegramChatId: true } });
    return contacts.map((c) => c.telegramChatId!);
  }
  await db.contact.updateMany({ where: { telegramChatId: { not: null } }, data: { telegramChatId: null, telegramUserId: null } });
  const rows = contactIds.map((contactId) => ({ contactId, channel, externalId: `${channel}-user-${contactId}` }));
  await insertChunked(rows, (data) => db.contactChannel.createMany({ data }));
  return rows.map((r) => r.externalId);
}
