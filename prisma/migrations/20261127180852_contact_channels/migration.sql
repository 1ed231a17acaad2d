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

-- Backfill: every contact already bound in Telegram is reachable on the telegram channel.
INSERT INTO "ContactChannel" ("contactId", "channel", "externalId", "createdAt")
SELECT "id", 'telegram', "telegramUserId", "createdAt" FROM "Contact" WHERE "telegramUserId" IS NOT NULL;
