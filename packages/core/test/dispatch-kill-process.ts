// A dispatcher in its own process for the kill -9 test: every message "Telegram accepts" is
// appended to the chat file at once (synchronously, as the real chat would have it), then the
// send takes a moment, so a SIGKILL lands in the middle of a round.
import { appendFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { createDb } from "@duban/db/client";
import type { Messenger, OutgoingMessage, SendResult } from "../src/channels/messenger.ts";
import { dispatchReminders } from "../src/reminders/dispatch-reminders.ts";

const [url, nowIso, chatFile, instanceId] = process.argv.slice(2);
if (!url || !nowIso || !chatFile || !instanceId) throw new Error("usage: dispatch-kill-process <url> <now> <chat file> <instance>");

const KILL_TEST_CONCURRENCY = 2;
let sent = 0;
const messenger: Messenger = {
  async send(message: OutgoingMessage): Promise<SendResult> {
    appendFileSync(chatFile, `${message.key}\n`);
    await sleep(40);
    return { ok: true, messageId: String(++sent) };
  },
};
const db = createDb(url);
// Two chats at once: the kill then catches at most two messages in flight.
const summary = await dispatchReminders(db, messenger, new Date(nowIso), { instanceId, concurrency: KILL_TEST_CONCURRENCY });
await db.$disconnect();
process.stdout.write(JSON.stringify(summary));
