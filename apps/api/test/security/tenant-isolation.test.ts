import { describe, expect, it } from 'vitest';
import { apiKeyHeaders, createProgramFor, signUpMerchant, useTestApp } from '../helpers.ts';
import { loadSpec, sampleOf, type Spec } from './openapi.ts';

/**
 * The tenant-isolation matrix, generated from the route list (the OpenAPI document), so a new
 * route cannot be missed: workspace A gets one of every entity; for every route with an id in its
 * path, workspace B's session and B's API key ask with A's ids, and must get 404 (403 where B's
 * role may not call the route at all). A path parameter this test does not know fails the test:
 * add the entity to `idsOfA` below.
 */
const ctx = useTestApp();

async function buildWorkspaceA() {
  const a = await signUpMerchant(ctx.app);
  const program = await createProgramFor(ctx.app, a);
  const f = ctx.factories;
  const partner = await f.partner({ workspaceId: a.workspaceId, programId: program.id });
  const connection = await f.connection({ workspaceId: a.workspaceId, programId: program.id, status: 'connected' });
  const coupon = await f.coupon({ workspaceId: a.workspaceId, programId: program.id });
  const code = await f.promotionCode({ workspaceId: a.workspaceId, programId: program.id, couponId: coupon.id, partnerId: partner.id });
  const syncLink = await f.syncLink({ workspaceId: a.workspaceId, connectionId: connection.id, entityId: code.id, promotionCodeId: code.id });
  const sale = await f.sale({ workspaceId: a.workspaceId, programId: program.id, connectionId: connection.id, partnerId: partner.id });
  const commission = await f.commission({ workspaceId: a.workspaceId, programId: program.id, saleId: sale.id, partnerId: partner.id });
  const job = await f.bulkJob({ workspaceId: a.workspaceId, programId: program.id });
  const key = (await ctx.app.inject({ method: 'POST', url: '/api/api-keys', headers: a.headers, payload: { name: 'k' } })).json();
  const member = (await ctx.app.inject({ method: 'GET', url: '/api/members', headers: a.headers })).json().items[0];
  const ids: Record<string, string> = {
    programId: program.id,
    partnerId: partner.id,
    connectionId: connection.id,
    couponId: coupon.id,
    promotionCodeId: code.id,
    syncLinkId: syncLink.id,
    saleId: sale.id,
    commissionId: commission.id,
    jobId: job.id,
    apiKeyId: key.id,
    memberId: member.id,
  };
  return { a, ids };
}


/** Bodies for routes whose rules (cross-field refinements) a schema-derived sample cannot meet. */
const validBodies: Record<string, object> = {
  'post /api/programs/{programId}/coupons': { name: 'x', discountType: 'percent', percentOffBps: 1000 },
  'post /api/programs/{programId}/connections': { platform: 'stripe', secretKey: 'sk_test_123456789', webhookSigningSecret: 'whsec_123456789' },
};

describe('tenant isolation matrix', () => {
  it('answers another workspace 404 (or 403) on every route that takes an id', async () => {
    const { a, ids } = await buildWorkspaceA();
    const b = await signUpMerchant(ctx.app);
    const bKey = await apiKeyHeaders(ctx.app, b, 'admin');
    const spec: Spec = await loadSpec(ctx.app);

    const checked: string[] = [];
    const failures: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      if (params.length === 0 || path.startsWith('/webhooks/') || path.startsWith('/r/') || path.startsWith('/api/portal/')) continue;
      for (const method of Object.keys(operations)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const unknown = params.filter((p) => !(p in ids));
        if (unknown.length) {
          failures.push(`${method.toUpperCase()} ${path}: unknown path parameter ${unknown.join(', ')} — add it to the matrix`);
          continue;
        }
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]!);
        for (const [who, headers] of [['session', b.headers], ['api key', bKey]] as const) {
          const body = method === 'get' || method === 'delete' ? undefined : (validBodies[`${method} ${path}`] ?? sampleOf(operations[method]?.requestBody?.content?.['application/json']?.schema, spec) ?? {});
          const res = await ctx.app.inject({ method: method.toUpperCase() as 'GET', url, headers, ...(body === undefined ? {} : { payload: body as object }) });
          if (![403, 404].includes(res.statusCode)) failures.push(`${who} ${method.toUpperCase()} ${path} -> ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
        checked.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked.length).toBeGreaterThan(20);
    // A's data is untouched by everything B tried.
    const still = await ctx.app.inject({ method: 'GET', url: `/api/promotion-codes/${ids.promotionCodeId}`, headers: a.headers });
    expect(still.json().status).toBe('active');
  });
});
