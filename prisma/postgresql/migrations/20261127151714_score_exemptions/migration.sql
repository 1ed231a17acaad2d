-- CreateTable
CREATE TABLE "ScoreExemption" (
    "id" SERIAL NOT NULL,
    "submissionId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "grantedById" INTEGER,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScoreExemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedById" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "ScoreExemption_submissionId_key" ON "ScoreExemption"("submissionId");

-- AddForeignKey
ALTER TABLE "ScoreExemption" ADD CONSTRAINT "ScoreExemption_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "Submission"("id") ON DELETE CASCADE ON UPDATE CASCADE;
