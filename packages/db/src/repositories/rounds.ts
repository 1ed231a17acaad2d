import type { Db } from "../client.ts";
import { isUniqueViolation } from "../errors.ts";

const SUBMISSION_CHUNK = 300;

export interface NewRound {
  deadlineId: number;
  periodKey: string;
  opensAt: Date;
  dueAt: Date;
  /** The units that owe a submission in this round. */
  unitIds: number[];
  now: Date;
}

/**
 * Creates a round and its expected submissions in one transaction, once per (deadline,
 * period): the unique index decides between racing instances, and a crash leaves all or
 * nothing. Returns the new round's id, or null when it already existed.
 */
export async function createRoundOnce(db: Db, round: NewRound): Promise<number | null> {
  try {
    return await db.$transaction(
      async (tx) => {
        const created = await tx.round.create({
          data: { deadlineId: round.deadlineId, periodKey: round.periodKey, opensAt: round.opensAt, dueAt: round.dueAt, createdAt: round.now },
        });
        // Chunked under SQLite's 999 bound values per statement (3 per row).
        for (let i = 0; i < round.unitIds.length; i += SUBMISSION_CHUNK) {
          const chunk = round.unitIds.slice(i, i + SUBMISSION_CHUNK);
          await tx.submission.createMany({ data: chunk.map((unitId) => ({ roundId: created.id, unitId, dueAt: round.dueAt })) });
        }
        return created.id;
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}
