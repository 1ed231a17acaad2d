/**
 * Drops a PostgreSQL database its caller made (a test's copy, the migration engine's shadow). An
 * autovacuum worker busy on a fresh database cannot be terminated by a non-superuser role (FORCE
 * then fails with "must be a member of the role…"): wait for it a little, up to 5 s.
 */
export async function dropDatabaseWhenFree(run: (sql: string) => Promise<unknown>, database: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      return;
    } catch (error) {
      if (attempt >= 20 || !/pg_signal_backend|being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
