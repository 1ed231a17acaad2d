-- AlterTable
ALTER TABLE "StatusUpdate" ADD COLUMN     "coordinatedAt" TIMESTAMP(3),
ADD COLUMN     "coordinatedById" INTEGER,
ADD COLUMN     "coordinationNote" TEXT;
