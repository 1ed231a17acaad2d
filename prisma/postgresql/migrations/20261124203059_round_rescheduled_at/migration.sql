-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "rescheduledAt" TIMESTAMP(3);
