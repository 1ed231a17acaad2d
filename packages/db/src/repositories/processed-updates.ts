import type { Db } from "../client.ts";
import { isUniqueViolation } from "../errors.ts";

/**
 * Records that a Telegram update is being handled: true the first time, false when its id was
 * stored already (Telegram redelivering it, or a second instance polling).
 */
export async function markUpdateHandled(db: Db, updateId: number, at: Date): Promise<boolean> {
  // BigInt() of a fraction, NaN or a non-number throws; such an id is never Telegram's.
  if (!Number.isSafeInteger(updateId) || updateId < 0) throw new RangeError("update_id must be a non-negative safe integer");
  try {
    await db.processedUpdate.create({ data: { updateId: BigInt(updateId), at } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Forgets update ids stored before `before` (Telegram never redelivers anything that old). */
export async function forgetUpdatesBefore(db: Db, before: Date): Promise<number> {
  const { count } = await db.processedUpdate.deleteMany({ where: { at: { lt: before } } });
  return count;
}
