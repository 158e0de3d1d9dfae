import type { Connection, Coupon, Me, Partner, Program } from '@codetrack/contracts';

export const session: Me = {
  user: { id: 'usr_1', email: 'ada@example.com', name: 'Ada Lovelace' },
  workspace: { id: 'wsp_1', name: 'Analytical Engines' },
  role: 'owner',
  csrfToken: 'csrf-token-1',
  workspaces: [{ id: 'wsp_1', name: 'Analytical Engines', role: 'owner' }],
};

const now = '2026-01-01T00:00:00.000Z';

export function connectionFixture(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'con_1',
    programId: 'prg_1',
    platform: 'stripe',
    name: 'Stripe',
    status: 'connected',
    lastError: null,
    lastCheckedAt: now,
    apiBaseUrl: null,
    account: { name: 'Acme Ltd', storeUrl: null, shopDomain: null },
    webhook: { url: 'https://api.example.com/webhooks/stripe/con_1', events: ['checkout.session.completed'], instructions: 'Add the endpoint.', secretConfigured: false },
    capabilities: { enforcedByPlatform: ['firstTimeOnly', 'minimumAmount', 'expiresAt', 'maxRedemptions'], enforcedAtAttribution: [] },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function couponFixture(overrides: Partial<Coupon> = {}): Coupon {
  return {
    id: 'cpn_1',
    programId: 'prg_1',
    name: 'Partner 20%',
    discountType: 'percent',
    percentOffBps: 2000,
    amountOff: null,
    currency: null,
    duration: 'once',
    durationInMonths: null,
    defaultRestrictions: {},
    connectionIds: [],
    enforcement: [],
    description: '',
    status: 'active',
    codesCount: 0,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function programFixture(overrides: Partial<Program> = {}): Program {
  return {
    id: 'prg_1',
    name: 'Podcast partners',
    currency: 'USD',
    landingUrl: 'https://shop.example.com',
    cookieLifetimeDays: 30,
    commission: { type: 'percent', value: 2000, duration: 'first_order', durationMonths: null },
    holdPeriodDays: 30,
    autoCode: { enabled: false, couponId: null, pattern: null },
    portal: { logoUrl: null, accentColor: null },
    status: 'active',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function partnerFixture(overrides: Partial<Partner> = {}): Partner {
  return {
    id: 'prt_1',
    programId: 'prg_1',
    email: 'john@example.com',
    name: 'John Smith',
    firstName: 'John',
    lastName: 'Smith',
    status: 'invited',
    referralKey: 'john-smith',
    referralUrl: 'https://api.example.com/r/john-smith',
    payoutEmail: null,
    commissionOverride: null,
    invitationExpiresAt: now,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
