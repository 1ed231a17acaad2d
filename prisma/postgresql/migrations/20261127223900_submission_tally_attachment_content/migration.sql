-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "content" BYTEA;

-- CreateTable
CREATE TABLE "SubmissionTally" (
    "deadlineId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "expected" INTEGER NOT NULL,
    "done" INTEGER NOT NULL,
    "pendingId" INTEGER,
    "pendingDue" TIMESTAMP(3),
    "pendingPeriod" TEXT,
    "madeId" INTEGER,
    "madeDue" TIMESTAMP(3),
    "madePeriod" TEXT,
    "lastOpensAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SubmissionTally_pkey" PRIMARY KEY ("deadlineId","unitId")
);

-- SubmissionTally is kept by the database itself, in the transaction of every change to a
-- submission or a round (rounds opening, replies, office entries, extensions, reschedules, unit
-- merges, deletions), so no write path has to remember it. An inserted submission is folded in
-- (O(1)), any other change recomputes its deadline × unit from that deadline's rounds. Ties on
-- the due moment go to the lowest submission id, as the full-history fold's row order had it.
-- Every change takes a transaction-scoped advisory lock on its deadline's task first, so two
-- transactions never fold the same deadline from different snapshots. The key is the one
-- LatestStatus's triggers take (20261128, taskId): a reply and an office decision on the same
-- task queue on one lock instead of taking two in opposite orders.

-- The tally of deadline d for unit u (every unit of d when u is null), recomputed.
CREATE FUNCTION "submission_tally_refresh"(d INTEGER, u INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF d IS NULL THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock(20261128, (SELECT "taskId" FROM "Deadline" WHERE "id" = d));
  IF u IS NULL THEN
    DELETE FROM "SubmissionTally" WHERE "deadlineId" = d;
    INSERT INTO "SubmissionTally" ("deadlineId", "unitId", "expected", "done", "pendingId", "pendingDue", "pendingPeriod", "madeId", "madeDue", "madePeriod", "lastOpensAt")
    SELECT x."deadlineId", x."unitId", COUNT(*), COUNT(x."submittedAt"),
           MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."periodKey" END),
           MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."periodKey" END),
           MAX(x."opensAt")
      FROM (SELECT r."deadlineId", s."unitId", s."id", s."dueAt", s."submittedAt", r."periodKey", r."opensAt",
                   ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt", s."id") AS "first",
                   ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt" DESC, s."id") AS "last"
              FROM "Round" r JOIN "Submission" s ON s."roundId" = r."id"
             WHERE r."deadlineId" = d) x
     GROUP BY x."deadlineId", x."unitId";
  ELSE
    DELETE FROM "SubmissionTally" WHERE "deadlineId" = d AND "unitId" = u;
    INSERT INTO "SubmissionTally" ("deadlineId", "unitId", "expected", "done", "pendingId", "pendingDue", "pendingPeriod", "madeId", "madeDue", "madePeriod", "lastOpensAt")
    SELECT x."deadlineId", x."unitId", COUNT(*), COUNT(x."submittedAt"),
           MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."periodKey" END),
           MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."periodKey" END),
           MAX(x."opensAt")
      FROM (SELECT r."deadlineId", s."unitId", s."id", s."dueAt", s."submittedAt", r."periodKey", r."opensAt",
                   ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt", s."id") AS "first",
                   ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt" DESC, s."id") AS "last"
              FROM "Round" r JOIN "Submission" s ON s."roundId" = r."id"
             WHERE r."deadlineId" = d AND s."unitId" = u) x
     GROUP BY x."deadlineId", x."unitId";
  END IF;
END $$;

CREATE FUNCTION "submission_tally_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d INTEGER;
BEGIN
  SELECT r."deadlineId" INTO d FROM "Round" r WHERE r."id" = NEW."roundId";
  PERFORM pg_advisory_xact_lock(20261128, (SELECT "taskId" FROM "Deadline" WHERE "id" = d));
  INSERT INTO "SubmissionTally" AS t ("deadlineId", "unitId", "expected", "done", "pendingId", "pendingDue", "pendingPeriod", "madeId", "madeDue", "madePeriod", "lastOpensAt")
  SELECT r."deadlineId", NEW."unitId", 1, CASE WHEN NEW."submittedAt" IS NULL THEN 0 ELSE 1 END,
         CASE WHEN NEW."submittedAt" IS NULL THEN NEW."id" END, CASE WHEN NEW."submittedAt" IS NULL THEN NEW."dueAt" END, CASE WHEN NEW."submittedAt" IS NULL THEN r."periodKey" END,
         CASE WHEN NEW."submittedAt" IS NOT NULL THEN NEW."id" END, CASE WHEN NEW."submittedAt" IS NOT NULL THEN NEW."dueAt" END, CASE WHEN NEW."submittedAt" IS NOT NULL THEN r."periodKey" END,
         r."opensAt"
    FROM "Round" r WHERE r."id" = NEW."roundId"
  ON CONFLICT ("deadlineId", "unitId") DO UPDATE SET
    "expected" = t."expected" + 1,
    "done" = t."done" + excluded."done",
    "pendingId" = CASE WHEN excluded."pendingId" IS NOT NULL AND (t."pendingId" IS NULL OR excluded."pendingDue" < t."pendingDue" OR (excluded."pendingDue" = t."pendingDue" AND excluded."pendingId" < t."pendingId")) THEN excluded."pendingId" ELSE t."pendingId" END,
    "pendingDue" = CASE WHEN excluded."pendingId" IS NOT NULL AND (t."pendingId" IS NULL OR excluded."pendingDue" < t."pendingDue" OR (excluded."pendingDue" = t."pendingDue" AND excluded."pendingId" < t."pendingId")) THEN excluded."pendingDue" ELSE t."pendingDue" END,
    "pendingPeriod" = CASE WHEN excluded."pendingId" IS NOT NULL AND (t."pendingId" IS NULL OR excluded."pendingDue" < t."pendingDue" OR (excluded."pendingDue" = t."pendingDue" AND excluded."pendingId" < t."pendingId")) THEN excluded."pendingPeriod" ELSE t."pendingPeriod" END,
    "madeId" = CASE WHEN excluded."madeId" IS NOT NULL AND (t."madeId" IS NULL OR excluded."madeDue" > t."madeDue" OR (excluded."madeDue" = t."madeDue" AND excluded."madeId" < t."madeId")) THEN excluded."madeId" ELSE t."madeId" END,
    "madeDue" = CASE WHEN excluded."madeId" IS NOT NULL AND (t."madeId" IS NULL OR excluded."madeDue" > t."madeDue" OR (excluded."madeDue" = t."madeDue" AND excluded."madeId" < t."madeId")) THEN excluded."madeDue" ELSE t."madeDue" END,
    "madePeriod" = CASE WHEN excluded."madeId" IS NOT NULL AND (t."madeId" IS NULL OR excluded."madeDue" > t."madeDue" OR (excluded."madeDue" = t."madeDue" AND excluded."madeId" < t."madeId")) THEN excluded."madePeriod" ELSE t."madePeriod" END,
    "lastOpensAt" = GREATEST(t."lastOpensAt", excluded."lastOpensAt");
  RETURN NULL;
END $$;

CREATE FUNCTION "submission_tally_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    -- A deleted or moved submission leaves its old deadline × unit (nothing when its round is gone:
    -- the round's own trigger recomputes that deadline).
    PERFORM "submission_tally_refresh"((SELECT "deadlineId" FROM "Round" WHERE "id" = OLD."roundId"), OLD."unitId");
  END IF;
  IF TG_OP = 'UPDATE' AND (OLD."roundId" IS DISTINCT FROM NEW."roundId" OR OLD."unitId" IS DISTINCT FROM NEW."unitId") THEN
    PERFORM "submission_tally_refresh"((SELECT "deadlineId" FROM "Round" WHERE "id" = NEW."roundId"), NEW."unitId");
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "round_tally_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "submission_tally_refresh"(OLD."deadlineId", NULL);
  IF TG_OP = 'UPDATE' AND OLD."deadlineId" IS DISTINCT FROM NEW."deadlineId" THEN
    PERFORM "submission_tally_refresh"(NEW."deadlineId", NULL);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Submission_tally_insert" AFTER INSERT ON "Submission" FOR EACH ROW EXECUTE FUNCTION "submission_tally_insert"();

CREATE TRIGGER "Submission_tally_update" AFTER UPDATE OF "roundId", "unitId", "dueAt", "submittedAt" ON "Submission" FOR EACH ROW
WHEN (OLD."roundId" IS DISTINCT FROM NEW."roundId" OR OLD."unitId" IS DISTINCT FROM NEW."unitId" OR OLD."dueAt" IS DISTINCT FROM NEW."dueAt" OR OLD."submittedAt" IS DISTINCT FROM NEW."submittedAt")
EXECUTE FUNCTION "submission_tally_change"();

CREATE TRIGGER "Submission_tally_delete" AFTER DELETE ON "Submission" FOR EACH ROW EXECUTE FUNCTION "submission_tally_change"();

CREATE TRIGGER "Round_tally_delete" AFTER DELETE ON "Round" FOR EACH ROW EXECUTE FUNCTION "round_tally_change"();

CREATE TRIGGER "Round_tally_update" AFTER UPDATE OF "deadlineId", "periodKey", "opensAt" ON "Round" FOR EACH ROW
WHEN (OLD."deadlineId" IS DISTINCT FROM NEW."deadlineId" OR OLD."periodKey" IS DISTINCT FROM NEW."periodKey" OR OLD."opensAt" IS DISTINCT FROM NEW."opensAt")
EXECUTE FUNCTION "round_tally_change"();

-- Backfill: the tally of every submission already in the database.
INSERT INTO "SubmissionTally" ("deadlineId", "unitId", "expected", "done", "pendingId", "pendingDue", "pendingPeriod", "madeId", "madeDue", "madePeriod", "lastOpensAt")
SELECT x."deadlineId", x."unitId", COUNT(*), COUNT(x."submittedAt"),
       MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."periodKey" END),
       MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."periodKey" END),
       MAX(x."opensAt")
  FROM (SELECT r."deadlineId", s."unitId", s."id", s."dueAt", s."submittedAt", r."periodKey", r."opensAt",
               ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt", s."id") AS "first",
               ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt" DESC, s."id") AS "last"
          FROM "Round" r JOIN "Submission" s ON s."roundId" = r."id") x
 GROUP BY x."deadlineId", x."unitId";

-- ---- LatestStatus: the newest status update per task × unit ----

-- CreateTable
CREATE TABLE "LatestStatus" (
    "taskId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "statusUpdateId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "progress" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "coordinatedAt" TIMESTAMP(3),

    CONSTRAINT "LatestStatus_pkey" PRIMARY KEY ("taskId","unitId")
);

-- LatestStatus is kept by the database itself, in the transaction of every change to a status
-- update (replies, office entries, amends, coordination, unit merges, deletions and the cascades
-- of a task or unit), so no write path has to remember it: each change recomputes the task × unit
-- it leaves and the one it enters with one seek on StatusUpdate(taskId, unitId, createdAt), the
-- newest by createdAt, then id. Each recompute takes a transaction-scoped advisory lock on the
-- task first, so two transactions never write a task × unit from different snapshots. (Plain
-- triggers, not deferred constraint triggers: Prisma's schema engine cannot read the latter.)

-- The newest status of task t for unit u, recomputed (the row removed when it has none left).
CREATE FUNCTION "latest_status_refresh"(t INTEGER, u INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(20261128, t);
  INSERT INTO "LatestStatus" ("taskId", "unitId", "statusUpdateId", "status", "progress", "createdAt", "coordinatedAt")
  SELECT s."taskId", s."unitId", s."id", s."status", s."progress", s."createdAt", s."coordinatedAt"
    FROM "StatusUpdate" s WHERE s."taskId" = t AND s."unitId" = u
   ORDER BY s."createdAt" DESC, s."id" DESC LIMIT 1
  ON CONFLICT ("taskId", "unitId") DO UPDATE SET
    "statusUpdateId" = excluded."statusUpdateId", "status" = excluded."status", "progress" = excluded."progress",
    "createdAt" = excluded."createdAt", "coordinatedAt" = excluded."coordinatedAt";
  IF NOT FOUND THEN
    DELETE FROM "LatestStatus" WHERE "taskId" = t AND "unitId" = u;
  END IF;
END $$;

CREATE FUNCTION "latest_status_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM "latest_status_refresh"(OLD."taskId", OLD."unitId");
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD."taskId" IS DISTINCT FROM NEW."taskId" OR OLD."unitId" IS DISTINCT FROM NEW."unitId")) THEN
    PERFORM "latest_status_refresh"(NEW."taskId", NEW."unitId");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "StatusUpdate_latest_insert" AFTER INSERT ON "StatusUpdate"
FOR EACH ROW EXECUTE FUNCTION "latest_status_change"();

CREATE TRIGGER "StatusUpdate_latest_update" AFTER UPDATE OF "taskId", "unitId", "createdAt", "status", "progress", "coordinatedAt" ON "StatusUpdate"
FOR EACH ROW WHEN (OLD."taskId" IS DISTINCT FROM NEW."taskId" OR OLD."unitId" IS DISTINCT FROM NEW."unitId" OR OLD."createdAt" IS DISTINCT FROM NEW."createdAt"
  OR OLD."status" IS DISTINCT FROM NEW."status" OR OLD."progress" IS DISTINCT FROM NEW."progress" OR OLD."coordinatedAt" IS DISTINCT FROM NEW."coordinatedAt")
EXECUTE FUNCTION "latest_status_change"();

CREATE TRIGGER "StatusUpdate_latest_delete" AFTER DELETE ON "StatusUpdate"
FOR EACH ROW EXECUTE FUNCTION "latest_status_change"();

-- Backfill: the newest status update of every task × unit already in the database.
INSERT INTO "LatestStatus" ("taskId", "unitId", "statusUpdateId", "status", "progress", "createdAt", "coordinatedAt")
SELECT x."taskId", x."unitId", x."id", x."status", x."progress", x."createdAt", x."coordinatedAt"
  FROM (SELECT s."taskId", s."unitId", s."id", s."status", s."progress", s."createdAt", s."coordinatedAt",
               ROW_NUMBER() OVER (PARTITION BY s."taskId", s."unitId" ORDER BY s."createdAt" DESC, s."id" DESC) AS "n"
          FROM "StatusUpdate" s) x
 WHERE x."n" = 1;

-- ---- Reminder: a round's reminders per unit, and a contact's ----

-- DropIndex
DROP INDEX "Reminder_roundId_idx";

-- CreateIndex
CREATE INDEX "Reminder_roundId_unitId_idx" ON "Reminder"("roundId", "unitId");

-- CreateIndex
CREATE INDEX "Reminder_contactId_idx" ON "Reminder"("contactId");
