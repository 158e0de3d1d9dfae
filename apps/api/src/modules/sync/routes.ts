import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BulkJob, Id, RepairResult, RetryFailedResult, SyncLinkStatus, SyncStatus, SyncStatusQuery } from '@codetrack/contracts';
import { authErrors, errorResponses } from '../../lib/schemas.ts';
import { getSyncStatus, repairDriftOrThrow, retryFailedLinks, retrySyncLinkOrThrow, startConnectionJob } from './service.ts';

const connectionParams = z.object({ connectionId: Id });

export const syncRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = { jobs: app.jobs, log: app.log };

  app.get(
    '/api/connections/:connectionId/sync',
    {
      config: { access: { merchant: 'viewer' } },
      schema: {
        tags: ['sync'],
        summary: 'Sync status of a connection: counts per state and a keyset page of links (failed ones by default) with their last error',
        params: connectionParams,
        querystring: SyncStatusQuery,
        response: { 200: SyncStatus, ...authErrors },
      },
    },
    async (req) => getSyncStatus(req.tenant, req.params.connectionId, req.query),
  );

  app.post(
    '/api/sync-links/:syncLinkId/retry',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['sync'],
        summary: 'Try one failed (or pending) coupon or code again on its platform',
        params: z.object({ syncLinkId: Id }),
        response: { 200: SyncLinkStatus, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req) => retrySyncLinkOrThrow(req.tenant, deps, req.principal!, req.params.syncLinkId),
  );

  app.post(
    '/api/connections/:connectionId/sync/retry-failed',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['sync'], summary: 'Try every failed coupon and code of the connection again', params: connectionParams, response: { 200: RetryFailedResult, ...authErrors, ...errorResponses(409) } },
    },
    async (req) => retryFailedLinks(req.tenant, deps, req.principal!, req.params.connectionId),
  );

  app.post(
    '/api/connections/:connectionId/import',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['sync'],
        summary: 'Import the coupons and codes that exist on the platform (background job; running it again creates nothing twice)',
        description: 'Progress at GET /api/jobs/{jobId}. Codes we already have (same code) are linked, not duplicated.',
        params: connectionParams,
        response: { 202: BulkJob, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req, reply) => reply.status(202).send(await startConnectionJob(req.tenant, deps, req.principal!, req.params.connectionId, 'import_codes')),
  );

  app.post(
    '/api/connections/:connectionId/reconcile',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['sync'],
        summary: 'Compare our codes with the platform\'s (background job); the drift (missing, extra, different) is in the job result',
        params: connectionParams,
        response: { 202: BulkJob, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req, reply) => reply.status(202).send(await startConnectionJob(req.tenant, deps, req.principal!, req.params.connectionId, 'reconcile')),
  );

  app.post(
    '/api/connections/:connectionId/reconcile/:jobId/repair',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['sync'],
        summary: 'Repair the drift a reconciliation found: push missing and different codes again, import extra ones',
        params: z.object({ connectionId: Id, jobId: Id }),
        response: { 200: RepairResult, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req) => repairDriftOrThrow(req.tenant, deps, req.principal!, req.params.connectionId, req.params.jobId),
  );
};
