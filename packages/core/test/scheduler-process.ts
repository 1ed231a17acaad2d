// A scheduler instance in its own process, for the two-instances test: better-sqlite3 waits for
// locks synchronously, so two instances must not share one event loop (as in production).
import { createDb } from "@duban/db/client";
import { addDays } from "@duban/domain/calendar";
import { runSchedulerPass } from "../src/run-scheduler-pass.ts";
import { at, ClockedMessenger } from "./scheduler-fixture.ts";

const [url, from, to, instanceId] = process.argv.slice(2);
if (!url || !from || !to || !instanceId) throw new Error("usage: scheduler-process <url> <from> <to> <instance>");
const db = createDb(url);
const messenger = new ClockedMessenger();
let rounds = 0;
for (let day = from; day <= to; day = addDays(day, 1)) {
  for (const time of ["09:00", "09:01"]) {
    messenger.now = at(day, time);
    const result = await runSchedulerPass({ db, messenger, now: messenger.now, instanceId });
    rounds += result.roundsCreated.length;
  }
}
await db.$disconnect();
process.stdout.write(JSON.stringify({ rounds, keys: messenger.sent.map((m) => m.key) }));
