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
