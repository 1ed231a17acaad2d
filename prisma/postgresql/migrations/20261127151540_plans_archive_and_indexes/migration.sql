-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "archivedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Plan_docNumber_idx" ON "Plan"("docNumber");

-- CreateIndex
CREATE INDEX "Plan_title_idx" ON "Plan"("title");

-- CreateIndex
CREATE INDEX "Task_planId_active_idx" ON "Task"("planId", "active");

-- CreateIndex
CREATE INDEX "Assignment_unitId_idx" ON "Assignment"("unitId");

-- CreateIndex
CREATE INDEX "Deadline_taskId_idx" ON "Deadline"("taskId");

-- CreateIndex
CREATE INDEX "Submission_unitId_idx" ON "Submission"("unitId");

-- CreateIndex
CREATE INDEX "StatusUpdate_taskId_unitId_createdAt_idx" ON "StatusUpdate"("taskId", "unitId", "createdAt");
