import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Commission,
  CommissionBulkInput,
  CommissionBulkResult,
  CommissionExportQuery,
  CommissionListQuery,
  Id,
  ProgramStats,
  Sale,
  SaleDetail,
  SaleListQuery,
  StatsQuery,
  pageOf,
} from '@codetrack/contracts';
import { authErrors } from '../../lib/schemas.ts';
import { changeCommissions, exportCommissionsCsv, listCommissions, type CommissionAction } from './commissions.ts';
import { findSaleOrThrow, listSales } from './service.ts';
import { computeProgramStats } from './stats.ts';

const programParams = z.object({ programId: Id });

export const salesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/programs/:programId/sales',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['sales'], summary: 'Sales of a program, newest order first (filters: partner, source, status, order date)', params: programParams, querystring: SaleListQuery, response: { 200: pageOf(Sale), ...authErrors } },
    },
    async (req) => listSales(req.tenant, req.params.programId, req.query),
  );

  app.get(
    '/api/sales/:saleId',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['sales'], summary: 'One sale with its ledger rows and the attribution explanation (every signal, and why the winner won)', params: z.object({ saleId: Id }), response: { 200: SaleDetail, ...authErrors } },
    },
    async (req) => findSaleOrThrow(req.tenant, req.params.saleId),
  );

  app.get(
    '/api/programs/:programId/commissions',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['commissions'], summary: 'The commission ledger of a program, newest first (filters: status, partner, date)', params: programParams, querystring: CommissionListQuery, response: { 200: pageOf(Commission), ...authErrors } },
    },
    async (req) => listCommissions(req.tenant, req.params.programId, req.query),
  );

  app.get(
    '/api/programs/:programId/commissions/export',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['commissions'], summary: 'The commission ledger as CSV (amounts in minor units)', params: programParams, querystring: CommissionExportQuery, response: { 200: z.string(), ...authErrors } },
    },
    async (req, reply) => {
      const csv = await exportCommissionsCsv(req.tenant, req.params.programId, req.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="commissions-${req.params.programId}.csv"`)
        .send(csv);
    },
  );

  const bulk: { path: string; action: CommissionAction; summary: string }[] = [
    { path: '/api/commissions/approve', action: 'approve', summary: 'Approve pending commissions whose hold period is over (force: true approves early)' },
    { path: '/api/commissions/reject', action: 'reject', summary: 'Reject pending commissions' },
    { path: '/api/commissions/mark-paid', action: 'mark_paid', summary: 'Mark approved commissions as paid' },
  ];
  for (const { path, action, summary } of bulk) {
    app.post(
      path,
      {
        config: { access: { merchant: 'admin' } },
        schema: { tags: ['commissions'], summary: `${summary}; answers which ids changed and why the others were skipped`, body: CommissionBulkInput, response: { 200: CommissionBulkResult, ...authErrors } },
      },
      async (req) => changeCommissions(req.tenant, req.principal!, action, req.body),
    );
  }

  app.get(
    '/api/programs/:programId/stats',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['sales'], summary: 'Orders, revenue, discount, commissions by status and redemptions per day: per program, partner and code', params: programParams, querystring: StatsQuery, response: { 200: ProgramStats, ...authErrors } },
    },
    async (req) => computeProgramStats(req.tenant, req.principal!.workspaceId, req.params.programId, req.query),
  );
};
