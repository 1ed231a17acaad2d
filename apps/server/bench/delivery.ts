/**
 * delivery: N liaisons each with a due reminder, sent by the server's own scheduler (its
 * delivery loop, the core dispatcher and its per-channel pacing) through a channel's real adapter
 * to a local emulator of that platform enforcing the platform's limits. One harness for every
 * channel (`DeliveryBenchChannel`, see delivery-channels.ts): the line is `delivery: …` for
 * Telegram and `delivery[<channel>]: …` for the others.
 *
 * Three processes: the fixture is built by a child (Prisma's bulk inserts leave ~200 MB behind
 * that is the fixture's), the delivery runs in another (`deliver.ts`: its RSS is the line's), and
 * this one holds the emulator and counts what reached each recipient.
 */
import { execFileSync, fork } from "node:child_process";
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { fileURLToPath } from "node:url";
import type { Channel } from "@duban/core/channels/messenger";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { at } from "@duban/core/testing/liaison-fixture";
import { insertChunked, insertScalePlan } from "@duban/core/testing/scale-fixture";
import { createTestDb } from "@duban/db/testing";
import { appRatePerSecond, CHANNEL_LIMITS, type ChannelLimits } from "@duban/domain/channel-limits";
import { BENCH_START, type DeliverResult } from "./delivery-messengers.ts";

/** A channel as the delivery bench drives it. */
export interface DeliveryBenchChannel {
  channel: Channel;
  /** What the emulator enforces and the scheduler paces to. */
  limits: ChannelLimits;
  /** The platform's "too many" answer as the line names it (429, 45009 …). */
  limitedName: string;
  /** Starts the platform's emulator (in this process) for these recipients' addresses. */
  start(addresses: string[]): Promise<DeliveryBenchEndpoint>;
  /** An anchor measured in the same run (printed after the line), e.g. the platform's SDK alone. */
  anchor?(n: number): Promise<string>;
}

export interface DeliveryBenchEndpoint {
  /** Where the adapter's API calls go. */
  apiRoot: string;
  /** Messages that reached each address (after anything the platform dropped). */
  delivered(): Map<string, number>;
  /** Answers with the platform's "too many", and messages answered ok but dropped. */
  stats(): { answers: number; limited: number; dropped: number };
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export async function benchDelivery(target: DeliveryBenchChannel, n: number): Promise<string> {
  const { file, addresses } = prepareInChild(target.channel, n);
  let endpoint: DeliveryBenchEndpoint | null = null;
  try {
    endpoint = await target.start(addresses);
    const rate = appRatePerSecond(target.limits);
    const platformRate = appRatePerSecond(CHANNEL_LIMITS[target.channel]);
    // Bounded: twice the time the rate allows (at most 30/s counted: a faster platform is bound
    // by round trips, not by its limit), plus a minute.
    const bound = (2 * n * 1000) / Math.min(rate, 30) + 60_000;
    const result = await deliverInChild([target.channel, file, endpoint.apiRoot, JSON.stringify(target.limits)], file, n, bound);

    const got = endpoint.delivered();
    const lost = addresses.filter((a) => !got.get(a)).length;
    const duplicate = [...got.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
    const stats = endpoint.stats();
    const limited = (100 * stats.limited) / Math.max(1, stats.answers);
    const perSecond = result.delivered / result.seconds;
    const load = loadavg()[0]!.toFixed(1);
    const anchor = target.anchor ? `; ${await target.anchor(Math.min(n, 600))}` : "";
    return (
      `delivery${target.channel === "telegram" ? "" : `[${target.channel}]`}: ${result.delivered} sent in ${result.seconds.toFixed(1)} s = ${perSecond.toFixed(1)} msg/s ` +
      `(${(perSecond / rate).toFixed(2)} of ${Number(rate.toFixed(1))}/s${platformRate === rate ? "" : ` paced; the platform allows ${Number(platformRate.toFixed(1))}/s`}), ${target.limitedName} ${limited.toFixed(2)}%, ` +
      `${target.limits.beyond === "dropped" ? `dropped ${stats.dropped}, ` : ""}lost ${lost}, duplicate ${duplicate}, rss ${Math.round(result.peakRss / 2 ** 20)} MB` +
      ` (${Math.round(result.startRss / 2 ** 20)} MB at the start; CPU ${(result.cpuMs / Math.max(1, result.delivered)).toFixed(1)} ms per message; load ${load}${anchor})`
    );
  } finally {
    await endpoint?.close();
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/**
 * Forks deliver.ts (the server's side) and counts, from here, the reminders recorded sent in the
 * database file (read-only, WAL lets it read beside the writer) until all N are or the bound
 * passes; then tells the child to stop. Never blocks this process's event loop for long: the
 * emulator lives here.
 */
async function deliverInChild(args: string[], file: string, n: number, boundMs: number): Promise<DeliverResult & { delivered: number; seconds: number }> {
  // Started as `npm start` starts the server: two malloc arenas and a 512 MB old generation,
  // unless the caller says otherwise (NODE_OPTIONS given after ours wins).
  const env = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2", NODE_OPTIONS: `--max-old-space-size=512 ${process.env.NODE_OPTIONS ?? ""}`.trim() };
  const child = fork(path.join(here, "deliver.ts"), args, { execArgv: process.execArgv, env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`delivering process exited with ${code}`))));
  await Promise.race([new Promise((resolve) => child.once("message", resolve)), exited]);
  const started = performance.now();
  const db = new Database(file, { readonly: true });
  const count = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM "Reminder" WHERE "state" = 'sent' AND "contactId" IS NOT NULL`);
  let delivered = 0;
  try {
    while ((delivered = count.get()!.n) < n && performance.now() < started + boundMs) await new Promise((r) => setTimeout(r, 100));
  } finally {
    db.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const report = new Promise<DeliverResult>((resolve) => child.once("message", (m) => resolve(m as DeliverResult)));
  child.send("stop");
  return { ...(await Promise.race([report, exited])), delivered, seconds };
}

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
  await runSchedulerPass({ db: t.db, messenger: null, now: new Date(BENCH_START) });
  const due = await t.db.reminder.count({ where: { state: "pending", contactId: { not: null } } });
  if (due !== n) throw new Error(`expected ${n} due reminders, planned ${due}`);
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
