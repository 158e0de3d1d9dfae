import { randomBytes } from 'node:crypto';
import type { Db } from '../client.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const uniq = () => randomBytes(4).toString('hex');

/** Factories for every entity: sensible defaults, any field overridable. They write through the
 * raw client because tests set up data for several workspaces. */
export function createFactories(db: Db) {
  return {
    workspace: (data: Partial<Prisma.WorkspaceUncheckedCreateInput> = {}) =>
      db.workspace.create({ data: { name: `Workspace ${uniq()}`, ...data } }),
    user: (data: Partial<Prisma.UserUncheckedCreateInput> = {}) =>
      db.user.create({ data: { email: `user-${uniq()}@example.test`, name: 'Test User', passwordHash: 'not-a-hash', ...data } }),
    membership: (data: Prisma.MembershipUncheckedCreateInput) => db.membership.create({ data }),
    apiKey: (data: Pick<Prisma.ApiKeyUncheckedCreateInput, 'workspaceId'> & Partial<Prisma.ApiKeyUncheckedCreateInput>) =>
      db.apiKey.create({ data: { name: 'Key', prefix: 'ctk_test', hash: uniq() + uniq(), role: 'admin', ...data } }),
    program: (data: Pick<Prisma.ProgramUncheckedCreateInput, 'workspaceId'> & Partial<Prisma.ProgramUncheckedCreateInput>) =>
      db.program.create({
        data: { name: `Program ${uniq()}`, currency: 'USD', landingUrl: 'https://shop.example.test/', commissionType: 'percent', commissionValue: 2000, ...data },
      }),
    partner: async (data: Pick<Prisma.PartnerUncheckedCreateInput, 'workspaceId' | 'programId'> & Partial<Prisma.PartnerUncheckedCreateInput>) => {
      const key = data.referralKey ?? `p-${uniq()}`;
      const partner = await db.partner.create({
        data: { email: `partner-${uniq()}@example.test`, name: 'Pat Partner', status: 'active', referralKey: key, ...data },
      });
      await db.referralKey.create({ data: { key, workspaceId: partner.workspaceId, programId: partner.programId, partnerId: partner.id } });
      return partner;
    },
    coupon: (data: Pick<Prisma.CouponUncheckedCreateInput, 'workspaceId' | 'programId'> & Partial<Prisma.CouponUncheckedCreateInput>) =>
      db.coupon.create({ data: { name: 'Partner discount', discountType: 'percent', percentOffBps: 2000, ...data } }),
    promotionCode: (data: Pick<Prisma.PromotionCodeUncheckedCreateInput, 'workspaceId' | 'programId' | 'couponId'> & Partial<Prisma.PromotionCodeUncheckedCreateInput>) => {
      const code = data.code ?? `CODE${uniq().toUpperCase()}`;
      return db.promotionCode.create({ data: { code, normalizedCode: code.trim().toUpperCase(), ...data } });
    },
    connection: (data: Pick<Prisma.ConnectionUncheckedCreateInput, 'workspaceId' | 'programId'> & Partial<Prisma.ConnectionUncheckedCreateInput>) =>
      db.connection.create({
        data: { platform: 'stripe', name: 'Stripe', credentialsEncrypted: 'x', webhookSecretEncrypted: 'x', encryptionKeyId: 'test', ...data },
      }),
    syncLink: (data: Pick<Prisma.SyncLinkUncheckedCreateInput, 'workspaceId' | 'connectionId' | 'entityId'> & Partial<Prisma.SyncLinkUncheckedCreateInput>) =>
      db.syncLink.create({ data: { entityType: 'promotion_code', ...data } }),
    webhookEvent: (data: Pick<Prisma.WebhookEventUncheckedCreateInput, 'workspaceId' | 'connectionId'> & Partial<Prisma.WebhookEventUncheckedCreateInput>) =>
      db.webhookEvent.create({ data: { platform: 'stripe', dedupeKey: `evt_${uniq()}`, topic: 'test.event', payload: {}, ...data } }),
    referralClick: (data: Pick<Prisma.ReferralClickUncheckedCreateInput, 'workspaceId' | 'programId' | 'partnerId'> & Partial<Prisma.ReferralClickUncheckedCreateInput>) =>
      db.referralClick.create({ data: { visitorId: `v_${uniq()}`, landingUrl: 'https://shop.example.test/', ...data } }),
    customer: (data: Pick<Prisma.CustomerUncheckedCreateInput, 'workspaceId' | 'programId'> & Partial<Prisma.CustomerUncheckedCreateInput>) =>
      db.customer.create({ data: { email: `customer-${uniq()}@example.test`, ...data } }),
    sale: (data: Pick<Prisma.SaleUncheckedCreateInput, 'workspaceId' | 'programId' | 'connectionId'> & Partial<Prisma.SaleUncheckedCreateInput>) =>
      db.sale.create({
        data: { platformOrderId: `ord_${uniq()}`, currency: 'USD', grossAmount: 10_000, discountAmount: 2_000, netAmount: 8_000, orderedAt: new Date(), ...data },
      }),
    commission: (data: Pick<Prisma.CommissionUncheckedCreateInput, 'workspaceId' | 'programId' | 'saleId' | 'partnerId'> & Partial<Prisma.CommissionUncheckedCreateInput>) =>
      db.commission.create({
        data: { kind: 'earning', amount: 1_600, currency: 'USD', ruleSnapshot: {}, sourceKey: `order:${uniq()}`, holdUntil: new Date(), ...data },
      }),
    bulkJob: (data: Pick<Prisma.BulkJobUncheckedCreateInput, 'workspaceId'> & Partial<Prisma.BulkJobUncheckedCreateInput>) =>
      db.bulkJob.create({ data: { type: 'generate_codes', ...data } }),
    auditLog: (data: Pick<Prisma.AuditLogUncheckedCreateInput, 'workspaceId'> & Partial<Prisma.AuditLogUncheckedCreateInput>) =>
      db.auditLog.create({ data: { actorType: 'system', action: 'test.event', entityType: 'test', ...data } }),
  };
}

export type Factories = ReturnType<typeof createFactories>;
