-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "content" BYTEA;
