/**
 * A unique constraint failed, whatever the database and driver adapter: Prisma's P2002 (what
 * both adapters map it to), SQLite's "UNIQUE constraint failed", PostgreSQL's SQLSTATE 23505.
 * On PostgreSQL the failed statement also aborts the transaction it ran in, so catch it
 * outside a transaction (or around the whole one).
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (e.code === "P2002" || e.code === "23505") return true;
  if (typeof e.message === "string" && /UNIQUE constraint failed|Unique constraint failed|duplicate key value violates unique constraint/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== error && isUniqueViolation(e.cause);
}
