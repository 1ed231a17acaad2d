/**
 * The delivering process of a delivery line (forked by delivery.ts with `<channel> <db file>
 * <api root> <limits JSON>`): the server's scheduler (delivery loop, dispatcher, per-channel
 * pacing) and the channel's adapter, nothing else — the emulator and the counting run in the
 * parent, as the platform would on another machine, so the RSS sampled here is the server's
 * own. Says "started" once the scheduler runs; on "stop" it stops and reports.
 */
import pino from "pino";
import type { Channel } from "@duban/core/channels/messenger";
import { createDb } from "@duban/db/client";
import type { ChannelLimits } from "@duban/domain/channel-limits";
import { startScheduler } from "../src/scheduler.ts";
import { BENCH_START, benchMessenger, type DeliverResult } from "./delivery-messengers.ts";

const [channel, file, apiRoot, limitsJson] = process.argv.slice(2) as [Channel, string, string, string];
const db = createDb(`file:${file}`);
const messenger = await benchMessenger(channel, apiRoot);
const limits = JSON.parse(limitsJson) as ChannelLimits;
const rss = () => process.memoryUsage().rss;
const startRss = rss();
let peakRss = startRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 100);
const started = performance.now();
const cpu = process.cpuUsage();
const scheduler = startScheduler({
  db,
  messenger,
  log: pino({ level: "silent" }),
  now: () => new Date(BENCH_START + (performance.now() - started)),
  pollMs: 200,
  channelLimits: { [channel]: limits },
});
process.send!("started");
process.once("message", async () => {
  const used = process.cpuUsage(cpu);
  await scheduler.stop();
  clearInterval(sampler);
  await db.$disconnect();
  process.send!({ peakRss, startRss, cpuMs: (used.user + used.system) / 1000 } satisfies DeliverResult, () => process.exit(0));
});
