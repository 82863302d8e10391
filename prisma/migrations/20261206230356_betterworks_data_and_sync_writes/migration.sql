-- CreateEnum
CREATE TYPE "GoalChangeKind" AS ENUM ('CREATED', 'UPDATED', 'MILESTONE_ADDED', 'MILESTONE_UPDATED', 'MILESTONE_REMOVED');

-- CreateEnum
CREATE TYPE "GoalRating" AS ENUM ('EXCEEDS', 'MEETS', 'PARTIALLY_MEETS', 'DOES_NOT_MEET');

-- CreateEnum
CREATE TYPE "CalibrationCycleStatus" AS ENUM ('PLANNED', 'OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "TalentPotential" AS ENUM ('LOW', 'MEDIUM', 'HIGH');

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "canWritePeople" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Contractor" ADD COLUMN     "externalId" TEXT;

-- AlterTable
ALTER TABLE "Goal" ADD COLUMN     "externalId" TEXT;

-- AlterTable
ALTER TABLE "GoalComment" ADD COLUMN     "authorApiKeyId" UUID,
ADD COLUMN     "authorUserId" UUID;

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "externalId" TEXT;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "externalId" TEXT;

-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "externalId" TEXT;

-- CreateTable
CREATE TABLE "GoalChange" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "goalId" UUID NOT NULL,
    "milestoneId" UUID,
    "kind" "GoalChangeKind" NOT NULL,
    "changes" JSONB NOT NULL DEFAULT '{}',
    "actorUserId" UUID,
    "actorApiKeyId" UUID,
    "requestId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GoalChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GoalAssessment" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "goalId" UUID NOT NULL,
    "score" INTEGER,
    "rating" "GoalRating",
    "comment" TEXT,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "assessorId" UUID,
    "assessorApiKeyId" UUID,
    "assessorUserId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GoalAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackTemplate" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FeedbackTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackQuestion" (
    "id" UUID NOT NULL,
    "templateId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "FeedbackQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "templateId" UUID NOT NULL,
    "giverId" UUID NOT NULL,
    "subjectId" UUID NOT NULL,
    "projectId" UUID,
    "goalId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackResponse" (
    "id" UUID NOT NULL,
    "feedbackId" UUID NOT NULL,
    "questionId" UUID NOT NULL,
    "answer" TEXT NOT NULL,

    CONSTRAINT "FeedbackResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalibrationCycle" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "startsOn" DATE NOT NULL,
    "endsOn" DATE NOT NULL,
    "status" "CalibrationCycleStatus" NOT NULL DEFAULT 'PLANNED',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalibrationCycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TalentRecord" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "cycleId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "rating" INTEGER,
    "potential" "TalentPotential",
    "notes" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TalentRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "principal" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "responseStatus" INTEGER,
    "response" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "IdempotencyKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deletion" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "recordId" UUID NOT NULL,
    "projectIds" UUID[] DEFAULT ARRAY[]::UUID[],
    "deletedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Deletion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GoalChange_organizationId_idx" ON "GoalChange"("organizationId");

-- CreateIndex
CREATE INDEX "GoalChange_goalId_createdAt_id_idx" ON "GoalChange"("goalId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "GoalChange_actorUserId_idx" ON "GoalChange"("actorUserId");

-- CreateIndex
CREATE INDEX "GoalChange_actorApiKeyId_idx" ON "GoalChange"("actorApiKeyId");

-- CreateIndex
CREATE INDEX "GoalAssessment_organizationId_idx" ON "GoalAssessment"("organizationId");

-- CreateIndex
CREATE INDEX "GoalAssessment_goalId_periodEnd_id_idx" ON "GoalAssessment"("goalId", "periodEnd", "id");

-- CreateIndex
CREATE INDEX "GoalAssessment_assessorId_idx" ON "GoalAssessment"("assessorId");

-- CreateIndex
CREATE INDEX "GoalAssessment_assessorApiKeyId_idx" ON "GoalAssessment"("assessorApiKeyId");

-- CreateIndex
CREATE INDEX "GoalAssessment_assessorUserId_idx" ON "GoalAssessment"("assessorUserId");

-- CreateIndex
CREATE INDEX "FeedbackTemplate_organizationId_createdAt_id_idx" ON "FeedbackTemplate"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackTemplate_organizationId_name_key" ON "FeedbackTemplate"("organizationId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackQuestion_templateId_position_key" ON "FeedbackQuestion"("templateId", "position");

-- CreateIndex
CREATE INDEX "Feedback_organizationId_createdAt_id_idx" ON "Feedback"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Feedback_organizationId_updatedAt_id_idx" ON "Feedback"("organizationId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "Feedback_projectId_createdAt_id_idx" ON "Feedback"("projectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Feedback_templateId_idx" ON "Feedback"("templateId");

-- CreateIndex
CREATE INDEX "Feedback_giverId_idx" ON "Feedback"("giverId");

-- CreateIndex
CREATE INDEX "Feedback_subjectId_idx" ON "Feedback"("subjectId");

-- CreateIndex
CREATE INDEX "Feedback_goalId_idx" ON "Feedback"("goalId");

-- CreateIndex
CREATE INDEX "FeedbackResponse_questionId_idx" ON "FeedbackResponse"("questionId");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackResponse_feedbackId_questionId_key" ON "FeedbackResponse"("feedbackId", "questionId");

-- CreateIndex
CREATE INDEX "CalibrationCycle_organizationId_startsOn_id_idx" ON "CalibrationCycle"("organizationId", "startsOn", "id");

-- CreateIndex
CREATE UNIQUE INDEX "CalibrationCycle_organizationId_name_key" ON "CalibrationCycle"("organizationId", "name");

-- CreateIndex
CREATE INDEX "TalentRecord_organizationId_createdAt_id_idx" ON "TalentRecord"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "TalentRecord_personId_idx" ON "TalentRecord"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "TalentRecord_cycleId_personId_key" ON "TalentRecord"("cycleId", "personId");

-- CreateIndex
CREATE INDEX "IdempotencyKey_organizationId_idx" ON "IdempotencyKey"("organizationId");

-- CreateIndex
CREATE INDEX "IdempotencyKey_expiresAt_idx" ON "IdempotencyKey"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyKey_principal_key_key" ON "IdempotencyKey"("principal", "key");

-- CreateIndex
CREATE INDEX "Deletion_organizationId_deletedAt_id_idx" ON "Deletion"("organizationId", "deletedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Contractor_organizationId_externalId_key" ON "Contractor"("organizationId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Goal_organizationId_externalId_key" ON "Goal"("organizationId", "externalId");

-- CreateIndex
CREATE INDEX "GoalComment_authorApiKeyId_idx" ON "GoalComment"("authorApiKeyId");

-- CreateIndex
CREATE INDEX "GoalComment_authorUserId_idx" ON "GoalComment"("authorUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_organizationId_externalId_key" ON "Person"("organizationId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_organizationId_externalId_key" ON "Project"("organizationId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Worker_organizationId_externalId_key" ON "Worker"("organizationId", "externalId");

-- AddForeignKey
ALTER TABLE "GoalComment" ADD CONSTRAINT "GoalComment_authorApiKeyId_fkey" FOREIGN KEY ("authorApiKeyId") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalComment" ADD CONSTRAINT "GoalComment_authorUserId_fkey" FOREIGN KEY ("authorUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalChange" ADD CONSTRAINT "GoalChange_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalChange" ADD CONSTRAINT "GoalChange_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalChange" ADD CONSTRAINT "GoalChange_actorUserId_fkey" FOREIGN KEY ("actorUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalChange" ADD CONSTRAINT "GoalChange_actorApiKeyId_fkey" FOREIGN KEY ("actorApiKeyId") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalAssessment" ADD CONSTRAINT "GoalAssessment_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalAssessment" ADD CONSTRAINT "GoalAssessment_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalAssessment" ADD CONSTRAINT "GoalAssessment_assessorId_fkey" FOREIGN KEY ("assessorId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalAssessment" ADD CONSTRAINT "GoalAssessment_assessorApiKeyId_fkey" FOREIGN KEY ("assessorApiKeyId") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalAssessment" ADD CONSTRAINT "GoalAssessment_assessorUserId_fkey" FOREIGN KEY ("assessorUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackTemplate" ADD CONSTRAINT "FeedbackTemplate_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackQuestion" ADD CONSTRAINT "FeedbackQuestion_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "FeedbackTemplate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "FeedbackTemplate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_giverId_fkey" FOREIGN KEY ("giverId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackResponse" ADD CONSTRAINT "FeedbackResponse_feedbackId_fkey" FOREIGN KEY ("feedbackId") REFERENCES "Feedback"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackResponse" ADD CONSTRAINT "FeedbackResponse_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "FeedbackQuestion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalibrationCycle" ADD CONSTRAINT "CalibrationCycle_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TalentRecord" ADD CONSTRAINT "TalentRecord_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TalentRecord" ADD CONSTRAINT "TalentRecord_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "CalibrationCycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TalentRecord" ADD CONSTRAINT "TalentRecord_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdempotencyKey" ADD CONSTRAINT "IdempotencyKey_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deletion" ADD CONSTRAINT "Deletion_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
