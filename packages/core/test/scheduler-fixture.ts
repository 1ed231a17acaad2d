import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "@duban/db/client";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { shanghaiInstant } from "@duban/domain/calendar";
import { importPlan } from "../src/plans/import-plan.ts";
import type { Messenger, OutgoingMessage, SendResult } from "../src/channels/messenger.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SEED_PLAN = readFileSync(path.resolve(here, "../../../plans/tongjiang-quality-city-2016.txt"), "utf8");

export const at = (date: string, time: string): Date => shanghaiInstant(date, time);

export interface SeededScheduler extends TestDb {
  unit: (name: string) => Promise<number>;
  contacts: { smaLiaison: number; smaHead: number; envLiaison: number };
}

/**
 * The seed plan imported on `importedAt`, with a liaison and a head for 市场监督管理局 and a
 * liaison for 环保局 (the only units that can be messaged in these tests).
 */
export async function seededScheduler(importedAt: Date): Promise<SeededScheduler> {
  const test = await createTestDb();
  await importPlan(test.db, SEED_PLAN, importedAt);
  const unit = async (name: string) => (await test.db.unit.findUniqueOrThrow({ where: { name } })).id;
  const sma = await unit("市场监督管理局");
  const env = await unit("环保局");
  const make = (unitId: number, role: string, chat: string) =>
    test.db.contact.create({ data: { unitId, role, name: `${role}-${chat}`, telegramUserId: chat, telegramChatId: chat, createdAt: importedAt } });
  const contacts = {
    smaLiaison: (await make(sma, "liaison", "1001")).id,
    smaHead: (await make(sma, "head", "1002")).id,
    envLiaison: (await make(env, "liaison", "2001")).id,
  };
  return { ...test, unit, contacts };
}

/** Records every message with the moment of the pass that sent it. */
export class ClockedMessenger implements Messenger {
  readonly sent: Array<OutgoingMessage & { at: Date }> = [];
  now = new Date(0);
  async send(message: OutgoingMessage): Promise<SendResult> {
    this.sent.push({ ...message, at: this.now });
    return { ok: true, messageId: String(this.sent.length) };
  }
}

/** Answers with scripted outcomes in order, then succeeds. */
export class ScriptedMessenger implements Messenger {
  readonly attempts: Array<{ key: string; at: Date }> = [];
  now = new Date(0);
  constructor(private readonly script: SendResult[]) {}
  async send(message: OutgoingMessage): Promise<SendResult> {
    this.attempts.push({ key: message.key, at: this.now });
    return this.script.shift() ?? { ok: true, messageId: "ok" };
  }
}

export async function submissionOf(db: Db, deadlineTitle: string, periodKey: string, unitId: number) {
  const round = await db.round.findFirstOrThrow({ where: { periodKey, deadline: { title: deadlineTitle } } });
  return db.submission.findUniqueOrThrow({ where: { roundId_unitId: { roundId: round.id, unitId } } });
}
