-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "editedAt" TIMESTAMP(3),
ADD COLUMN     "leader" TEXT,
ADD COLUMN     "unitNote" TEXT;
