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

-- CreateIndex
CREATE UNIQUE INDEX "NoticeReceipt_noticeId_contactId_key" ON "NoticeReceipt"("noticeId", "contactId");
