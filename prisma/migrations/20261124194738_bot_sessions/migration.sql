-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "Lease";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "BotSession" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
