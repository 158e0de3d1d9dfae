import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Coupon, CreateCouponInput, Id, UpdateCouponInput } from '@codetrack/contracts';
import { authErrors, errorResponses } from '../../lib/schemas.ts';
import { archiveCouponOrThrow, createCoupon, findCouponOrThrow, listCoupons, toCouponDto, updateCouponOrThrow } from './service.ts';

const programParams = z.object({ programId: Id });
const couponParams = z.object({ couponId: Id });

export const couponRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = { jobs: app.jobs, log: app.log };

  app.get(
    '/api/programs/:programId/coupons',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['coupons'], summary: 'Coupons of a program', params: programParams, response: { 200: z.object({ items: z.array(Coupon) }), ...authErrors } },
    },
    async (req) => ({ items: await listCoupons(req.tenant, req.params.programId) }),
  );

  app.post(
    '/api/programs/:programId/coupons',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['coupons'],
        summary: 'Create a coupon (the parent discount) and choose the connections it syncs to',
        params: programParams,
        body: CreateCouponInput,
        response: { 201: Coupon, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createCoupon(req.tenant, deps, req.principal!, req.params.programId, req.body)),
  );

  app.get(
    '/api/coupons/:couponId',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['coupons'], summary: 'One coupon, with where each restriction is enforced per connection', params: couponParams, response: { 200: Coupon, ...authErrors } },
    },
    async (req) => toCouponDto(await findCouponOrThrow(req.tenant, req.params.couponId)),
  );

  app.patch(
    '/api/coupons/:couponId',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['coupons'],
        summary: 'Change a coupon. A discount already created on Stripe cannot change: 409 coupon_discount_locked.',
        params: couponParams,
        body: UpdateCouponInput,
        response: { 200: Coupon, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req) => updateCouponOrThrow(req.tenant, deps, req.principal!, req.params.couponId, req.body),
  );

  app.post(
    '/api/coupons/:couponId/archive',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['coupons'], summary: 'Archive a coupon: its codes are deactivated on every platform and stay reserved', params: couponParams, response: { 200: Coupon, ...authErrors } },
    },
    async (req) => archiveCouponOrThrow(req.tenant, deps, req.principal!, req.params.couponId),
  );
};
