-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN "content" BLOB;

-- CreateTable
CREATE TABLE "SubmissionTally" (
    "deadlineId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "expected" INTEGER NOT NULL,
    "done" INTEGER NOT NULL,
    "pendingId" INTEGER,
    "pendingDue" DATETIME,
    "pendingPeriod" TEXT,
    "madeId" INTEGER,
    "madeDue" DATETIME,
    "madePeriod" TEXT,
    "lastOpensAt" DATETIME NOT NULL,

    PRIMARY KEY ("deadlineId", "unitId")
);

-- SubmissionTally is kept by the database itself, in the transaction of every change to a
-- submission or a round (rounds opening, replies, office entries, extensions, reschedules, unit
-- merges, deletions), so no write path has to remember it. An inserted submission is folded in
-- (O(1)), any other change recomputes its deadline × unit from that deadline's rounds. Ties on
-- the due moment go to the lowest submission id, as the full-history fold's row order had it.

CREATE TRIGGER "Submission_tally_insert" AFTER INSERT ON "Submission" FOR EACH ROW
BEGIN
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
    "lastOpensAt" = MAX(t."lastOpensAt", excluded."lastOpensAt");
END;

CREATE TRIGGER "Submission_tally_update" AFTER UPDATE OF "roundId", "unitId", "dueAt", "submittedAt" ON "Submission" FOR EACH ROW
WHEN OLD."roundId" IS NOT NEW."roundId" OR OLD."unitId" IS NOT NEW."unitId" OR OLD."dueAt" IS NOT NEW."dueAt" OR OLD."submittedAt" IS NOT NEW."submittedAt"
BEGIN
  DELETE FROM "SubmissionTally" WHERE "deadlineId" = (SELECT "deadlineId" FROM "Round" WHERE "id" = NEW."roundId") AND "unitId" = NEW."unitId";
  INSERT INTO "SubmissionTally" ("deadlineId", "unitId", "expected", "done", "pendingId", "pendingDue", "pendingPeriod", "madeId", "madeDue", "madePeriod", "lastOpensAt")
  SELECT x."deadlineId", x."unitId", COUNT(*), COUNT(x."submittedAt"),
         MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."periodKey" END),
         MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."periodKey" END),
         MAX(x."opensAt")
    FROM (SELECT r."deadlineId", s."unitId", s."id", s."dueAt", s."submittedAt", r."periodKey", r."opensAt",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt", s."id") AS "first",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt" DESC, s."id") AS "last"
            FROM "Round" r JOIN "Submission" s ON s."roundId" = r."id"
           WHERE r."deadlineId" = (SELECT "deadlineId" FROM "Round" WHERE "id" = NEW."roundId") AND s."unitId" = NEW."unitId") x
   GROUP BY x."deadlineId", x."unitId";
END;

-- A submission moved to another round or unit (a unit merge) leaves its old deadline × unit too.
CREATE TRIGGER "Submission_tally_move" AFTER UPDATE OF "roundId", "unitId" ON "Submission" FOR EACH ROW
WHEN OLD."roundId" IS NOT NEW."roundId" OR OLD."unitId" IS NOT NEW."unitId"
BEGIN
  DELETE FROM "SubmissionTally" WHERE "deadlineId" = (SELECT "deadlineId" FROM "Round" WHERE "id" = OLD."roundId") AND "unitId" = OLD."unitId";
  INSERT INTO "SubmissionTally" ("deadlineId", "unitId", "expected", "done", "pendingId", "pendingDue", "pendingPeriod", "madeId", "madeDue", "madePeriod", "lastOpensAt")
  SELECT x."deadlineId", x."unitId", COUNT(*), COUNT(x."submittedAt"),
         MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."periodKey" END),
         MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."periodKey" END),
         MAX(x."opensAt")
    FROM (SELECT r."deadlineId", s."unitId", s."id", s."dueAt", s."submittedAt", r."periodKey", r."opensAt",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt", s."id") AS "first",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt" DESC, s."id") AS "last"
            FROM "Round" r JOIN "Submission" s ON s."roundId" = r."id"
           WHERE r."deadlineId" = (SELECT "deadlineId" FROM "Round" WHERE "id" = OLD."roundId") AND s."unitId" = OLD."unitId") x
   GROUP BY x."deadlineId", x."unitId";
END;

-- When the round itself is being deleted, the round's trigger below recomputes its deadline.
CREATE TRIGGER "Submission_tally_delete" AFTER DELETE ON "Submission" FOR EACH ROW
BEGIN
  DELETE FROM "SubmissionTally" WHERE "deadlineId" = (SELECT "deadlineId" FROM "Round" WHERE "id" = OLD."roundId") AND "unitId" = OLD."unitId";
  INSERT INTO "SubmissionTally" ("deadlineId", "unitId", "expected", "done", "pendingId", "pendingDue", "pendingPeriod", "madeId", "madeDue", "madePeriod", "lastOpensAt")
  SELECT x."deadlineId", x."unitId", COUNT(*), COUNT(x."submittedAt"),
         MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."periodKey" END),
         MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."periodKey" END),
         MAX(x."opensAt")
    FROM (SELECT r."deadlineId", s."unitId", s."id", s."dueAt", s."submittedAt", r."periodKey", r."opensAt",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt", s."id") AS "first",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt" DESC, s."id") AS "last"
            FROM "Round" r JOIN "Submission" s ON s."roundId" = r."id"
           WHERE r."deadlineId" = (SELECT "deadlineId" FROM "Round" WHERE "id" = OLD."roundId") AND s."unitId" = OLD."unitId") x
   GROUP BY x."deadlineId", x."unitId";
END;

CREATE TRIGGER "Round_tally_delete" AFTER DELETE ON "Round" FOR EACH ROW
BEGIN
  DELETE FROM "SubmissionTally" WHERE "deadlineId" = OLD."deadlineId";
  INSERT INTO "SubmissionTally" ("deadlineId", "unitId", "expected", "done", "pendingId", "pendingDue", "pendingPeriod", "madeId", "madeDue", "madePeriod", "lastOpensAt")
  SELECT x."deadlineId", x."unitId", COUNT(*), COUNT(x."submittedAt"),
         MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."periodKey" END),
         MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."periodKey" END),
         MAX(x."opensAt")
    FROM (SELECT r."deadlineId", s."unitId", s."id", s."dueAt", s."submittedAt", r."periodKey", r."opensAt",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt", s."id") AS "first",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt" DESC, s."id") AS "last"
            FROM "Round" r JOIN "Submission" s ON s."roundId" = r."id"
           WHERE r."deadlineId" = OLD."deadlineId") x
   GROUP BY x."deadlineId", x."unitId";
END;

CREATE TRIGGER "Round_tally_update" AFTER UPDATE OF "deadlineId", "periodKey", "opensAt" ON "Round" FOR EACH ROW
WHEN OLD."deadlineId" IS NOT NEW."deadlineId" OR OLD."periodKey" IS NOT NEW."periodKey" OR OLD."opensAt" IS NOT NEW."opensAt"
BEGIN
  DELETE FROM "SubmissionTally" WHERE "deadlineId" = OLD."deadlineId";
  INSERT INTO "SubmissionTally" ("deadlineId", "unitId", "expected", "done", "pendingId", "pendingDue", "pendingPeriod", "madeId", "madeDue", "madePeriod", "lastOpensAt")
  SELECT x."deadlineId", x."unitId", COUNT(*), COUNT(x."submittedAt"),
         MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."periodKey" END),
         MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."periodKey" END),
         MAX(x."opensAt")
    FROM (SELECT r."deadlineId", s."unitId", s."id", s."dueAt", s."submittedAt", r."periodKey", r."opensAt",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt", s."id") AS "first",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt" DESC, s."id") AS "last"
            FROM "Round" r JOIN "Submission" s ON s."roundId" = r."id"
           WHERE r."deadlineId" = OLD."deadlineId") x
   GROUP BY x."deadlineId", x."unitId";
  DELETE FROM "SubmissionTally" WHERE "deadlineId" = NEW."deadlineId";
  INSERT INTO "SubmissionTally" ("deadlineId", "unitId", "expected", "done", "pendingId", "pendingDue", "pendingPeriod", "madeId", "madeDue", "madePeriod", "lastOpensAt")
  SELECT x."deadlineId", x."unitId", COUNT(*), COUNT(x."submittedAt"),
         MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NULL AND x."first" = 1 THEN x."periodKey" END),
         MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."id" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."dueAt" END), MAX(CASE WHEN x."submittedAt" IS NOT NULL AND x."last" = 1 THEN x."periodKey" END),
         MAX(x."opensAt")
    FROM (SELECT r."deadlineId", s."unitId", s."id", s."dueAt", s."submittedAt", r."periodKey", r."opensAt",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt", s."id") AS "first",
                 ROW_NUMBER() OVER (PARTITION BY r."deadlineId", s."unitId", s."submittedAt" IS NULL ORDER BY s."dueAt" DESC, s."id") AS "last"
            FROM "Round" r JOIN "Submission" s ON s."roundId" = r."id"
           WHERE r."deadlineId" = NEW."deadlineId") x
   GROUP BY x."deadlineId", x."unitId";
END;

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
    "createdAt" DATETIME NOT NULL,
    "coordinatedAt" DATETIME,

    PRIMARY KEY ("taskId", "unitId")
);

-- LatestStatus is kept by the database itself, in the transaction of every change to a status
-- update (replies, office entries, amends, coordination, unit merges, deletions and the cascades
-- of a task or unit), so no write path has to remember it. An insert keeps the newer of the two
-- (createdAt, then id: as the board's order of replies has it); any other change recomputes the
-- task × unit it leaves and the one it enters with one seek on StatusUpdate(taskId, unitId, createdAt).

CREATE TRIGGER "StatusUpdate_latest_insert" AFTER INSERT ON "StatusUpdate" FOR EACH ROW
BEGIN
  INSERT INTO "LatestStatus" AS l ("taskId", "unitId", "statusUpdateId", "status", "progress", "createdAt", "coordinatedAt")
  VALUES (NEW."taskId", NEW."unitId", NEW."id", NEW."status", NEW."progress", NEW."createdAt", NEW."coordinatedAt")
  ON CONFLICT ("taskId", "unitId") DO UPDATE SET
    "statusUpdateId" = excluded."statusUpdateId", "status" = excluded."status", "progress" = excluded."progress",
    "createdAt" = excluded."createdAt", "coordinatedAt" = excluded."coordinatedAt"
  WHERE excluded."createdAt" > l."createdAt" OR (excluded."createdAt" = l."createdAt" AND excluded."statusUpdateId" > l."statusUpdateId");
END;

CREATE TRIGGER "StatusUpdate_latest_update" AFTER UPDATE OF "taskId", "unitId", "createdAt", "status", "progress", "coordinatedAt" ON "StatusUpdate" FOR EACH ROW
WHEN OLD."taskId" IS NOT NEW."taskId" OR OLD."unitId" IS NOT NEW."unitId" OR OLD."createdAt" IS NOT NEW."createdAt"
  OR OLD."status" IS NOT NEW."status" OR OLD."progress" IS NOT NEW."progress" OR OLD."coordinatedAt" IS NOT NEW."coordinatedAt"
BEGIN
  DELETE FROM "LatestStatus" WHERE "taskId" = OLD."taskId" AND "unitId" = OLD."unitId";
  INSERT INTO "LatestStatus" ("taskId", "unitId", "statusUpdateId", "status", "progress", "createdAt", "coordinatedAt")
  SELECT s."taskId", s."unitId", s."id", s."status", s."progress", s."createdAt", s."coordinatedAt"
    FROM "StatusUpdate" s WHERE s."taskId" = OLD."taskId" AND s."unitId" = OLD."unitId"
   ORDER BY s."createdAt" DESC, s."id" DESC LIMIT 1;
  DELETE FROM "LatestStatus" WHERE "taskId" = NEW."taskId" AND "unitId" = NEW."unitId" AND (OLD."taskId" IS NOT NEW."taskId" OR OLD."unitId" IS NOT NEW."unitId");
  INSERT INTO "LatestStatus" ("taskId", "unitId", "statusUpdateId", "status", "progress", "createdAt", "coordinatedAt")
  SELECT s."taskId", s."unitId", s."id", s."status", s."progress", s."createdAt", s."coordinatedAt"
    FROM "StatusUpdate" s WHERE s."taskId" = NEW."taskId" AND s."unitId" = NEW."unitId" AND (OLD."taskId" IS NOT NEW."taskId" OR OLD."unitId" IS NOT NEW."unitId")
   ORDER BY s."createdAt" DESC, s."id" DESC LIMIT 1;
END;

CREATE TRIGGER "StatusUpdate_latest_delete" AFTER DELETE ON "StatusUpdate" FOR EACH ROW
BEGIN
  DELETE FROM "LatestStatus" WHERE "taskId" = OLD."taskId" AND "unitId" = OLD."unitId";
  INSERT INTO "LatestStatus" ("taskId", "unitId", "statusUpdateId", "status", "progress", "createdAt", "coordinatedAt")
  SELECT s."taskId", s."unitId", s."id", s."status", s."progress", s."createdAt", s."coordinatedAt"
    FROM "StatusUpdate" s WHERE s."taskId" = OLD."taskId" AND s."unitId" = OLD."unitId"
   ORDER BY s."createdAt" DESC, s."id" DESC LIMIT 1;
END;

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
