-- CreateIndex
CREATE INDEX "Commission_workspaceId_programId_createdAt_id_idx" ON "Commission"("workspaceId", "programId", "createdAt", "id");
