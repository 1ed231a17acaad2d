-- AlterTable
ALTER TABLE "Round" ADD COLUMN "rescheduledAt" DATETIME;
