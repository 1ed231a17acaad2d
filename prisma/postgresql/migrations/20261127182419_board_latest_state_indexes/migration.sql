-- CreateIndex
CREATE INDEX "Round_deadlineId_opensAt_periodKey_idx" ON "Round"("deadlineId", "opensAt", "periodKey");

-- CreateIndex
CREATE INDEX "Submission_roundId_unitId_submittedAt_dueAt_idx" ON "Submission"("roundId", "unitId", "submittedAt", "dueAt");
