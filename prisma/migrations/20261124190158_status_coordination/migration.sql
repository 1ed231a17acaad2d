-- AlterTable
ALTER TABLE "StatusUpdate" ADD COLUMN "coordinatedAt" DATETIME;
ALTER TABLE "StatusUpdate" ADD COLUMN "coordinatedById" INTEGER;
ALTER TABLE "StatusUpdate" ADD COLUMN "coordinationNote" TEXT;
