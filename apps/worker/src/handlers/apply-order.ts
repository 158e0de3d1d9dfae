import type { OrderEvent, Platform } from '@codetrack/contracts';
import {
  attributeOrder,
  computeCommission,
  holdUntil,
  normalizeCode,
  platformRestrictionSupport,
  type AttributionCode,
  type AttributionResult,
  type CommissionRule,
  type CustomerBinding,
} from '@codetrack/core';
import type { Db, Partner, Prisma, Program, Sale } from '@codetrack/db';

export type Tx = Prisma.TransactionClient;

/** What every event of one delivery shares: its connection and the connection's program. */
export type ConnectionContext = {
  connectionId: string;
  workspaceId: string;
  platform: Platform;
  program: Pick<
    Program,
    'id' | 'currency' | 'cookieLifetimeDays' | 'commissionType' | 'commissionValue' | 'commissionDuration' | 'commissionDurationMonths' | 'holdPeriodDays'
  >;
};

/** Interactive transactions wait for a pooled connection under load rather than fail at once. */
export const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

/**
 * Serialises all work on one order (its order, refund and cancel events, from any worker process)
 * until the transaction ends. Postgres advisory locks are keyed by a 64-bit hash; a collision only
 * serialises two unrelated orders, it never merges them.
 */
export async function lockOrder(tx: Tx, connectionId: string, platformOrderId: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`order:${connectionId}:${platformOrderId}`}, 0))::text`;
}

export type SaleAttribution = {
  signals: AttributionResult['signals'];
  explanation: string;
  flags: AttributionResult['flags'];
  commissionable: boolean;
  /** Why no commission was earned (attribution reasons, a broken restriction, the rule's duration); null when one was. */
  noCommissionReason: string | null;
  reasons: string[];
  platformDiscountIds: string[];
  /** Discount references the payload did not resolve to a code (Stripe `di_` ids on invoices). */
  unresolvedDiscountIds: string[];
};

export type CustomerRow = { id: string; boundPartnerId: string | null; bindingSource: string | null; boundAt: Date | null; ordersCount: number };

export type ApplyOrderResult = { saleId: string; created: boolean; commissionId: string | null };

/**
 * Records an order as a Sale, attributes it and books the earning, in one transaction under the
 * order's lock. A second order event for the same order only fills gaps (codes, visitor id,
 * customer) and re-attributes a sale nobody was credited for yet; it never replaces richer data
 * with emptier, and the (saleId, sourceKey) key keeps the earning single.
 */
export async function applyOrder(db: Db, context: ConnectionContext, order: OrderEvent): Promise<ApplyOrderResult> {
  return db.$transaction(async (tx) => {
    await lockOrder(tx, context.connectionId, order.platformOrderId);
    const existing = await tx.sale.findUnique({ where: { connectionId_platformOrderId: { connectionId: context.connectionId, platformOrderId: order.platformOrderId } } });
    if (existing && existing.partnerId !== null) {
      await fillSaleGaps(tx, existing, order);
      return { saleId: existing.id, created: false, commissionId: null };
    }
    const merged = existing ? mergeOrder(existing, order) : order;
    const customer = await lockCustomer(tx, context, merged);
    let decision = await attribute(tx, context, merged, customer);

    const saleData = (d: Decision) => ({
      customerId: customer?.id ?? null,
      customerEmail: merged.customer.email,
      codesSeen: merged.codes,
      referralVisitorId: merged.referralVisitorId,
      partnerId: d.result.partnerId,
      promotionCodeId: d.result.promotionCodeId,
      attributionSource: d.result.source,
      attribution: d.attribution as unknown as Prisma.InputJsonObject,
      flags: d.result.flags,
    });
    const sale = existing
      ? await tx.sale.update({ where: { id: existing.id }, data: saleData(decision) })
      : await tx.sale.create({
          data: {
            ...saleData(decision),
            ...newSaleColumns(context, order),
            orderedAt: new Date(order.occurredAt),
          },
        });
    const boundNow = customer ? await updateCustomer(tx, customer, { created: !existing, decision, orderedAt: sale.orderedAt }) : false;

    // Counted last: the code's row lock is held until commit, and every order with this code waits for it.
    if (decision.result.promotionCodeId !== null && !(await redeemCode(tx, decision.result.promotionCodeId))) {
      decision = refuseForLimit(decision);
      await tx.sale.update({ where: { id: sale.id }, data: { attribution: decision.attribution as unknown as Prisma.InputJsonObject } });
      if (boundNow && customer) await tx.customer.update({ where: { id: customer.id }, data: { boundPartnerId: null, bindingSource: null, boundAt: null } });
    }

    let commissionId: string | null = null;
    if (decision.commission) {
      const rows = await tx.commission.createManyAndReturn({
        data: [
          {
            workspaceId: context.workspaceId,
            programId: context.program.id,
            saleId: sale.id,
            partnerId: decision.commission.partnerId,
            kind: 'earning',
            amount: decision.commission.amount,
            currency: decision.commission.currency,
            ruleSnapshot: decision.commission.ruleSnapshot,
            status: 'pending',
            sourceKey: `order:${order.platformOrderId}`,
            holdUntil: holdUntil(sale.orderedAt, context.program.holdPeriodDays),
          },
        ],
        skipDuplicates: true,
        select: { id: true },
      });
      commissionId = rows[0]?.id ?? null;
    }
    return { saleId: sale.id, created: !existing, commissionId };
  }, TRANSACTION_OPTIONS);
}

/** Where a new sale belongs and its amounts, as the order gives them (both processing paths). */
export function newSaleColumns(context: ConnectionContext, order: OrderEvent) {
  return {
    workspaceId: context.workspaceId,
    programId: context.program.id,
    connectionId: context.connectionId,
    platformOrderId: order.platformOrderId,
    currency: order.currency,
    grossAmount: order.grossAmount,
    discountAmount: order.discountAmount,
    netAmount: order.netAmount,
    totalAmount: order.totalAmount,
  };
}

/** The richer of two descriptions of the same order: signals are united, amounts kept unless empty. */
export function mergeOrder(sale: Sale, order: OrderEvent): OrderEvent {
  const keepAmounts = sale.netAmount > 0 || order.netAmount === 0;
  return {
    ...order,
    occurredAt: sale.orderedAt.toISOString(),
    currency: keepAmounts ? sale.currency : order.currency,
    grossAmount: keepAmounts ? sale.grossAmount : order.grossAmount,
    discountAmount: keepAmounts ? sale.discountAmount : order.discountAmount,
    netAmount: keepAmounts ? sale.netAmount : order.netAmount,
    totalAmount: keepAmounts ? sale.totalAmount : order.totalAmount,
    codes: [...new Set([...sale.codesSeen, ...order.codes])],
    referralVisitorId: sale.referralVisitorId ?? order.referralVisitorId,
    customer: { platformCustomerId: order.customer.platformCustomerId, email: sale.customerEmail ?? order.customer.email },
  };
}

/** An attributed sale keeps its attribution and earning; a later event may only add what was missing. */
async function fillSaleGaps(tx: Tx, sale: Sale, order: OrderEvent) {
  const codes = [...new Set([...sale.codesSeen, ...order.codes])];
  const data: Prisma.SaleUpdateInput = {};
  if (codes.length !== sale.codesSeen.length) data.codesSeen = codes;
  if (sale.referralVisitorId === null && order.referralVisitorId !== null) data.referralVisitorId = order.referralVisitorId;
  if (sale.customerEmail === null && order.customer.email !== null) data.customerEmail = order.customer.email;
  if (Object.keys(data).length > 0) await tx.sale.update({ where: { id: sale.id }, data });
}

/**
 * The order's customer, created if new and locked for this transaction, so two orders of one new
 * customer neither create it twice nor both count as the first order.
 */
async function lockCustomer(tx: Tx, context: ConnectionContext, order: OrderEvent): Promise<CustomerRow | null> {
  const { platformCustomerId, email } = order.customer;
  if (platformCustomerId === null && email === null) return null;
  // Either unique key may already exist; DO NOTHING without a target covers both.
  await tx.$executeRaw`
    INSERT INTO "Customer" ("workspaceId", "programId", "email", "platformCustomerId")
    VALUES (${context.workspaceId}, ${context.program.id}, ${email}, ${platformCustomerId})
    ON CONFLICT DO NOTHING`;
  const rows = await tx.$queryRaw<CustomerRow[]>`
    SELECT "id", "boundPartnerId", "bindingSource"::text AS "bindingSource", "boundAt", "ordersCount"
    FROM "Customer"
    WHERE "programId" = ${context.program.id}
      AND ("platformCustomerId" = ${platformCustomerId} OR "email" = ${email})
    ORDER BY ("platformCustomerId" IS NOT DISTINCT FROM ${platformCustomerId}) DESC, "createdAt"
    LIMIT 1
    FOR UPDATE`;
  return rows[0] ?? null;
}

export type Decision = {
  result: AttributionResult;
  attribution: SaleAttribution;
  commission: { partnerId: string; amount: number; currency: string; ruleSnapshot: Prisma.InputJsonObject } | null;
  bindTo: { partnerId: string; source: 'code' | 'cookie' } | null;
  maxRedemptions: number | null;
};

export type PromotionCodeRow = Pick<
  Prisma.PromotionCodeGetPayload<object>,
  'id' | 'workspaceId' | 'programId' | 'normalizedCode' | 'partnerId' | 'status' | 'deletedAt' | 'firstTimeOnly' | 'minimumAmount' | 'minimumAmountCurrency' | 'expiresAt' | 'maxRedemptions' | 'timesRedeemed'
>;

/** Everything attribution reads from the database for one order, loaded one order at a time here or for a batch (apply-orders-batch.ts). */
export type AttributionInputs = {
  /** Our codes the order names or that its platform discount ids map to (this program only). */
  codes: PromotionCodeRow[];
  /** Codes found through the platform's discount ids (SyncLink), not through the code text. */
  mappedCodeIds: string[];
  clicks: { partnerId: string; createdAt: Date }[];
  partners: Partner[];
};

async function attribute(tx: Tx, context: ConnectionContext, order: OrderEvent, customer: CustomerRow | null): Promise<Decision> {
  const { workspaceId, program } = context;
  const mappedCodeIds =
    order.platformDiscountIds.length === 0
      ? []
      : (
          await tx.syncLink.findMany({
            where: { connectionId: context.connectionId, entityType: 'promotion_code', platformId: { in: order.platformDiscountIds } },
            select: { promotionCodeId: true },
          })
        ).flatMap((l) => (l.promotionCodeId ? [l.promotionCodeId] : []));
  const normalizedCodes = order.codes.map(normalizeCode);
  const codes: PromotionCodeRow[] =
    normalizedCodes.length === 0 && mappedCodeIds.length === 0
      ? []
      : await tx.promotionCode.findMany({
          where: { workspaceId, programId: program.id, OR: [{ normalizedCode: { in: normalizedCodes } }, { id: { in: mappedCodeIds } }] },
        });
  const clicks = order.referralVisitorId
    ? await tx.referralClick.findMany({
        where: { workspaceId, programId: program.id, visitorId: order.referralVisitorId },
        select: { partnerId: true, createdAt: true },
        orderBy: { createdAt: 'desc' },
        take: 50,
      })
    : [];
  const partnerIds = partnersToLoad(codes, clicks, customer);
  const partners = partnerIds.length === 0 ? [] : await tx.partner.findMany({ where: { id: { in: partnerIds }, programId: program.id } });
  return decideAttribution(context, order, customer, { codes, mappedCodeIds, clicks, partners });
}

/** The partners attribution may credit: code owners, clicked partners and the customer's bound partner. */
export function partnersToLoad(codes: Pick<PromotionCodeRow, 'partnerId'>[], clicks: { partnerId: string }[], customer: CustomerRow | null): string[] {
  const ids = new Set<string>([...codes.flatMap((c) => (c.partnerId ? [c.partnerId] : [])), ...clicks.map((c) => c.partnerId)]);
  if (customer?.boundPartnerId && customer.boundAt) ids.add(customer.boundPartnerId);
  return [...ids];
}

/**
 * The attribution and the earning of one order from what was loaded for it: no database access,
 * so a batch of orders can be decided one after another against state kept in memory.
 */
export function decideAttribution(context: ConnectionContext, order: OrderEvent, customer: CustomerRow | null, inputs: AttributionInputs): Decision {
  const { program } = context;
  const { codes, mappedCodeIds, clicks, partners } = inputs;
  const normalizedCodes = order.codes.map(normalizeCode);
  // Platforms that only name the discount (Paddle) still put the code on the order this way.
  const mappedTexts = codes.filter((c) => mappedCodeIds.includes(c.id)).map((c) => c.normalizedCode);
  const orderCodes = [...new Set([...normalizedCodes, ...mappedTexts])];
  const binding: CustomerBinding | null =
    customer?.boundPartnerId && customer.boundAt ? { partnerId: customer.boundPartnerId, source: customer.bindingSource ?? 'code', boundAt: customer.boundAt } : null;

  const support = platformRestrictionSupport[context.platform];
  const isFirstOrder = customer === null || customer.ordersCount === 0;
  const result = attributeOrder({
    order: {
      platformOrderId: order.platformOrderId,
      orderedAt: new Date(order.occurredAt),
      currency: order.currency,
      grossAmount: order.grossAmount,
      discountAmount: order.discountAmount,
      netAmount: order.netAmount,
      codes: orderCodes,
      customerEmail: order.customer.email,
      referralVisitorId: order.referralVisitorId,
    },
    program: { cookieLifetimeDays: program.cookieLifetimeDays },
    codes: codes.map((c) => toAttributionCode(c, support)),
    clicks,
    customerBinding: binding,
    customer: { isFirstOrder },
    partners: partners.map((p) => ({ id: p.id, email: p.email, status: p.status })),
  });

  const reasons = [...result.reasons];
  const commissionable = result.partnerId !== null && reasons.length === 0;

  let commission: Decision['commission'] = null;
  let noCommissionReason: string | null = reasons.length > 0 ? reasons.join('; ') : null;
  const partner = partners.find((p) => p.id === result.partnerId);
  if (commissionable && partner) {
    const { rule, ruleSource } = selectRule(program, partner);
    const computed = computeCommission({
      rule,
      order: { netAmount: order.netAmount, currency: order.currency, orderedAt: new Date(order.occurredAt) },
      programCurrency: program.currency,
      isFirstOrder,
      boundAt: binding && binding.partnerId === partner.id ? binding.boundAt : null,
    });
    if (computed.amount === null) noCommissionReason = computed.reason;
    else commission = { partnerId: partner.id, amount: computed.amount, currency: computed.currency, ruleSnapshot: { ...rule, durationMonths: rule.durationMonths ?? null, source: ruleSource } };
  }

  const attribution: SaleAttribution = {
    signals: result.signals,
    explanation: result.explanation,
    flags: result.flags,
    commissionable: commission !== null,
    noCommissionReason: commission ? null : noCommissionReason,
    reasons,
    platformDiscountIds: order.platformDiscountIds,
    unresolvedDiscountIds: order.unresolvedDiscountIds,
  };
  const bindTo = commissionable && result.partnerId && (result.source === 'code' || result.source === 'cookie') ? { partnerId: result.partnerId, source: result.source } : null;
  const winnerCode = codes.find((c) => c.id === result.promotionCodeId);
  return { result: { ...result, reasons }, attribution, commission, bindTo, maxRedemptions: winnerCode?.maxRedemptions ?? null };
}

/** The decision once the code's redemption limit turned out to be reached: recorded, not paid. */
export function refuseForLimit(decision: Decision): Decision {
  const reason = `restriction not met (enforced at attribution): the code reached its limit of ${decision.maxRedemptions ?? 0} redemptions`;
  const reasons = [...decision.result.reasons, reason];
  return {
    ...decision,
    result: { ...decision.result, reasons, commissionable: false },
    attribution: { ...decision.attribution, commissionable: false, reasons, noCommissionReason: reasons.join('; ') },
    commission: null,
    bindTo: null,
  };
}

/**
 * Counts one redemption if the code has uses left. One conditional UPDATE, so concurrent orders
 * can never push a code past its limit.
 */
async function redeemCode(tx: Tx, promotionCodeId: string): Promise<boolean> {
  const updated = await tx.$executeRaw`
    UPDATE "PromotionCode" SET "timesRedeemed" = "timesRedeemed" + 1
    WHERE "id" = ${promotionCodeId} AND ("maxRedemptions" IS NULL OR "timesRedeemed" < "maxRedemptions")`;
  return updated === 1;
}

function toAttributionCode(code: PromotionCodeRow, support: (typeof platformRestrictionSupport)[Platform]): AttributionCode {
  return {
    id: code.id,
    normalizedCode: code.normalizedCode,
    partnerId: code.partnerId,
    status: code.status,
    deleted: code.deletedAt !== null,
    restrictions: {
      firstTimeOnly: code.firstTimeOnly,
      minimumAmount: code.minimumAmount,
      minimumAmountCurrency: code.minimumAmountCurrency,
      expiresAt: code.expiresAt,
      maxRedemptions: code.maxRedemptions,
    },
    timesRedeemed: code.timesRedeemed,
    // The redemption limit is counted by redeemCode's atomic UPDATE instead of a stale read.
    enforcedByPlatform: { ...support, maxRedemptions: true },
  };
}

/** The partner's override where one is set, else the program's rule. */
export function selectRule(
  program: ConnectionContext['program'],
  partner: Pick<Partner, 'overrideCommissionType' | 'overrideCommissionValue' | 'overrideCommissionDuration' | 'overrideCommissionDurationMonths'>,
): { rule: CommissionRule; ruleSource: 'program' | 'partner_override' } {
  if (partner.overrideCommissionType !== null && partner.overrideCommissionValue !== null) {
    const duration = partner.overrideCommissionDuration ?? program.commissionDuration;
    return {
      rule: {
        type: partner.overrideCommissionType,
        value: partner.overrideCommissionValue,
        duration,
        durationMonths: duration === 'months' ? (partner.overrideCommissionDurationMonths ?? program.commissionDurationMonths) : null,
      },
      ruleSource: 'partner_override',
    };
  }
  return {
    rule: { type: program.commissionType, value: program.commissionValue, duration: program.commissionDuration, durationMonths: program.commissionDurationMonths },
    ruleSource: 'program',
  };
}

/** Counts the order and binds the customer to the partner if unbound; returns whether it bound. */
async function updateCustomer(tx: Tx, customer: CustomerRow, input: { created: boolean; decision: Decision; orderedAt: Date }): Promise<boolean> {
  const bind = input.decision.bindTo && customer.boundPartnerId === null ? input.decision.bindTo : null;
  if (!input.created && !bind) return false;
  await tx.$executeRaw`
    UPDATE "Customer" SET
      "ordersCount" = "ordersCount" + ${input.created ? 1 : 0},
      "firstOrderAt" = LEAST(COALESCE("firstOrderAt", ${input.orderedAt}::timestamptz), ${input.orderedAt}::timestamptz),
      "boundPartnerId" = COALESCE("boundPartnerId", ${bind?.partnerId ?? null}),
      "bindingSource" = COALESCE("bindingSource", ${bind?.source ?? null}::"AttributionSource"),
      "boundAt" = CASE WHEN "boundPartnerId" IS NULL AND ${bind?.partnerId ?? null}::text IS NOT NULL THEN ${input.orderedAt}::timestamptz ELSE "boundAt" END
    WHERE "id" = ${customer.id}`;
  return bind !== null;
}
