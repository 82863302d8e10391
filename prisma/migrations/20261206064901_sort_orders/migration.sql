-- DropIndex
DROP INDEX "Goal_organizationId_dueOn_idx";

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
-- Existing conversations last changed when they were created, as far as anyone can tell.
UPDATE "Conversation" SET "updatedAt" = "createdAt";

-- CreateIndex
CREATE INDEX "Contractor_organizationId_createdAt_id_idx" ON "Contractor"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Conversation_organizationId_updatedAt_id_idx" ON "Conversation"("organizationId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "Conversation_organizationId_scheduledFor_id_idx" ON "Conversation"("organizationId", "scheduledFor", "id");

-- CreateIndex
CREATE INDEX "Goal_organizationId_dueOn_id_idx" ON "Goal"("organizationId", "dueOn", "id");

-- CreateIndex
CREATE INDEX "Goal_organizationId_title_id_idx" ON "Goal"("organizationId", "title", "id");

-- CreateIndex
CREATE INDEX "Person_organizationId_createdAt_id_idx" ON "Person"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Worker_organizationId_createdAt_id_idx" ON "Worker"("organizationId", "createdAt", "id");
