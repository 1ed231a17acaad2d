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
