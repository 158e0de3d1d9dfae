import { describe, it, expect } from 'vitest';
import { attributeOrder, isSelfReferral } from './attribution.ts';
import type { AttributionCode, AttributionInput } from './attribution.ts';
import type { CodeRestrictions } from './restrictions.ts';

const DAY = 86_400_000;
const orderedAt = new Date('2026-05-20T12:00:00Z');

const noRestrictions: CodeRestrictions = {
  firstTimeOnly: false,
  minimumAmount: null,
  minimumAmountCurrency: null,
  expiresAt: null,
  maxRedemptions: null,
};

function code(overrides: Partial<AttributionCode> = {}): AttributionCode {
  return {
    id: 'pc_john',
    normalizedCode: 'JOHN20',
    partnerId: 'p_john',
    status: 'active',
    deleted: false,
    restrictions: noRestrictions,
    timesRedeemed: 0,
    enforcedByPlatform: {},
    ...overrides,
  };
}

function input(overrides: Partial<Omit<AttributionInput, 'order'>> & { order?: Partial<AttributionInput['order']> } = {}): AttributionInput {
  const { order, ...rest } = overrides;
  return {
    order: {
      platformOrderId: 'ord_1',
      orderedAt,
      currency: 'USD',
      grossAmount: 10_000,
      discountAmount: 2000,
      netAmount: 8000,
      codes: [],
      customerEmail: 'buyer@example.com',
      referralVisitorId: null,
      ...order,
    },
    program: { cookieLifetimeDays: 30 },
    codes: [code()],
    clicks: [],
    customerBinding: null,
    customer: { isFirstOrder: true },
    partners: [
      { id: 'p_john', email: 'john@partner.test', status: 'active' },
      { id: 'p_mary', email: 'Mary@Partner.test', status: 'active' },
      { id: 'p_sus', email: 'sus@partner.test', status: 'suspended' },
    ],
    ...rest,
  };
}

describe('attributeOrder: priority', () => {
  it('credits the partner whose code was used, whatever its case on the order', () => {
    const result = attributeOrder(input({ order: { codes: ['john20'] } }));
    expect(result).toMatchObject({ partnerId: 'p_john', source: 'code', promotionCodeId: 'pc_john', commissionable: true, reasons: [], flags: [] });
    expect(result.signals).toEqual([
      { kind: 'code', value: 'john20', partnerId: 'p_john', accepted: true, note: 'JOHN20 is assigned to partner p_john' },
    ]);
    expect(result.explanation).toContain('promotion code JOHN20');
  });

  it('lets a code beat a referral click and a customer binding, and records the losers', () => {
    const result = attributeOrder(
      input({
        order: { codes: ['JOHN20'], referralVisitorId: 'v1' },
        clicks: [{ partnerId: 'p_mary', createdAt: new Date(orderedAt.getTime() - DAY) }],
        customerBinding: { partnerId: 'p_mary', source: 'cookie', boundAt: new Date('2026-01-01T00:00:00Z') },
      }),
    );
    expect(result.partnerId).toBe('p_john');
    expect(result.source).toBe('code');
    const cookie = result.signals.find((s) => s.kind === 'cookie');
    const customer = result.signals.find((s) => s.kind === 'customer');
    expect(cookie).toMatchObject({ partnerId: 'p_mary', accepted: false });
    expect(cookie?.note).toContain('promotion code takes precedence');
    expect(customer).toMatchObject({ partnerId: 'p_mary', accepted: false });
  });

  it('uses the referral click when no partner code was used', () => {
    const result = attributeOrder(
      input({
        order: { codes: ['SUMMER'], referralVisitorId: 'v1' },
        codes: [code({ id: 'pc_summer', normalizedCode: 'SUMMER', partnerId: null })],
        clicks: [{ partnerId: 'p_mary', createdAt: new Date(orderedAt.getTime() - 3 * DAY) }],
      }),
    );
    expect(result).toMatchObject({ partnerId: 'p_mary', source: 'cookie', promotionCodeId: null, commissionable: true });
    expect(result.signals[0]).toMatchObject({ kind: 'code', value: 'SUMMER', accepted: false, note: 'SUMMER is not assigned to a partner' });
    expect(result.explanation).toContain('30-day cookie lifetime');
  });

  it('lets the latest click inside the lifetime win', () => {
    const result = attributeOrder(
      input({
        order: { referralVisitorId: 'v1' },
        clicks: [
          { partnerId: 'p_john', createdAt: new Date(orderedAt.getTime() - 2 * DAY) },
          { partnerId: 'p_mary', createdAt: new Date(orderedAt.getTime() - 1 * DAY) },
          { partnerId: 'p_john', createdAt: new Date(orderedAt.getTime() + 1 * DAY) },
        ],
      }),
    );
    expect(result.partnerId).toBe('p_mary');
    const notes = result.signals.map((s) => [s.partnerId, s.accepted, s.note]);
    expect(notes[0]).toEqual(['p_john', false, expect.stringContaining('after the order')]);
    expect(notes[1]).toEqual(['p_mary', true, expect.stringContaining('within')]);
    expect(notes[2]).toEqual(['p_john', false, expect.stringContaining('a later click wins')]);
  });

  it('breaks a tie between clicks at the same instant the same way whatever the input order', () => {
    const at = new Date(orderedAt.getTime() - DAY);
    const a = attributeOrder(input({ order: { referralVisitorId: 'v' }, clicks: [{ partnerId: 'p_mary', createdAt: at }, { partnerId: 'p_john', createdAt: at }] }));
    const b = attributeOrder(input({ order: { referralVisitorId: 'v' }, clicks: [{ partnerId: 'p_john', createdAt: at }, { partnerId: 'p_mary', createdAt: at }] }));
    expect(a).toEqual(b);
  });

  it('expires the cookie exactly at the end of its lifetime', () => {
    const justInside = attributeOrder(
      input({ order: { referralVisitorId: 'v1' }, clicks: [{ partnerId: 'p_mary', createdAt: new Date(orderedAt.getTime() - 30 * DAY + 1) }] }),
    );
    expect(justInside.partnerId).toBe('p_mary');
    const atBoundary = attributeOrder(
      input({ order: { referralVisitorId: 'v1' }, clicks: [{ partnerId: 'p_mary', createdAt: new Date(orderedAt.getTime() - 30 * DAY) }] }),
    );
    expect(atBoundary.source).toBe('none');
    expect(atBoundary.signals[0]?.note).toContain('outside the 30-day cookie lifetime');
  });

  it('counts a click at the same instant as the order', () => {
    const result = attributeOrder(input({ order: { referralVisitorId: 'v1' }, clicks: [{ partnerId: 'p_mary', createdAt: orderedAt }] }));
    expect(result.source).toBe('cookie');
  });

  it('falls back to the bound partner', () => {
    const result = attributeOrder(
      input({
        order: { referralVisitorId: 'v1' },
        clicks: [{ partnerId: 'p_mary', createdAt: new Date(orderedAt.getTime() - 60 * DAY) }],
        customerBinding: { partnerId: 'p_john', source: 'code', boundAt: new Date('2026-01-01T00:00:00Z') },
      }),
    );
    expect(result).toMatchObject({ partnerId: 'p_john', source: 'customer', commissionable: true });
    expect(result.explanation).toContain('bound to them');
  });

  it('ignores a binding made after the order', () => {
    const result = attributeOrder(input({ customerBinding: { partnerId: 'p_john', source: 'code', boundAt: new Date(orderedAt.getTime() + 1) } }));
    expect(result.source).toBe('none');
    expect(result.signals[0]).toMatchObject({ kind: 'customer', accepted: false });
  });

  it('attributes nothing when there is no signal, and says so', () => {
    const result = attributeOrder(input());
    expect(result).toMatchObject({ partnerId: null, source: 'none', promotionCodeId: null, commissionable: false, signals: [] });
    expect(result.explanation).toContain('no promotion code or referral visitor id');
  });

  it('records a visitor id with no clicks and an unknown code', () => {
    const result = attributeOrder(input({ order: { codes: ['NOPE'], referralVisitorId: 'v9' } }));
    expect(result.source).toBe('none');
    expect(result.signals).toEqual([
      { kind: 'code', value: 'NOPE', partnerId: null, accepted: false, note: "NOPE is not one of the program's promotion codes" },
      { kind: 'cookie', value: 'v9', partnerId: null, accepted: false, note: 'no referral click was recorded for this visitor' },
    ]);
    expect(result.explanation).toContain('none of the codes');
  });

  it('credits the first partner code on the order when two partners codes are present, and flags it', () => {
    const result = attributeOrder(
      input({
        order: { codes: ['MARY10', 'JOHN20', 'mary10'] },
        codes: [code(), code({ id: 'pc_mary', normalizedCode: 'MARY10', partnerId: 'p_mary' })],
      }),
    );
    expect(result.partnerId).toBe('p_mary');
    expect(result.promotionCodeId).toBe('pc_mary');
    expect(result.flags).toContain('several_partner_codes');
    expect(result.signals).toHaveLength(2);
    expect(result.signals[1]).toMatchObject({ partnerId: 'p_john', accepted: false });
  });

  it('skips a code whose partner no longer exists', () => {
    const result = attributeOrder(input({ order: { codes: ['GONE1'] }, codes: [code({ normalizedCode: 'GONE1', partnerId: 'p_gone' })] }));
    expect(result.source).toBe('none');
    expect(result.signals[0]?.note).toContain('no longer exists');
  });
});

describe('attributeOrder: commissionable', () => {
  it('attributes but pays nothing to a suspended partner', () => {
    const result = attributeOrder(input({ order: { codes: ['SUS1'] }, codes: [code({ id: 'pc_sus', normalizedCode: 'SUS1', partnerId: 'p_sus' })] }));
    expect(result).toMatchObject({ partnerId: 'p_sus', source: 'code', commissionable: false });
    expect(result.reasons).toEqual(['partner p_sus is suspended']);
    expect(result.flags).toContain('partner_suspended');
  });

  it('flags self-referral by email, ignoring case, and pays nothing', () => {
    const result = attributeOrder(input({ order: { codes: ['JOHN20'], customerEmail: ' John@Partner.TEST ' } }));
    expect(result.partnerId).toBe('p_john');
    expect(result.commissionable).toBe(false);
    expect(result.flags).toContain('self_referral');
    expect(result.reasons[0]).toContain('self-referral');
  });

  it('checks self-referral for cookie attribution too', () => {
    const result = attributeOrder(
      input({ order: { referralVisitorId: 'v', customerEmail: 'mary@partner.test' }, clicks: [{ partnerId: 'p_mary', createdAt: orderedAt }] }),
    );
    expect(result).toMatchObject({ source: 'cookie', commissionable: false, flags: ['self_referral'] });
  });

  it('enforces restrictions the platform does not, keeping the attribution', () => {
    const restricted = code({ restrictions: { ...noRestrictions, firstTimeOnly: true }, enforcedByPlatform: { firstTimeOnly: false } });
    const result = attributeOrder(input({ order: { codes: ['JOHN20'] }, codes: [restricted], customer: { isFirstOrder: false } }));
    expect(result).toMatchObject({ partnerId: 'p_john', source: 'code', commissionable: false });
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toContain('first-time customers only');
    expect(result.reasons[0]).toContain('enforced at attribution');
  });

  it('trusts restrictions the platform enforced', () => {
    const restricted = code({ restrictions: { ...noRestrictions, maxRedemptions: 1 }, timesRedeemed: 5, enforcedByPlatform: { maxRedemptions: true } });
    const result = attributeOrder(input({ order: { codes: ['JOHN20'] }, codes: [restricted] }));
    expect(result.commissionable).toBe(true);
  });

  it('checks the minimum against the gross amount and expiry at the exact instant', () => {
    const restricted = code({
      restrictions: { ...noRestrictions, minimumAmount: 10_001, minimumAmountCurrency: 'USD', expiresAt: orderedAt },
    });
    const result = attributeOrder(input({ order: { codes: ['JOHN20'] }, codes: [restricted] }));
    expect(result.reasons).toHaveLength(2);
    expect(result.reasons[0]).toContain('order total 100.00 USD is below the minimum 100.01 USD');
    expect(result.reasons[1]).toContain('expired');
  });

  it('does not check code restrictions when the sale came through a cookie', () => {
    const restricted = code({ restrictions: { ...noRestrictions, firstTimeOnly: true } });
    const result = attributeOrder(
      input({ order: { referralVisitorId: 'v' }, codes: [restricted], customer: { isFirstOrder: false }, clicks: [{ partnerId: 'p_john', createdAt: orderedAt }] }),
    );
    expect(result).toMatchObject({ source: 'cookie', commissionable: true });
  });

  it('still credits a disabled or deleted code and flags it for review', () => {
    const result = attributeOrder(input({ order: { codes: ['JOHN20'] }, codes: [code({ status: 'disabled' })] }));
    expect(result).toMatchObject({ partnerId: 'p_john', commissionable: true, flags: ['code_inactive'] });
    expect(result.signals[0]?.note).toContain('disabled');
  });

  it('prefers a live code over a deleted one with the same text', () => {
    const result = attributeOrder(
      input({
        order: { codes: ['JOHN20'] },
        codes: [code({ id: 'pc_old', partnerId: 'p_mary', deleted: true }), code({ id: 'pc_new' })],
      }),
    );
    expect(result.promotionCodeId).toBe('pc_new');
    expect(result.flags).toEqual([]);
  });
});

describe('attributeOrder: determinism', () => {
  it('gives the same answer for the same input', () => {
    const build = () =>
      input({
        order: { codes: ['JOHN20'], referralVisitorId: 'v' },
        clicks: [{ partnerId: 'p_mary', createdAt: orderedAt }],
        customerBinding: { partnerId: 'p_mary', source: 'cookie', boundAt: new Date('2026-01-01T00:00:00Z') },
      });
    expect(attributeOrder(build())).toEqual(attributeOrder(build()));
  });
});

describe('isSelfReferral', () => {
  it('matches emails ignoring case and spaces and never matches missing emails', () => {
    expect(isSelfReferral('A@B.com ', 'a@b.COM')).toBe(true);
    expect(isSelfReferral('a@b.com', 'c@b.com')).toBe(false);
    expect(isSelfReferral(null, 'a@b.com')).toBe(false);
    expect(isSelfReferral('', '')).toBe(false);
  });
});
