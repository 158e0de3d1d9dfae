import type { Commission, Sale } from '@codetrack/contracts';

export type DayPoint = { date: string; revenue: number; orders: number; commissions: number };

/** One point per day of the range (UTC), so days without sales show as zero instead of a gap. */
export function bucketByDay(from: Date, to: Date, sales: Sale[], commissions: Commission[], digits: number): DayPoint[] {
  const days = new Map<string, DayPoint>();
  for (let day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())); day < to; day.setUTCDate(day.getUTCDate() + 1)) {
    const key = day.toISOString().slice(0, 10);
    days.set(key, { date: key, revenue: 0, orders: 0, commissions: 0 });
  }
  const scale = 10 ** digits;
  for (const sale of sales) {
    const point = days.get(sale.orderedAt.slice(0, 10));
    if (!point || sale.status === 'cancelled') continue;
    point.orders += 1;
    point.revenue += (sale.netAmount - sale.refundedAmount) / scale;
  }
  for (const commission of commissions) {
    const point = days.get(commission.createdAt.slice(0, 10));
    if (point && commission.status !== 'rejected') point.commissions += commission.amount / scale;
  }
  return [...days.values()];
}
