-- AlterTable
ALTER TABLE "Sale" ADD COLUMN     "appliedRefundIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "totalAmount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "headers" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "waitingForOrderId" TEXT;

-- CreateIndex
CREATE INDEX "WebhookEvent_connectionId_waitingForOrderId_idx" ON "WebhookEvent"("connectionId", "waitingForOrderId");
