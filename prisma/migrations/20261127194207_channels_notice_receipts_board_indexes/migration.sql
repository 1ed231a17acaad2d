-- CreateTable
CREATE TABLE "ContactChannel" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contactId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ContactChannel_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NoticeReceipt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "noticeId" INTEGER NOT NULL,
    "contactId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    CONSTRAINT "NoticeReceipt_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OfficeDigest" (
    "day" TEXT NOT NULL PRIMARY KEY,
    "text" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "claimedAt" DATETIME NOT NULL,
    "nextAttemptAt" DATETIME,
    "sentAt" DATETIME,
    "chatMessageId" TEXT,
    "lastError" TEXT
);

-- CreateTable
CREATE TABLE "ChannelEvent" (
    "channel" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("channel", "eventId")
);

-- CreateIndex
CREATE INDEX "ContactChannel_contactId_idx" ON "ContactChannel"("contactId");

-- CreateIndex
CREATE UNIQUE INDEX "ContactChannel_channel_externalId_key" ON "ContactChannel"("channel", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeReceipt_noticeId_contactId_key" ON "NoticeReceipt"("noticeId", "contactId");

-- CreateIndex
CREATE INDEX "Round_deadlineId_opensAt_periodKey_idx" ON "Round"("deadlineId", "opensAt", "periodKey");

-- CreateIndex
CREATE INDEX "Submission_roundId_unitId_submittedAt_dueAt_idx" ON "Submission"("roundId", "unitId", "submittedAt", "dueAt");

-- CreateIndex
CREATE INDEX "Submission_submittedAt_roundId_unitId_dueAt_idx" ON "Submission"("submittedAt", "roundId", "unitId", "dueAt");

-- Backfill: every contact already bound in Telegram is reachable on the telegram channel.
INSERT INTO "ContactChannel" ("contactId", "channel", "externalId", "createdAt")
SELECT "id", 'telegram', "telegramUserId", "createdAt" FROM "Contact" WHERE "telegramUserId" IS NOT NULL;
