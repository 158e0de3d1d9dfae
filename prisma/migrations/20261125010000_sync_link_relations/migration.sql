-- AlterTable
ALTER TABLE "SyncLink" ADD COLUMN     "couponId" TEXT,
ADD COLUMN     "promotionCodeId" TEXT;

-- CreateIndex
CREATE INDEX "PromotionCode_workspaceId_programId_normalizedCode_idx" ON "PromotionCode"("workspaceId", "programId", "normalizedCode" text_pattern_ops);

-- CreateIndex
CREATE INDEX "SyncLink_promotionCodeId_state_idx" ON "SyncLink"("promotionCodeId", "state");

-- CreateIndex
CREATE INDEX "SyncLink_couponId_idx" ON "SyncLink"("couponId");

-- AddForeignKey
ALTER TABLE "SyncLink" ADD CONSTRAINT "SyncLink_couponId_fkey" FOREIGN KEY ("couponId") REFERENCES "Coupon"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncLink" ADD CONSTRAINT "SyncLink_promotionCodeId_fkey" FOREIGN KEY ("promotionCodeId") REFERENCES "PromotionCode"("id") ON DELETE CASCADE ON UPDATE CASCADE;
