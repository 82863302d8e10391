-- CreateIndex
CREATE INDEX "Contractor_organizationId_updatedAt_id_idx" ON "Contractor"("organizationId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "Goal_organizationId_updatedAt_id_idx" ON "Goal"("organizationId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "Person_organizationId_updatedAt_id_idx" ON "Person"("organizationId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "Project_organizationId_updatedAt_id_idx" ON "Project"("organizationId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "Worker_organizationId_updatedAt_id_idx" ON "Worker"("organizationId", "updatedAt", "id");
