import { describe, expect, it } from 'vitest';
import { createProgramFor, signUpMerchant, useTestApp } from '../../../test/helpers.ts';

const ctx = useTestApp();

async function programWithAutoCodes(pattern = '{FIRSTNAME}{AMOUNT}') {
  const m = await signUpMerchant(ctx.app);
  const program = await createProgramFor(ctx.app, m);
  const coupon = (await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/coupons`, headers: m.headers, payload: { name: '15%', discountType: 'percent', percentOffBps: 1500 } })).json();
  const res = await ctx.app.inject({ method: 'PATCH', url: `/api/programs/${program.id}`, headers: m.headers, payload: { autoCode: { enabled: true, couponId: coupon.id, pattern } } });
  expect(res.statusCode).toBe(200);
  return { m, program, coupon };
}

describe('codes created when partners join', () => {
  it('gives a new partner a code from the program pattern when auto-codes are on', async () => {
    const { m, program, coupon } = await programWithAutoCodes();
    const res = await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/partners`, headers: m.headers, payload: { email: 'maria@example.test', name: 'Maria Lopez', firstName: 'Maria', lastName: 'Lopez' } });
    expect(res.statusCode).toBe(201);
    const codes = await ctx.db.promotionCode.findMany({ where: { partnerId: res.json().id } });
    expect(codes.map((c) => [c.normalizedCode, c.couponId, c.source])).toEqual([['MARIA15', coupon.id, 'auto']]);
  });

  it('creates no code when auto-codes are off', async () => {
    const m = await signUpMerchant(ctx.app);
    const program = await createProgramFor(ctx.app, m);
    const res = await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/partners`, headers: m.headers, payload: { email: 'no@example.test', name: 'No Code' } });
    expect(await ctx.db.promotionCode.count({ where: { partnerId: res.json().id } })).toBe(0);
  });

  it('imports the CSV code column onto the auto-code coupon, and auto-codes the rows without one', async () => {
    const { m, program, coupon } = await programWithAutoCodes();
    const csv = 'email,name,code\nana@example.test,Ana,ana-vip\nbo@example.test,Bo Berg,\n';
    const res = await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/partners/import`, headers: m.headers, payload: { csv } });
    expect(res.statusCode).toBe(201);
    const codes = await ctx.db.promotionCode.findMany({ where: { couponId: coupon.id }, include: { partner: true }, orderBy: { normalizedCode: 'asc' } });
    expect(codes.map((c) => [c.normalizedCode, c.partner?.email, c.source])).toEqual([
      ['ANA-VIP', 'ana@example.test', 'manual'],
      ['BO15', 'bo@example.test', 'auto'],
    ]);
  });

  it('rejects the whole CSV when a code is taken or there is no coupon for the code column', async () => {
    const { m, program, coupon } = await programWithAutoCodes();
    await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/promotion-codes`, headers: m.headers, payload: { code: 'TAKEN9' } });
    const taken = await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/partners/import`, headers: m.headers, payload: { csv: 'email,name,code\na1@example.test,A,ok-one\na2@example.test,B,taken9\n' } });
    expect(taken.statusCode).toBe(400);
    expect(taken.json().error.details).toEqual([expect.objectContaining({ path: 'row 3: code', message: expect.stringContaining('TAKEN9') })]);
    expect(await ctx.db.partner.count({ where: { programId: program.id } })).toBe(0);

    const plain = await createProgramFor(ctx.app, m);
    const noCoupon = await ctx.app.inject({ method: 'POST', url: `/api/programs/${plain.id}/partners/import`, headers: m.headers, payload: { csv: 'email,name,code\nz@example.test,Z,zed1\n' } });
    expect(noCoupon.statusCode).toBe(400);
    expect(noCoupon.json().error.details[0].path).toBe('column code');
  });
});
