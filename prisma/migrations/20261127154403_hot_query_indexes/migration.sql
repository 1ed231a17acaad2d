-- CreateIndex
CREATE INDEX "Assignment_unitId_idx" ON "Assignment"("unitId");

-- CreateIndex
CREATE INDEX "Contact_unitId_idx" ON "Contact"("unitId");

-- CreateIndex
CREATE INDEX "Deadline_taskId_idx" ON "Deadline"("taskId");

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
CREATE INDEX "UnitMember_memberId_idx" ON "UnitMember"("memberId");
