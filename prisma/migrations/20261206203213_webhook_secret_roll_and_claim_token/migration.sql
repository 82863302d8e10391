-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "claimToken" UUID;

-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "previousSecret" TEXT,
ADD COLUMN     "previousSecretExpiresAt" TIMESTAMPTZ(3);
