import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssignPromotionCodeInput,
  BulkJob,
  CodeCheck,
  CodeListQuery,
  CreatePromotionCodeInput,
  DisablePromotionCodeInput,
  GenerateCodesInput,
  GenerationPreview,
  Id,
  PromotionCode,
  PromotionCodeAssignment,
  PromotionCodeSearchQuery,
  UpdatePromotionCodeInput,
  ValidateCodeInput,
  pageOf,
} from '@codetrack/contracts';
import { authErrors, errorResponses } from '../../lib/schemas.ts';
import { findCouponOrThrow } from '../coupons/service.ts';
import { findJobOrThrow, previewGeneration, startGeneration } from './generation.ts';
import {
  assignCode,
  checkCode,
  createPromotionCode,
  deleteCode,
  disableCode,
  enableCode,
  findCodeOrThrow,
  listAssignments,
  searchCodes,
  toCodeDto,
  updateCodeRestrictions,
} from './service.ts';

const couponParams = z.object({ couponId: Id });
const codeParams = z.object({ promotionCodeId: Id });
const SearchPage = pageOf(PromotionCode).extend({
  total: z.number().int().describe('Matching codes, counted exactly up to 10,000; beyond that 10,000 with totalExact false'),
  totalExact: z.boolean().describe('false when there are more than `total` matching codes'),
});

export const promotionCodeRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = { jobs: app.jobs, log: app.log };

  app.get(
    '/api/coupons/:couponId/promotion-codes',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['promotion-codes'], summary: 'Codes of a coupon', params: couponParams, querystring: CodeListQuery, response: { 200: SearchPage, ...authErrors } },
    },
    async (req) => {
      const coupon = await findCouponOrThrow(req.tenant, req.params.couponId);
      return searchCodes(req.tenant, coupon.programId, { ...req.query, couponId: coupon.id });
    },
  );

  app.post(
    '/api/coupons/:couponId/promotion-codes',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['promotion-codes'],
        summary: 'Create a code (blank code = a random readable one); 409 promotion_code_taken comes with free suggestions',
        params: couponParams,
        body: CreatePromotionCodeInput,
        response: { 201: PromotionCode, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createPromotionCode(req.tenant, deps, req.principal!, req.params.couponId, req.body)),
  );

  app.post(
    '/api/coupons/:couponId/promotion-codes/generate/preview',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['promotion-codes'],
        summary: 'Preview bulk generation: the first codes and every collision, nothing written',
        params: couponParams,
        body: GenerateCodesInput,
        response: { 200: GenerationPreview, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req) => previewGeneration(req.tenant, req.params.couponId, req.body),
  );

  app.post(
    '/api/coupons/:couponId/promotion-codes/generate',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['promotion-codes'],
        summary: 'Generate one code per partner from a pattern, as a background job (re-runs skip partners that have a code)',
        params: couponParams,
        body: GenerateCodesInput,
        response: { 202: BulkJob, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req, reply) => reply.status(202).send(await startGeneration(req.tenant, deps, req.principal!, req.params.couponId, req.body)),
  );

  app.get(
    '/api/jobs/:jobId',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['jobs'], summary: 'Progress of a background job (done / total / failed)', params: z.object({ jobId: Id }), response: { 200: BulkJob, ...authErrors } },
    },
    async (req) => findJobOrThrow(req.tenant, req.params.jobId),
  );

  app.get(
    '/api/promotion-codes',
    {
      config: { access: { merchant: 'viewer' } },
      schema: {
        tags: ['promotion-codes'],
        summary: 'Search the codes of a program by partner, coupon, status, sync state and code prefix',
        querystring: PromotionCodeSearchQuery,
        response: { 200: SearchPage, ...authErrors },
      },
    },
    async (req) => {
      const { programId, ...filter } = req.query;
      return searchCodes(req.tenant, programId, filter);
    },
  );

  app.post(
    '/api/promotion-codes/validate',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['promotion-codes'], summary: 'Check a code before creating it (format, platforms, reserved words, taken)', body: ValidateCodeInput, response: { 200: CodeCheck, ...authErrors } },
    },
    async (req) => checkCode(req.tenant, req.body.couponId, req.body.code),
  );

  app.get(
    '/api/promotion-codes/:promotionCodeId',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['promotion-codes'], summary: 'One code with its sync state per connection', params: codeParams, response: { 200: PromotionCode, ...authErrors } },
    },
    async (req) => toCodeDto(await findCodeOrThrow(req.tenant, req.params.promotionCodeId)),
  );

  app.patch(
    '/api/promotion-codes/:promotionCodeId',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['promotion-codes'], summary: 'Change a code\'s restrictions', params: codeParams, body: UpdatePromotionCodeInput, response: { 200: PromotionCode, ...authErrors, ...errorResponses(409) } },
    },
    async (req) => updateCodeRestrictions(req.tenant, deps, req.principal!, req.params.promotionCodeId, req.body.restrictions),
  );

  app.post(
    '/api/promotion-codes/:promotionCodeId/assign',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['promotion-codes'], summary: 'Assign or reassign a code to a partner (null unassigns); history is kept', params: codeParams, body: AssignPromotionCodeInput, response: { 200: PromotionCode, ...authErrors, ...errorResponses(409) } },
    },
    async (req) => assignCode(req.tenant, deps, req.principal!, req.params.promotionCodeId, req.body.partnerId),
  );

  app.get(
    '/api/promotion-codes/:promotionCodeId/assignments',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['promotion-codes'], summary: 'Who the code was assigned to, oldest first', params: codeParams, response: { 200: z.object({ items: z.array(PromotionCodeAssignment) }), ...authErrors } },
    },
    async (req) => ({ items: await listAssignments(req.tenant, req.params.promotionCodeId) }),
  );

  app.post(
    '/api/promotion-codes/:promotionCodeId/disable',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['promotion-codes'], summary: 'Disable a code (deactivated on every platform, stays reserved)', params: codeParams, body: DisablePromotionCodeInput.optional(), response: { 200: PromotionCode, ...authErrors, ...errorResponses(409) } },
    },
    async (req) => disableCode(req.tenant, deps, req.principal!, req.params.promotionCodeId, req.body?.reason),
  );

  app.post(
    '/api/promotion-codes/:promotionCodeId/enable',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['promotion-codes'], summary: 'Enable a disabled code again', params: codeParams, response: { 200: PromotionCode, ...authErrors, ...errorResponses(409) } },
    },
    async (req) => enableCode(req.tenant, deps, req.principal!, req.params.promotionCodeId),
  );

  app.delete(
    '/api/promotion-codes/:promotionCodeId',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['promotion-codes'], summary: 'Delete a code (soft: removed from platforms, stays reserved)', params: codeParams, response: { 200: PromotionCode, ...authErrors, ...errorResponses(409) } },
    },
    async (req) => deleteCode(req.tenant, deps, req.principal!, req.params.promotionCodeId),
  );
};
