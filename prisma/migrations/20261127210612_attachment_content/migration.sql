-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN "content" BLOB;
