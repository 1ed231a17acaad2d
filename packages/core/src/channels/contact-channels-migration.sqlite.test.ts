import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { createDb } from "@duban/db/client";
import { applyMigrations, MIGRATIONS_DIR, migrationNames } from "@duban/db/migrate/migrations";

const dir = mkdtempSync(path.join(os.tmpdir(), "duban-contact-channels-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The contact_channels migration carries every Telegram-bound contact over to ContactChannel (plain SQL backfill). */
it("existing Telegram contacts get their telegram channel row; unbound contacts none", { timeout: 120_000 }, async () => {
  const all = migrationNames(MIGRATIONS_DIR);
  // The migration that adds ContactChannel (and ends with the backfill), whichever came after it.
  const index = all.findIndex((name) => readFileSync(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8").includes('CREATE TABLE "ContactChannel"'));
  expect(index).toBeGreaterThan(0);
  const previous = path.join(dir, "previous");
  for (const name of all.slice(0, index)) cpSync(path.join(MIGRATIONS_DIR, name), path.join(previous, name), { recursive: true });
  cpSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"), path.join(previous, "migration_lock.toml"));
  const file = path.join(dir, "old.db");
  await applyMigrations(file, previous);

  const old = createDb(`file:${file}`);
  try {
    await old.$executeRawUnsafe(`INSERT INTO "Unit" ("id", "name", "createdAt") VALUES (1, '市场监督管理局', CURRENT_TIMESTAMP)`);
    await old.$executeRawUnsafe(
      `INSERT INTO "Contact" ("id", "unitId", "role", "telegramUserId", "telegramChatId", "createdAt", "updatedAt") VALUES (1, 1, 'liaison', '1001', '1001', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), (2, 1, 'head', NULL, NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), (3, 1, 'head', '3003', '3003', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
    );
  } finally {
    await old.$disconnect();
  }

  expect(await applyMigrations(file)).toContain(all[index]);
  const migrated = createDb(`file:${file}`);
  try {
    const rows = await migrated.contactChannel.findMany({ orderBy: { contactId: "asc" }, select: { contactId: true, channel: true, externalId: true } });
    expect(rows).toEqual([
      { contactId: 1, channel: "telegram", externalId: "1001" },
      { contactId: 3, channel: "telegram", externalId: "3003" },
    ]);
  } finally {
    await migrated.$disconnect();
  }
});
