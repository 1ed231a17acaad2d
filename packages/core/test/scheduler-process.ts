// A scheduler instance in its own process, for the two-instances test: better-sqlite3 waits for
// locks synchronously, so two instances must not share one event loop (as in production).
// Real instances share one clock; these two each inject their own, so they move through the
// simulated days in step (a tick starts when the peer has finished the previous one). Otherwise
// one could run a day ahead and take the other's in-flight claim for a dead one (2-minute
// timeout), a duplicate no real pair of instances can produce.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createDb } from "@duban/db/client";
import { addDays } from "@duban/domain/calendar";
import { runSchedulerPass } from "../src/reminders/run-scheduler-pass.ts";
import { at, ClockedMessenger } from "./scheduler-fixture.ts";

const [url, from, to, instanceId, syncDir, peerId] = process.argv.slice(2);
if (!url || !from || !to || !instanceId || !syncDir || !peerId) throw new Error("usage: scheduler-process <url> <from> <to> <instance> <sync dir> <peer instance>");
const done = (id: string) => path.join(syncDir, `${id}.done`);
const finished = (id: string) => (existsSync(done(id)) ? Number(readFileSync(done(id), "utf8")) : 0);

const db = createDb(url);
const messenger = new ClockedMessenger();
let rounds = 0;
let tick = 0;
for (let day = from; day <= to; day = addDays(day, 1)) {
  for (const time of ["09:00", "09:01"]) {
    while (finished(peerId) < tick) await sleep(2);
    messenger.now = at(day, time);
    const result = await runSchedulerPass({ db, messenger, now: messenger.now, instanceId });
    rounds += result.roundsCreated.length;
    writeFileSync(done(instanceId), String(++tick));
  }
}
await db.$disconnect();
process.stdout.write(JSON.stringify({ rounds, keys: messenger.sent.map((m) => m.key) }));
