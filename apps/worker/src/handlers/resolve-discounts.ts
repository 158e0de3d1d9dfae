import type { NormalizedWebhook, OrderEvent } from '@codetrack/contracts';
import { normalizeCode } from '@codetrack/core';
import type { Db } from '@codetrack/db';
import { SecretDecryptionError } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import { PlatformError, type InvoiceDiscount } from '@codetrack/integrations';
import type { Logger } from 'pino';
import { loadSyncContext } from '../sync/connection-context.ts';
import { resolveSyncSettings, type SyncSettings } from '../sync/settings.ts';
import type { ConnectionContext } from './apply-order.ts';

export type ResolveDiscountsDeps = { db: Db; logger: Logger; jobs?: JobProducer; sync?: Partial<SyncSettings> };

/**
 * A batch prepares its deliveries one after another, so a platform that hangs would cost a full
 * request timeout per order. After a retryable failure the connection's next lookups fail at once
 * for this long (their jobs retry with backoff like the first).
 */
const FAIL_FAST_MS = 1_000;
const failing = new Map<string, { until: number; error: PlatformError }>();

/**
 * Stripe invoices (subscription payments) name their discounts only by `di_` id, so before
 * attribution each paid Stripe invoice order with such ids asks Stripe which promotion codes they
 * were: the promo ids join `platformDiscountIds` (attribution maps them through SyncLinks), the
 * code texts join `codes`, and the resolved ids leave `unresolvedDiscountIds`.
 *
 * A retryable platform failure (429, 5xx, timeout) throws, so the delivery's job retries and the
 * sale is never booked without its code. A permanent one (bad or unreadable credentials, the
 * invoice gone) is logged and the ids stay unresolved: attribution goes ahead without them and
 * the sale shows them as unresolved.
 */
export async function resolveOrderDiscounts(deps: ResolveDiscountsDeps, context: ConnectionContext, normalized: NormalizedWebhook): Promise<NormalizedWebhook> {
  if (context.platform !== 'stripe' || !normalized.events.some(needsLookup)) return normalized;
  const events = [];
  for (const event of normalized.events) {
    events.push(event.kind === 'order' && needsLookup(event) ? await resolveOrder(deps, context, event) : event);
  }
  return { ...normalized, events };
}

/** A paid order with discount ids the payload did not resolve (an unpaid order is not booked, so not worth a request). Which ids the platform can look up is the adapter's business. */
function needsLookup(event: NormalizedWebhook['events'][number]): event is OrderEvent {
  return event.kind === 'order' && event.status === 'paid' && event.unresolvedDiscountIds.length > 0;
}

async function resolveOrder(deps: ResolveDiscountsDeps, context: ConnectionContext, order: OrderEvent): Promise<OrderEvent> {
  let discounts: InvoiceDiscount[];
  const recent = failing.get(context.connectionId);
  if (recent && recent.until > Date.now()) throw recent.error;
  failing.delete(context.connectionId);
  try {
    const sync = await loadSyncContext({ db: deps.db, jobs: deps.jobs ?? null, logger: deps.logger, settings: resolveSyncSettings(deps.sync), connectionId: context.connectionId });
    if (!sync?.adapter.resolveInvoiceDiscounts) return order;
    discounts = await sync.adapter.resolveInvoiceDiscounts({ invoiceId: order.platformOrderId });
  } catch (error) {
    if (error instanceof PlatformError && error.retryable) failing.set(context.connectionId, { until: Date.now() + FAIL_FAST_MS, error });
    const permanent = error instanceof SecretDecryptionError || (error instanceof PlatformError && !error.retryable);
    if (!permanent) throw error;
    deps.logger.warn(
      { connectionId: context.connectionId, platformOrderId: order.platformOrderId, err: error.message },
      'invoice discounts could not be resolved; attributing without them',
    );
    return order;
  }
  const byId = new Map(discounts.map((d) => [d.discountId, d]));
  const resolved = order.unresolvedDiscountIds.flatMap((id) => byId.get(id) ?? []);
  return {
    ...order,
    codes: unique([...order.codes, ...resolved.flatMap((d) => (d.code === null ? [] : [normalizeCode(d.code)]))]),
    platformDiscountIds: unique([...order.platformDiscountIds, ...resolved.flatMap((d) => d.promotionCodeId ?? [])]),
    // A discount made from a coupon alone is resolved too: there is no code to find.
    unresolvedDiscountIds: order.unresolvedDiscountIds.filter((id) => !byId.has(id)),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}
