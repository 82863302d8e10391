-- CreateIndex
CREATE INDEX "ApiKey_expiresAt_live_idx" ON "ApiKey"("expiresAt") WHERE ("deletedAt" IS NULL AND "expiresAt" IS NOT NULL);
