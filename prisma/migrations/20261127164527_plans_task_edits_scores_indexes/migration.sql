-- AlterTable
ALTER TABLE "Plan" ADD COLUMN "archivedAt" DATETIME;

-- AlterTable
ALTER TABLE "Task" ADD COLUMN "editedAt" DATETIME;
ALTER TABLE "Task" ADD COLUMN "leader" TEXT;
ALTER TABLE "Task" ADD COLUMN "unitNote" TEXT;

-- CreateTable
CREATE TABLE "ScoreExemption" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "submissionId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "grantedById" INTEGER,
    "grantedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ScoreExemption_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "Submission" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedById" INTEGER,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "ScoreExemption_submissionId_key" ON "ScoreExemption"("submissionId");

-- CreateIndex
CREATE INDEX "Assignment_unitId_idx" ON "Assignment"("unitId");

-- CreateIndex
CREATE INDEX "Contact_unitId_idx" ON "Contact"("unitId");

-- CreateIndex
CREATE INDEX "Deadline_taskId_idx" ON "Deadline"("taskId");

-- CreateIndex
CREATE INDEX "Plan_docNumber_idx" ON "Plan"("docNumber");

-- CreateIndex
CREATE INDEX "Plan_title_idx" ON "Plan"("title");

-- CreateIndex
CREATE INDEX "Reminder_roundId_idx" ON "Reminder"("roundId");

-- CreateIndex
CREATE INDEX "Reminder_chatMessageId_idx" ON "Reminder"("chatMessageId");

-- CreateIndex
CREATE INDEX "Round_dueAt_idx" ON "Round"("dueAt");

-- CreateIndex
CREATE INDEX "StatusUpdate_taskId_unitId_createdAt_idx" ON "StatusUpdate"("taskId", "unitId", "createdAt");

-- CreateIndex
CREATE INDEX "Submission_unitId_idx" ON "Submission"("unitId");

-- CreateIndex
CREATE INDEX "Task_planId_active_idx" ON "Task"("planId", "active");

-- CreateIndex
CREATE INDEX "UnitMember_memberId_idx" ON "UnitMember"("memberId");
