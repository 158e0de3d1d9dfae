import { normalizeCode } from './codes.ts';
import { checkRestrictions } from './restrictions.ts';
import type { CodeRestrictions, RestrictionName } from './restrictions.ts';

const MS_PER_DAY = 86_400_000;

export type AttributionSource = 'code' | 'cookie' | 'customer' | 'none';
export type SignalKind = 'code' | 'cookie' | 'customer';
export type PartnerStatus = 'invited' | 'active' | 'suspended';

export interface AttributionOrder {
  platformOrderId: string;
  orderedAt: Date;
  currency: string;
  grossAmount: number;
  discountAmount: number;
  netAmount: number;
  /** Codes as they appear on the order, any case. */
  codes: readonly string[];
  customerEmail: string | null;
  referralVisitorId: string | null;
}

export interface AttributionCode {
  id: string;
  normalizedCode: string;
  partnerId: string | null;
  status: 'active' | 'disabled';
  deleted: boolean;
  restrictions: CodeRestrictions;
  /** Redemptions before this order. */
  timesRedeemed: number;
  /** Restrictions the connected platform enforced at checkout; anything else is checked here. */
  enforcedByPlatform: Partial<Record<RestrictionName, boolean>>;
}

export interface AttributionClick {
  partnerId: string;
  createdAt: Date;
}

export interface CustomerBinding {
  partnerId: string;
  source: string;
  boundAt: Date;
}

export interface AttributionPartner {
  id: string;
  email: string | null;
  status: PartnerStatus;
}

export interface AttributionInput {
  order: AttributionOrder;
  program: { cookieLifetimeDays: number };
  /** The program's promotion codes matching the order's codes (others may be included). */
  codes: readonly AttributionCode[];
  /** Referral clicks recorded for the order's visitor id. */
  clicks: readonly AttributionClick[];
  customerBinding: CustomerBinding | null;
  customer: { isFirstOrder: boolean };
  partners: readonly AttributionPartner[];
}

export interface AttributionSignal {
  kind: SignalKind;
  value: string;
  partnerId: string | null;
  accepted: boolean;
  note: string;
}

export type AttributionFlag = 'self_referral' | 'code_inactive' | 'several_partner_codes' | 'partner_suspended';

export interface AttributionResult {
  partnerId: string | null;
  source: AttributionSource;
  promotionCodeId: string | null;
  commissionable: boolean;
  /** Why the sale earns no commission; empty when commissionable. */
  reasons: string[];
  flags: AttributionFlag[];
  signals: AttributionSignal[];
  explanation: string;
}

interface Candidate {
  partnerId: string;
  signal: AttributionSignal;
}

/**
 * Decides which partner (if any) a sale belongs to and whether it earns a commission. Priority:
 * a promotion code assigned to a partner, then the latest referral click inside the cookie
 * lifetime, then the partner the customer is bound to. Pure and deterministic.
 */
export function attributeOrder(input: AttributionInput): AttributionResult {
  const partners = new Map(input.partners.map((p) => [p.id, p]));
  const flags = new Set<AttributionFlag>();

  const codeOutcome = collectCodeSignals(input, partners, flags);
  const cookieOutcome = collectCookieSignals(input, partners);
  const customerOutcome = collectCustomerSignal(input, partners);

  const winner: { source: Exclude<AttributionSource, 'none'>; candidate: Candidate } | null = codeOutcome.winner
    ? { source: 'code', candidate: codeOutcome.winner }
    : cookieOutcome.winner
      ? { source: 'cookie', candidate: cookieOutcome.winner }
      : customerOutcome.winner
        ? { source: 'customer', candidate: customerOutcome.winner }
        : null;

  const signals = [...codeOutcome.signals, ...cookieOutcome.signals, ...customerOutcome.signals];
  for (const signal of signals) {
    if (winner && signal.accepted && signal !== winner.candidate.signal) {
      signal.accepted = false;
      signal.note += `; ${describeOverruled(signal.kind, winner.source)}`;
    }
  }

  if (!winner) {
    return {
      partnerId: null,
      source: 'none',
      promotionCodeId: null,
      commissionable: false,
      reasons: ['no partner code, valid referral click or customer binding was found'],
      flags: [...flags],
      signals,
      explanation: explainNone(input),
    };
  }

  const partnerId = winner.candidate.partnerId;
  const partner = partners.get(partnerId);
  const reasons: string[] = [];
  if (partner?.status === 'suspended') {
    flags.add('partner_suspended');
    reasons.push(`partner ${partnerId} is suspended`);
  }
  if (isSelfReferral(input.order.customerEmail, partner?.email ?? null)) {
    flags.add('self_referral');
    reasons.push("self-referral: the customer's email is the partner's own email");
  }
  if (winner.source === 'code' && codeOutcome.winnerCode) {
    reasons.push(...findUnenforcedViolations(input, codeOutcome.winnerCode));
  }

  return {
    partnerId,
    source: winner.source,
    promotionCodeId: winner.source === 'code' ? (codeOutcome.winnerCode?.id ?? null) : null,
    commissionable: reasons.length === 0,
    reasons,
    flags: [...flags],
    signals,
    explanation: explainWinner(winner.source, winner.candidate, input),
  };
}

function collectCodeSignals(
  input: AttributionInput,
  partners: ReadonlyMap<string, AttributionPartner>,
  flags: Set<AttributionFlag>,
): { signals: AttributionSignal[]; winner: Candidate | null; winnerCode: AttributionCode | null } {
  const byCode = new Map<string, AttributionCode>();
  for (const code of input.codes) {
    // Prefer a live code over a deleted one if both carry the same normalised text.
    const existing = byCode.get(code.normalizedCode);
    if (!existing || (existing.deleted && !code.deleted)) byCode.set(code.normalizedCode, code);
  }
  const signals: AttributionSignal[] = [];
  let winner: Candidate | null = null;
  let winnerCode: AttributionCode | null = null;
  const seen = new Set<string>();
  const partnersWithCodes = new Set<string>();
  for (const raw of input.order.codes) {
    const normalized = normalizeCode(raw);
    if (normalized.length === 0 || seen.has(normalized)) continue;
    seen.add(normalized);
    const code = byCode.get(normalized);
    if (!code) {
      signals.push({ kind: 'code', value: raw, partnerId: null, accepted: false, note: `${normalized} is not one of the program's promotion codes` });
      continue;
    }
    if (code.partnerId === null) {
      signals.push({ kind: 'code', value: raw, partnerId: null, accepted: false, note: `${normalized} is not assigned to a partner` });
      continue;
    }
    if (!partners.has(code.partnerId)) {
      signals.push({ kind: 'code', value: raw, partnerId: code.partnerId, accepted: false, note: `${normalized} belongs to partner ${code.partnerId}, who no longer exists` });
      continue;
    }
    partnersWithCodes.add(code.partnerId);
    const notes = [`${normalized} is assigned to partner ${code.partnerId}`];
    // The platform accepted the code at checkout; our status may have changed after the order
    // (webhooks arrive late), so an inactive code still attributes but is flagged for review.
    if (code.deleted || code.status === 'disabled') {
      flags.add('code_inactive');
      notes.push(`the code is ${code.deleted ? 'deleted' : 'disabled'} in the program`);
    }
    const signal: AttributionSignal = { kind: 'code', value: raw, partnerId: code.partnerId, accepted: winner === null, note: notes.join('; ') };
    if (winner === null) {
      winner = { partnerId: code.partnerId, signal };
      winnerCode = code;
    } else {
      signal.note += `; ${winnerCode?.normalizedCode ?? 'another code'} appears earlier on the order and wins`;
    }
    signals.push(signal);
  }
  if (partnersWithCodes.size > 1) flags.add('several_partner_codes');
  return { signals, winner, winnerCode };
}

function collectCookieSignals(
  input: AttributionInput,
  partners: ReadonlyMap<string, AttributionPartner>,
): { signals: AttributionSignal[]; winner: Candidate | null } {
  const visitorId = input.order.referralVisitorId;
  if (!visitorId) return { signals: [], winner: null };
  if (input.clicks.length === 0) {
    return {
      signals: [{ kind: 'cookie', value: visitorId, partnerId: null, accepted: false, note: 'no referral click was recorded for this visitor' }],
      winner: null,
    };
  }
  const orderedAt = input.order.orderedAt.getTime();
  const lifetimeMs = Math.max(0, input.program.cookieLifetimeDays) * MS_PER_DAY;
  // Latest first; ties broken by partner id so the result never depends on the input order.
  const clicks = [...input.clicks].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0),
  );
  const signals: AttributionSignal[] = [];
  let winner: Candidate | null = null;
  for (const click of clicks) {
    const clickedAt = click.createdAt.getTime();
    const when = `click at ${click.createdAt.toISOString()}`;
    let note: string;
    let usable = false;
    if (clickedAt > orderedAt) {
      note = `${when} came after the order`;
    } else if (orderedAt >= clickedAt + lifetimeMs) {
      // The cookie expires at click + lifetime; an order at exactly that instant is too late.
      note = `${when} is outside the ${input.program.cookieLifetimeDays}-day cookie lifetime`;
    } else if (!partners.has(click.partnerId)) {
      note = `${when} belongs to partner ${click.partnerId}, who no longer exists`;
    } else if (winner !== null) {
      note = `${when} is within the cookie lifetime but a later click wins`;
    } else {
      note = `${when} is within the ${input.program.cookieLifetimeDays}-day cookie lifetime`;
      usable = true;
    }
    const signal: AttributionSignal = { kind: 'cookie', value: visitorId, partnerId: click.partnerId, accepted: usable, note };
    if (usable) winner = { partnerId: click.partnerId, signal };
    signals.push(signal);
  }
  return { signals, winner };
}

function collectCustomerSignal(
  input: AttributionInput,
  partners: ReadonlyMap<string, AttributionPartner>,
): { signals: AttributionSignal[]; winner: Candidate | null } {
  const binding = input.customerBinding;
  if (!binding) return { signals: [], winner: null };
  const value = input.order.customerEmail ?? binding.partnerId;
  const since = `bound to partner ${binding.partnerId} by ${binding.source} since ${binding.boundAt.toISOString()}`;
  if (binding.boundAt.getTime() > input.order.orderedAt.getTime()) {
    return { signals: [{ kind: 'customer', value, partnerId: binding.partnerId, accepted: false, note: `${since}, which is after the order` }], winner: null };
  }
  if (!partners.has(binding.partnerId)) {
    return { signals: [{ kind: 'customer', value, partnerId: binding.partnerId, accepted: false, note: `${since}, but the partner no longer exists` }], winner: null };
  }
  const signal: AttributionSignal = { kind: 'customer', value, partnerId: binding.partnerId, accepted: true, note: since };
  return { signals: [signal], winner: { partnerId: binding.partnerId, signal } };
}

function findUnenforcedViolations(input: AttributionInput, code: AttributionCode): string[] {
  // Restrictions the platform enforced are trusted: it let the order through, and our redemption
  // counter may lag behind the platform's, so re-checking them would reject valid sales.
  const violations = checkRestrictions({
    restrictions: code.restrictions,
    order: {
      netAmount: input.order.netAmount,
      grossAmount: input.order.grossAmount,
      currency: input.order.currency,
      orderedAt: input.order.orderedAt,
      isFirstOrder: input.customer.isFirstOrder,
    },
    timesRedeemed: code.timesRedeemed,
  });
  return violations
    .filter((v) => code.enforcedByPlatform[v.restriction] !== true)
    .map((v) => `restriction not met (enforced at attribution, not by the platform): ${v.message}`);
}

/** Compares emails ignoring case and surrounding spaces; missing emails never match. */
export function isSelfReferral(customerEmail: string | null, partnerEmail: string | null): boolean {
  if (!customerEmail || !partnerEmail) return false;
  const a = customerEmail.trim().toLowerCase();
  return a.length > 0 && a === partnerEmail.trim().toLowerCase();
}

function describeOverruled(kind: SignalKind, winnerSource: Exclude<AttributionSource, 'none'>): string {
  if (kind === winnerSource) return 'not used';
  return winnerSource === 'code' ? 'a partner promotion code takes precedence' : 'a referral click takes precedence';
}

function explainWinner(source: Exclude<AttributionSource, 'none'>, candidate: Candidate, input: AttributionInput): string {
  const partner = candidate.partnerId;
  switch (source) {
    case 'code':
      return `Partner ${partner} gets the sale because the order used their promotion code ${normalizeCode(candidate.signal.value)}, and a partner's code beats referral clicks and customer bindings.`;
    case 'cookie':
      return `Partner ${partner} gets the sale because the visitor's latest referral click was theirs and falls within the ${input.program.cookieLifetimeDays}-day cookie lifetime, and no partner promotion code was used.`;
    case 'customer':
      return `Partner ${partner} gets the sale because the customer is bound to them, and the order carried no partner promotion code or valid referral click.`;
  }
}

function explainNone(input: AttributionInput): string {
  const seen = input.order.codes.length > 0 || input.order.referralVisitorId !== null || input.customerBinding !== null;
  return seen
    ? 'No partner gets the sale because none of the codes, referral clicks or customer binding on it could be credited to a partner.'
    : 'No partner gets the sale because the order carried no promotion code or referral visitor id and the customer is not bound to a partner.';
}
