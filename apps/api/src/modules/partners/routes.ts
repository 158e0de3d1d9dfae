import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreatePartnerInput,
  Id,
  ImportPartnersInput,
  InvitedPartner,
  Partner,
  PartnerDetail,
  PartnerFilters,
  PartnerImportResult,
  PartnerListQuery,
  PartnerPage,
  UpdatePartnerInput,
} from '@codetrack/contracts';
import { authErrors, errorResponses } from '../../lib/schemas.ts';
import { exportPartnersCsv } from './export-partners.ts';
import { createAutoCodes } from '../promotion-codes/auto-codes.ts';
import { importPartners } from './import-partners.ts';
import {
  createPartner,
  getPartnerDetailOrThrow,
  listPartners,
  reactivatePartnerOrThrow,
  reissueInvitationOrThrow,
  suspendPartnerOrThrow,
  updatePartnerOrThrow,
  type InvitationMail,
  type PartnerLinks,
} from './service.ts';

const programParams = z.object({ programId: Id });
const partnerParams = z.object({ programId: Id, partnerId: Id });
const tags = ['partners'];

export const partnerRoutes: FastifyPluginAsyncZod = async (app) => {
  const syncDeps = { jobs: app.jobs, log: app.log };
  const links: PartnerLinks = { publicUrl: app.config.publicUrl, portalUrl: app.config.portalUrl };
  const mail: InvitationMail = { mailer: app.mailer, log: app.log };

  app.get(
    '/api/programs/:programId/partners',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags, summary: 'Partners of a program, newest first, with search and status filter', params: programParams, querystring: PartnerListQuery, response: { 200: PartnerPage, ...authErrors } },
    },
    async (req) => listPartners(req.tenant, links, req.params.programId, req.query),
  );

  app.post(
    '/api/programs/:programId/partners',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags,
        summary: 'Invite a partner (the invitation token is in this response only)',
        params: programParams,
        body: CreatePartnerInput,
        response: { 201: InvitedPartner, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req, reply) => {
      const partner = await createPartner(req.tenant, req.principal!, links, mail, req.params.programId, req.body);
      await createAutoCodes(req.tenant, syncDeps, req.principal!, req.params.programId, [partner.id]);
      return reply.status(201).send(partner);
    },
  );

  app.post(
    '/api/programs/:programId/partners/import',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags,
        summary: 'Import partners from CSV (email, name, optional code): all rows or none; mails each new partner their invitation',
        params: programParams,
        body: ImportPartnersInput,
        response: { 201: PartnerImportResult, ...authErrors, ...errorResponses(409, 413) },
      },
    },
    async (req, reply) => {
      const result = await importPartners(req.tenant, { ...syncDeps, links, mail }, req.principal!, req.params.programId, req.body);
      const withoutCode = result.partners.filter((p) => !result.codes.some((c) => c.partnerId === p.id)).map((p) => p.id);
      await createAutoCodes(req.tenant, syncDeps, req.principal!, req.params.programId, withoutCode);
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/programs/:programId/partners/export',
    {
      config: { access: { merchant: 'viewer' } },
      schema: {
        tags,
        summary: 'Partners as CSV: email, name, status, referralKey, referralUrl, createdAt',
        params: programParams,
        querystring: PartnerFilters,
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv'), ...authErrors },
      },
    },
    async (req, reply) => {
      const csv = await exportPartnersCsv(req.tenant, links, req.params.programId, req.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="partners-${req.params.programId}.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/api/programs/:programId/partners/:partnerId',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags, summary: 'One partner with their referral link and codes', params: partnerParams, response: { 200: PartnerDetail, ...authErrors } },
    },
    async (req) => getPartnerDetailOrThrow(req.tenant, links, req.params.programId, req.params.partnerId),
  );

  app.patch(
    '/api/programs/:programId/partners/:partnerId',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags,
        summary: 'Change a partner: names, payout email, referral key, commission override',
        params: partnerParams,
        body: UpdatePartnerInput,
        response: { 200: Partner, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req) => updatePartnerOrThrow(req.tenant, req.principal!, links, req.params.programId, req.params.partnerId, req.body),
  );

  app.post(
    '/api/programs/:programId/partners/:partnerId/suspend',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags, summary: 'Suspend a partner: portal access and referral link stop working', params: partnerParams, response: { 200: Partner, ...authErrors, ...errorResponses(409) } },
    },
    async (req) => suspendPartnerOrThrow(req.tenant, req.principal!, links, req.params.programId, req.params.partnerId),
  );

  app.post(
    '/api/programs/:programId/partners/:partnerId/reactivate',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags, summary: 'Lift a suspension (active if the partner has a password, else invited)', params: partnerParams, response: { 200: Partner, ...authErrors, ...errorResponses(409) } },
    },
    async (req) => reactivatePartnerOrThrow(req.tenant, req.principal!, links, req.params.programId, req.params.partnerId),
  );

  app.post(
    '/api/programs/:programId/partners/:partnerId/invitation',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags, summary: 'Issue a fresh invitation token (the previous one stops working)', params: partnerParams, response: { 201: InvitedPartner, ...authErrors, ...errorResponses(409) } },
    },
    async (req, reply) => reply.status(201).send(await reissueInvitationOrThrow(req.tenant, req.principal!, links, mail, req.params.programId, req.params.partnerId)),
  );
};
