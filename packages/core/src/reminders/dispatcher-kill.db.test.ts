// kill -9 of the dispatcher: a child process is killed in the middle of a round, a new one starts
// after the claim timeout, and every due reminder still reaches its chat; the only repeat is the
// message in flight at the kill, and it is counted and audited as a reclaim.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { at, seededScheduler, type SeededScheduler } from "../../test/scheduler-fixture.ts";
import { CLAIM_TIMEOUT_MS } from "./dispatch-reminders.ts";
import { runSchedulerPass } from "./run-scheduler-pass.ts";

const script = fileURLToPath(new URL("../../test/dispatch-kill-process.ts", import.meta.url));

function start(url: string, now: Date, chatFile: string, instance: string) {
  const child = spawn(process.execPath, ["--import", "tsx", script, url, now.toISOString(), chatFile, instance], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, out, err })));
  return { child, exited };
}

const chatLines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []);

describe("dispatcher killed with SIGKILL mid-round (temporary SQLite, child processes)", () => {
  let seeded: SeededScheduler | null = null;
  let dir = "";
  afterEach(async () => {
    await seeded?.cleanup();
    seeded = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("restarted after the claim timeout, it sends everything that was due; nothing is lost", { timeout: 300_000 }, async () => {
    seeded = await seededScheduler(at("2026-09-01", "10:00"));
    const s = seeded;
    dir = mkdtempSync(path.join(os.tmpdir(), "duban-kill9-"));
    const chat = path.join(dir, "chat.txt");
    const now = at("2026-09-28", "09:00");
    // Plan without sending: these are the messages the round owes.
    await runSchedulerPass({ db: s.db, messenger: null, now });
    const due = await s.db.reminder.findMany({ where: { state: "pending", nextAttemptAt: { lte: now }, contactId: { not: null } }, select: { key: true } });
    expect(due.length).toBeGreaterThanOrEqual(6);

    const first = start(s.url, now, chat, "first");
    // Kill once a few messages are out and the round is still going.
    const deadline = Date.now() + 120_000;
    while (chatLines(chat).length < 3 && Date.now() < deadline) await sleep(20);
    first.child.kill("SIGKILL");
    const killed = await first.exited;
    expect(killed.signal).toBe("SIGKILL");
    const beforeRestart = chatLines(chat);
    expect(beforeRestart.length).toBeGreaterThanOrEqual(3);
    expect(beforeRestart.length).toBeLessThan(due.length);

    const second = start(s.url, new Date(now.getTime() + CLAIM_TIMEOUT_MS + 1000), chat, "second");
    const done = await second.exited;
    expect(done.code, done.err).toBe(0);
    const summary = JSON.parse(done.out) as { reclaimed: number };

    // Every due message reached the chat; a repeat only for a claim the dead process held.
    const lines = chatLines(chat);
    const keys = new Set(lines);
    for (const { key } of due) expect(keys.has(key), key).toBe(true);
    const repeats = lines.length - keys.size;
    // Only the messages in flight at the kill (one per chat being served: the child serves two
    // at once) can repeat; the claims the dead process held are all reclaimed, counted and audited.
    expect(repeats).toBeLessThanOrEqual(2);
    expect(summary.reclaimed).toBeGreaterThanOrEqual(repeats);
    expect(await s.db.auditEvent.count({ where: { action: "reminder.reclaim" } })).toBe(summary.reclaimed);
    // Nothing is left half-done in the outbox.
    expect(await s.db.reminder.count({ where: { key: { in: due.map((d) => d.key) }, state: { not: "sent" } } })).toBe(0);
  });
});
