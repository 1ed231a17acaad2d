-- CreateTable
CREATE TABLE "ContactChannel" (
    "id" SERIAL NOT NULL,
    "contactId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeReceipt" (
    "id" SERIAL NOT NULL,
    "noticeId" INTEGER NOT NULL,
    "contactId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NoticeReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfficeDigest" (
    "day" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "claimedAt" TIMESTAMP(3) NOT NULL,
    "nextAttemptAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "chatMessageId" TEXT,
    "lastError" TEXT,

    CONSTRAINT "OfficeDigest_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "ChannelEvent" (
    "channel" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelEvent_pkey" PRIMARY KEY ("channel","eventId")
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

-- AddForeignKey
ALTER TABLE "ContactChannel" ADD CONSTRAINT "ContactChannel_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeReceipt" ADD CONSTRAINT "NoticeReceipt_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: every contact already bound in Telegram is reachable on the telegram channel.
INSERT INTO "ContactChannel" ("contactId", "channel", "externalId", "createdAt")
SELECT "id", 'telegram', "telegramUserId", "createdAt" FROM "Contact" WHERE "telegramUserId" IS NOT NULL;
