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

-- CreateIndex
CREATE UNIQUE INDEX "NoticeReceipt_noticeId_contactId_key" ON "NoticeReceipt"("noticeId", "contactId");

-- AddForeignKey
ALTER TABLE "NoticeReceipt" ADD CONSTRAINT "NoticeReceipt_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;
