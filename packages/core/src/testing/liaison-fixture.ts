/**
 * A real temporary database with the seed plan imported and rounds opened, for tests of the
 * liaison use cases and the bot. Not used in production code.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "@duban/db/migrate/migrations";
import { createTestDb, type TestDb } from "@duban/db/testing";
import { shanghaiInstant } from "@duban/domain/calendar";
import { loadCalendar } from "../calendar/calendar-source.ts";
import { ensureRounds } from "../rounds/ensure-rounds.ts";
import { importPlan } from "../plans/import-plan.ts";

export const SEED_PLAN_TEXT = readFileSync(path.join(REPO_ROOT, "plans/tongjiang-quality-city-2016.txt"), "utf8");

export const at = (date: string, time: string): Date => shanghaiInstant(date, time);

/** A Monday in October 2026, after National Day: the 2026Q3 rounds are being collected. */
export const FIXTURE_NOW = at("2026-10-12", "10:00");

export interface LiaisonFixture extends TestDb {
  unitId(name: string): Promise<number>;
  taskId(number: string): Promise<number>;
  addContact(input: { unit: string; role?: "liaison" | "head"; telegramUserId?: string | null; name?: string; language?: "zh" | "en" }): Promise<number>;
  /** The unit's submission in the round of a task's deadline for a period ("progress" cycle or another). */
  round(input: { task: string; unit: string; periodKey: string; progress: boolean }): Promise<{ roundId: number; submissionId: number }>;
}

export async function liaisonFixture(options: { now?: Date; importedAt?: Date } = {}): Promise<LiaisonFixture> {
  const test = await createTestDb();
  const { db } = test;
  const importedAt = options.importedAt ?? at("2026-07-01", "08:00");
  await importPlan(db, SEED_PLAN_TEXT, importedAt);
  await ensureRounds(db, options.now ?? FIXTURE_NOW, await loadCalendar(db));

  const unitId = async (name: string) => (await db.unit.findUniqueOrThrow({ where: { name } })).id;
  const taskId = async (number: string) => (await db.task.findFirstOrThrow({ where: { number, active: true } })).id;
  return {
    ...test,
    unitId,
    taskId,
    async addContact(input) {
      const contact = await db.contact.create({
        data: {
          unitId: await unitId(input.unit),
          role: input.role ?? "liaison",
          name: input.name ?? null,
          telegramUserId: input.telegramUserId ?? null,
          telegramChatId: input.telegramUserId ?? null,
          language: input.language ?? "zh",
          createdAt: importedAt,
        },
      });
      return contact.id;
    },
    async round(input) {
      const submission = await db.submission.findFirstOrThrow({
        where: {
          unitId: await unitId(input.unit),
          round: {
            periodKey: input.periodKey,
            deadline: { taskId: await taskId(input.task), cycle: input.progress ? { key: "progress" } : { key: { not: "progress" } } },
          },
        },
      });
      return { roundId: submission.roundId, submissionId: submission.id };
    },
  };
}
