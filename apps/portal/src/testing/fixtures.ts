import type { PortalCodes, PortalCommissionPage, PortalMe, PortalStats } from '@codetrack/contracts';

export const partnerSession: PortalMe = {
  partner: { id: 'prt_1', name: 'Grace Hopper', email: 'grace@example.com', payoutEmail: null, status: 'active' },
  program: { id: 'prg_1', name: 'Cobol Club', logoUrl: 'https://cdn.example.com/logo.png', accentColor: '#0a7d4f', currency: 'USD' },
  csrfToken: 'csrf-token-1',
};

export const programBranding = { id: 'prg_1', name: 'Cobol Club', logoUrl: 'https://cdn.example.com/logo.png', accentColor: '#0a7d4f' };

export const codes: PortalCodes = {
  referralKey: 'grace',
  referralUrl: 'https://api.example.com/r/grace',
  items: [
    {
      id: 'pc_1',
      code: 'GRACE20',
      status: 'active',
      discount: '20% off the first order, orders of $50 or more, until 31 Dec 2026, 100 uses left',
      restrictions: { firstTimeOnly: true, minimumAmount: 5000, minimumAmountCurrency: 'USD', expiresAt: '2027-01-01T00:00:00.000Z', maxRedemptions: 150 },
      usesLeft: 100,
      shareLine: 'Use my code GRACE20 for 20% off the first order at Cobol Club: https://api.example.com/r/grace',
    },
    {
      id: 'pc_2',
      code: 'GRACEOLD',
      status: 'disabled',
      discount: '10% off',
      restrictions: { firstTimeOnly: false, minimumAmount: null, minimumAmountCurrency: null, expiresAt: null, maxRedemptions: null },
      usesLeft: null,
      shareLine: 'Use my code GRACEOLD for 10% off at Cobol Club: https://api.example.com/r/grace',
    },
  ],
};

export const stats: PortalStats = {
  from: '2026-03-01',
  to: '2026-03-03',
  currency: 'USD',
  totals: { clicks: 12, orders: 3, revenue: 24_000, commissions: { pending: 3_200, approved: 1_600, paid: 0 }, otherCurrencyOrders: 0 },
  perCode: [{ codeId: 'pc_1', code: 'GRACE20', orders: 2, revenue: 16_000, commission: 3_200 }],
  perDay: [
    { date: '2026-03-01', clicks: 5, orders: 1, revenue: 8_000, commission: 1_600 },
    { date: '2026-03-02', clicks: 7, orders: 2, revenue: 16_000, commission: 3_200 },
    { date: '2026-03-03', clicks: 0, orders: 0, revenue: 0, commission: 0 },
  ],
};

export const commissionPage = (ids: string[], nextCursor: string | null = null): PortalCommissionPage => ({
  items: ids.map((id, i) => ({
    id,
    kind: 'earning',
    amount: 1_600 + i,
    currency: 'USD',
    status: 'pending',
    holdUntil: '2026-04-01T00:00:00.000Z',
    approvedAt: null,
    paidAt: null,
    createdAt: '2026-03-02T10:00:00.000Z',
    order: { platformOrderId: `pi_${id}`, orderedAt: '2026-03-02T10:00:00.000Z', netAmount: 8_000, currency: 'USD', code: 'GRACE20' },
  })),
  nextCursor,
});
