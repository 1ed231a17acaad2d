-- AlterTable
ALTER TABLE "Plan" ADD COLUMN "archivedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Assignment_unitId_idx" ON "Assignment"("unitId");

-- CreateIndex
CREATE INDEX "Deadline_taskId_idx" ON "Deadline"("taskId");

-- CreateIndex
CREATE INDEX "Plan_docNumber_idx" ON "Plan"("docNumber");

-- CreateIndex
CREATE INDEX "Plan_title_idx" ON "Plan"("title");

-- CreateIndex
CREATE INDEX "StatusUpdate_taskId_unitId_createdAt_idx" ON "StatusUpdate"("taskId", "unitId", "createdAt");

-- CreateIndex
CREATE INDEX "Submission_unitId_idx" ON "Submission"("unitId");

-- CreateIndex
CREATE INDEX "Task_planId_active_idx" ON "Task"("planId", "active");
