-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'viewer');

-- CreateEnum
CREATE TYPE "SessionKind" AS ENUM ('merchant', 'partner');

-- CreateEnum
CREATE TYPE "ProgramStatus" AS ENUM ('active', 'archived');

-- CreateEnum
CREATE TYPE "CommissionType" AS ENUM ('percent', 'fixed');

-- CreateEnum
CREATE TYPE "CommissionDuration" AS ENUM ('first_order', 'months', 'lifetime');

-- CreateEnum
CREATE TYPE "PartnerStatus" AS ENUM ('invited', 'active', 'suspended');

-- CreateEnum
CREATE TYPE "DiscountType" AS ENUM ('percent', 'fixed');

-- CreateEnum
CREATE TYPE "CouponDuration" AS ENUM ('once', 'repeating', 'forever');

-- CreateEnum
CREATE TYPE "CouponStatus" AS ENUM ('active', 'archived');

-- CreateEnum
CREATE TYPE "PromotionCodeStatus" AS ENUM ('active', 'disabled');

-- CreateEnum
CREATE TYPE "CodeSource" AS ENUM ('manual', 'generated', 'auto', 'imported');

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('stripe', 'paddle', 'woocommerce', 'shopify');

-- CreateEnum
CREATE TYPE "ConnectionStatus" AS ENUM ('pending', 'connected', 'error', 'disabled');

-- CreateEnum
CREATE TYPE "SyncEntity" AS ENUM ('coupon', 'promotion_code');

-- CreateEnum
CREATE TYPE "SyncState" AS ENUM ('pending', 'synced', 'failed', 'deleted');

-- CreateEnum
CREATE TYPE "WebhookStatus" AS ENUM ('received', 'processed', 'ignored', 'waiting', 'failed');

-- CreateEnum
CREATE TYPE "AttributionSource" AS ENUM ('code', 'cookie', 'customer', 'none');

-- CreateEnum
CREATE TYPE "SaleStatus" AS ENUM ('paid', 'partially_refunded', 'refunded', 'cancelled');

-- CreateEnum
CREATE TYPE "CommissionKind" AS ENUM ('earning', 'reversal');

-- CreateEnum
CREATE TYPE "CommissionStatus" AS ENUM ('pending', 'approved', 'paid', 'reversed', 'rejected');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('user', 'api_key', 'partner', 'system');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'running', 'completed', 'failed');

-- CreateTable
CREATE TABLE "Workspace" (
    "id" TEXT NOT NULL DEFAULT 'ws_' || replace(gen_random_uuid()::text, '-', ''),
    "name" TEXT NOT NULL,
    "reservedWords" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL DEFAULT 'usr_' || replace(gen_random_uuid()::text, '-', ''),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL DEFAULT 'mem_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "kind" "SessionKind" NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT,
    "partnerId" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL DEFAULT 'key_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdById" TEXT,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Program" (
    "id" TEXT NOT NULL DEFAULT 'prg_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "landingUrl" TEXT NOT NULL,
    "cookieLifetimeDays" INTEGER NOT NULL DEFAULT 30,
    "commissionType" "CommissionType" NOT NULL,
    "commissionValue" INTEGER NOT NULL,
    "commissionDuration" "CommissionDuration" NOT NULL DEFAULT 'first_order',
    "commissionDurationMonths" INTEGER,
    "holdPeriodDays" INTEGER NOT NULL DEFAULT 30,
    "autoCodeEnabled" BOOLEAN NOT NULL DEFAULT false,
    "autoCodeCouponId" TEXT,
    "autoCodePattern" TEXT,
    "portalLogoUrl" TEXT,
    "portalAccentColor" TEXT,
    "status" "ProgramStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Program_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Partner" (
    "id" TEXT NOT NULL DEFAULT 'prt_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "status" "PartnerStatus" NOT NULL DEFAULT 'invited',
    "referralKey" TEXT NOT NULL,
    "passwordHash" TEXT,
    "invitationTokenHash" TEXT,
    "invitationExpiresAt" TIMESTAMPTZ(3),
    "resetTokenHash" TEXT,
    "resetExpiresAt" TIMESTAMPTZ(3),
    "payoutEmail" TEXT,
    "overrideCommissionType" "CommissionType",
    "overrideCommissionValue" INTEGER,
    "overrideCommissionDuration" "CommissionDuration",
    "overrideCommissionDurationMonths" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Partner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralKey" (
    "key" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralKey_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ReferralClick" (
    "id" TEXT NOT NULL DEFAULT 'clk_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "visitorId" TEXT NOT NULL,
    "landingUrl" TEXT NOT NULL,
    "referrer" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralClick_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Coupon" (
    "id" TEXT NOT NULL DEFAULT 'cpn_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "discountType" "DiscountType" NOT NULL,
    "percentOffBps" INTEGER,
    "amountOff" INTEGER,
    "currency" TEXT,
    "duration" "CouponDuration" NOT NULL DEFAULT 'once',
    "durationInMonths" INTEGER,
    "defaultRestrictions" JSONB NOT NULL DEFAULT '{}',
    "status" "CouponStatus" NOT NULL DEFAULT 'active',
    "version" INTEGER NOT NULL DEFAULT 1,
    "replacedById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Coupon_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CouponConnection" (
    "workspaceId" TEXT NOT NULL,
    "couponId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CouponConnection_pkey" PRIMARY KEY ("couponId","connectionId")
);

-- CreateTable
CREATE TABLE "PromotionCode" (
    "id" TEXT NOT NULL DEFAULT 'pc_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "couponId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "normalizedCode" TEXT NOT NULL,
    "partnerId" TEXT,
    "firstTimeOnly" BOOLEAN NOT NULL DEFAULT false,
    "minimumAmount" INTEGER,
    "minimumAmountCurrency" TEXT,
    "expiresAt" TIMESTAMPTZ(3),
    "maxRedemptions" INTEGER,
    "timesRedeemed" INTEGER NOT NULL DEFAULT 0,
    "status" "PromotionCodeStatus" NOT NULL DEFAULT 'active',
    "disabledReason" TEXT,
    "source" "CodeSource" NOT NULL DEFAULT 'manual',
    "version" INTEGER NOT NULL DEFAULT 1,
    "deletedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PromotionCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PromotionCodeAssignment" (
    "id" TEXT NOT NULL DEFAULT 'pca_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "promotionCodeId" TEXT NOT NULL,
    "partnerId" TEXT,
    "assignedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unassignedAt" TIMESTAMPTZ(3),
    "actorId" TEXT,

    CONSTRAINT "PromotionCodeAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL DEFAULT 'con_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "name" TEXT NOT NULL,
    "status" "ConnectionStatus" NOT NULL DEFAULT 'pending',
    "apiBaseUrl" TEXT,
    "credentialsEncrypted" TEXT NOT NULL,
    "webhookSecretEncrypted" TEXT NOT NULL,
    "encryptionKeyId" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "lastError" TEXT,
    "lastCheckedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Connection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncLink" (
    "id" TEXT NOT NULL DEFAULT 'syn_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "entityType" "SyncEntity" NOT NULL,
    "entityId" TEXT NOT NULL,
    "platformId" TEXT,
    "state" "SyncState" NOT NULL DEFAULT 'pending',
    "lastError" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastSyncedVersion" INTEGER,
    "lastSyncedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SyncLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL DEFAULT 'evt_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookStatus" NOT NULL DEFAULT 'received',
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL DEFAULT 'cus_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "email" TEXT,
    "platformCustomerId" TEXT,
    "boundPartnerId" TEXT,
    "bindingSource" "AttributionSource",
    "boundAt" TIMESTAMPTZ(3),
    "firstOrderAt" TIMESTAMPTZ(3),
    "ordersCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sale" (
    "id" TEXT NOT NULL DEFAULT 'sale_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "platformOrderId" TEXT NOT NULL,
    "customerId" TEXT,
    "customerEmail" TEXT,
    "currency" TEXT NOT NULL,
    "grossAmount" INTEGER NOT NULL,
    "discountAmount" INTEGER NOT NULL,
    "netAmount" INTEGER NOT NULL,
    "refundedAmount" INTEGER NOT NULL DEFAULT 0,
    "codesSeen" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "referralVisitorId" TEXT,
    "partnerId" TEXT,
    "promotionCodeId" TEXT,
    "attributionSource" "AttributionSource" NOT NULL DEFAULT 'none',
    "attribution" JSONB NOT NULL DEFAULT '{}',
    "flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "SaleStatus" NOT NULL DEFAULT 'paid',
    "orderedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Sale_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Commission" (
    "id" TEXT NOT NULL DEFAULT 'com_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "saleId" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "kind" "CommissionKind" NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "ruleSnapshot" JSONB NOT NULL,
    "status" "CommissionStatus" NOT NULL DEFAULT 'pending',
    "sourceKey" TEXT NOT NULL,
    "holdUntil" TIMESTAMPTZ(3) NOT NULL,
    "approvedAt" TIMESTAMPTZ(3),
    "paidAt" TIMESTAMPTZ(3),
    "reason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Commission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BulkJob" (
    "id" TEXT NOT NULL DEFAULT 'job_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "programId" TEXT,
    "type" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "params" JSONB NOT NULL DEFAULT '{}',
    "result" JSONB,
    "error" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "BulkJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL DEFAULT 'aud_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT NOT NULL,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "data" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailMessage" (
    "id" TEXT NOT NULL DEFAULT 'mail_' || replace(gen_random_uuid()::text, '-', ''),
    "workspaceId" TEXT,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_workspaceId_userId_key" ON "Membership"("workspaceId", "userId");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_partnerId_idx" ON "Session"("partnerId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "ApiKey_workspaceId_createdAt_idx" ON "ApiKey"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Program_workspaceId_createdAt_id_idx" ON "Program"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Partner_invitationTokenHash_key" ON "Partner"("invitationTokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Partner_resetTokenHash_key" ON "Partner"("resetTokenHash");

-- CreateIndex
CREATE INDEX "Partner_workspaceId_programId_createdAt_id_idx" ON "Partner"("workspaceId", "programId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Partner_workspaceId_programId_status_idx" ON "Partner"("workspaceId", "programId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Partner_programId_email_key" ON "Partner"("programId", "email");

-- CreateIndex
CREATE INDEX "ReferralKey_partnerId_idx" ON "ReferralKey"("partnerId");

-- CreateIndex
CREATE INDEX "ReferralClick_workspaceId_programId_visitorId_createdAt_idx" ON "ReferralClick"("workspaceId", "programId", "visitorId", "createdAt");

-- CreateIndex
CREATE INDEX "ReferralClick_workspaceId_partnerId_createdAt_idx" ON "ReferralClick"("workspaceId", "partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "Coupon_workspaceId_programId_createdAt_id_idx" ON "Coupon"("workspaceId", "programId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "CouponConnection_connectionId_idx" ON "CouponConnection"("connectionId");

-- CreateIndex
CREATE INDEX "PromotionCode_workspaceId_programId_createdAt_id_idx" ON "PromotionCode"("workspaceId", "programId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "PromotionCode_workspaceId_partnerId_idx" ON "PromotionCode"("workspaceId", "partnerId");

-- CreateIndex
CREATE INDEX "PromotionCode_couponId_partnerId_idx" ON "PromotionCode"("couponId", "partnerId");

-- CreateIndex
CREATE UNIQUE INDEX "PromotionCode_workspaceId_normalizedCode_key" ON "PromotionCode"("workspaceId", "normalizedCode");

-- CreateIndex
CREATE INDEX "PromotionCodeAssignment_promotionCodeId_assignedAt_idx" ON "PromotionCodeAssignment"("promotionCodeId", "assignedAt");

-- CreateIndex
CREATE INDEX "Connection_workspaceId_programId_idx" ON "Connection"("workspaceId", "programId");

-- CreateIndex
CREATE INDEX "SyncLink_state_updatedAt_idx" ON "SyncLink"("state", "updatedAt");

-- CreateIndex
CREATE INDEX "SyncLink_workspaceId_entityType_entityId_idx" ON "SyncLink"("workspaceId", "entityType", "entityId");

-- CreateIndex
CREATE UNIQUE INDEX "SyncLink_connectionId_entityType_entityId_key" ON "SyncLink"("connectionId", "entityType", "entityId");

-- CreateIndex
CREATE UNIQUE INDEX "SyncLink_connectionId_entityType_platformId_key" ON "SyncLink"("connectionId", "entityType", "platformId");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_receivedAt_idx" ON "WebhookEvent"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_workspaceId_receivedAt_idx" ON "WebhookEvent"("workspaceId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_connectionId_dedupeKey_key" ON "WebhookEvent"("connectionId", "dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_programId_email_key" ON "Customer"("programId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_programId_platformCustomerId_key" ON "Customer"("programId", "platformCustomerId");

-- CreateIndex
CREATE INDEX "Sale_workspaceId_programId_orderedAt_id_idx" ON "Sale"("workspaceId", "programId", "orderedAt", "id");

-- CreateIndex
CREATE INDEX "Sale_workspaceId_partnerId_orderedAt_idx" ON "Sale"("workspaceId", "partnerId", "orderedAt");

-- CreateIndex
CREATE INDEX "Sale_workspaceId_promotionCodeId_idx" ON "Sale"("workspaceId", "promotionCodeId");

-- CreateIndex
CREATE UNIQUE INDEX "Sale_connectionId_platformOrderId_key" ON "Sale"("connectionId", "platformOrderId");

-- CreateIndex
CREATE INDEX "Commission_workspaceId_programId_status_createdAt_id_idx" ON "Commission"("workspaceId", "programId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Commission_workspaceId_partnerId_createdAt_idx" ON "Commission"("workspaceId", "partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "Commission_status_holdUntil_idx" ON "Commission"("status", "holdUntil");

-- CreateIndex
CREATE UNIQUE INDEX "Commission_saleId_sourceKey_key" ON "Commission"("saleId", "sourceKey");

-- CreateIndex
CREATE INDEX "BulkJob_workspaceId_createdAt_idx" ON "BulkJob"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "BulkJob_status_updatedAt_idx" ON "BulkJob"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "AuditLog_workspaceId_createdAt_id_idx" ON "AuditLog"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditLog_workspaceId_entityType_entityId_idx" ON "AuditLog"("workspaceId", "entityType", "entityId");

-- CreateIndex
CREATE INDEX "MailMessage_to_createdAt_idx" ON "MailMessage"("to", "createdAt");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Program" ADD CONSTRAINT "Program_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Partner" ADD CONSTRAINT "Partner_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralKey" ADD CONSTRAINT "ReferralKey_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Coupon" ADD CONSTRAINT "Coupon_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CouponConnection" ADD CONSTRAINT "CouponConnection_couponId_fkey" FOREIGN KEY ("couponId") REFERENCES "Coupon"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CouponConnection" ADD CONSTRAINT "CouponConnection_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PromotionCode" ADD CONSTRAINT "PromotionCode_couponId_fkey" FOREIGN KEY ("couponId") REFERENCES "Coupon"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PromotionCode" ADD CONSTRAINT "PromotionCode_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PromotionCodeAssignment" ADD CONSTRAINT "PromotionCodeAssignment_promotionCodeId_fkey" FOREIGN KEY ("promotionCodeId") REFERENCES "PromotionCode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PromotionCodeAssignment" ADD CONSTRAINT "PromotionCodeAssignment_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Connection" ADD CONSTRAINT "Connection_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncLink" ADD CONSTRAINT "SyncLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commission" ADD CONSTRAINT "Commission_saleId_fkey" FOREIGN KEY ("saleId") REFERENCES "Sale"("id") ON DELETE CASCADE ON UPDATE CASCADE;

