-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "archivedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "editedAt" TIMESTAMP(3),
ADD COLUMN     "leader" TEXT,
ADD COLUMN     "unitNote" TEXT;

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

-- CreateIndex
CREATE INDEX "Plan_docNumber_idx" ON "Plan"("docNumber");

-- CreateIndex
CREATE INDEX "Plan_title_idx" ON "Plan"("title");

-- CreateIndex
CREATE INDEX "Task_planId_active_idx" ON "Task"("planId", "active");

-- CreateIndex
CREATE INDEX "UnitMember_memberId_idx" ON "UnitMember"("memberId");

-- CreateIndex
CREATE INDEX "Assignment_unitId_idx" ON "Assignment"("unitId");

-- CreateIndex
CREATE INDEX "Contact_unitId_idx" ON "Contact"("unitId");

-- CreateIndex
CREATE INDEX "Deadline_taskId_idx" ON "Deadline"("taskId");

-- CreateIndex
CREATE INDEX "Round_dueAt_idx" ON "Round"("dueAt");

-- CreateIndex
CREATE INDEX "Submission_unitId_idx" ON "Submission"("unitId");

-- CreateIndex
CREATE INDEX "StatusUpdate_taskId_unitId_createdAt_idx" ON "StatusUpdate"("taskId", "unitId", "createdAt");

-- CreateIndex
CREATE INDEX "Reminder_roundId_idx" ON "Reminder"("roundId");

-- CreateIndex
CREATE INDEX "Reminder_chatMessageId_idx" ON "Reminder"("chatMessageId");

-- AddForeignKey
ALTER TABLE "ScoreExemption" ADD CONSTRAINT "ScoreExemption_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "Submission"("id") ON DELETE CASCADE ON UPDATE CASCADE;
