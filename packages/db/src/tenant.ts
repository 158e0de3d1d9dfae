import type { Db } from './client.ts';

/** Models whose rows belong to one workspace. Every query through the scoped accessor is limited
 * to the caller's workspace; creates get the workspace id filled in. */
const tenantModels = new Set([
  'Membership',
  'ApiKey',
  'Program',
  'Partner',
  'ReferralKey',
  'ReferralClick',
  'Coupon',
  'CouponConnection',
  'PromotionCode',
  'PromotionCodeAssignment',
  'Connection',
  'SyncLink',
  'WebhookEvent',
  'Customer',
  'Sale',
  'Commission',
  'BulkJob',
  'AuditLog',
]);

const filtered = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
]);

type Args = Record<string, unknown> & { where?: Record<string, unknown>; data?: unknown; create?: unknown };

function withWorkspace(data: unknown, workspaceId: string): unknown {
  if (Array.isArray(data)) return data.map((row) => withWorkspace(row, workspaceId));
  if (data && typeof data === 'object') return { ...(data as object), workspaceId };
  return data;
}

/**
 * The single tenant-scoped database accessor. Route code gets this, never the raw client: it adds
 * `workspaceId` to every filter and every created row of tenant models, so a query for another
 * workspace's id finds nothing (and the route answers 404). `Workspace` itself is readable only
 * for the caller's own id.
 */
export function scopeToWorkspace(db: Db, workspaceId: string) {
  return db.$extends({
    name: 'tenant-scope',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const a = (args ?? {}) as Args;
          if (model === 'Workspace') {
            if (operation.startsWith('create') || operation === 'upsert') {
              throw new Error('workspaces are not created through a tenant-scoped accessor');
            }
            if (filtered.has(operation)) a.where = { ...a.where, id: workspaceId };
            return query(a);
          }
          if (!tenantModels.has(model)) {
            throw new Error(`${model} is not tenant data; use the model's own service`);
          }
          if (filtered.has(operation)) a.where = { ...a.where, workspaceId };
          if (operation === 'create' || operation === 'createMany' || operation === 'createManyAndReturn') {
            a.data = withWorkspace(a.data, workspaceId);
          }
          if (operation === 'upsert') {
            a.where = { ...a.where, workspaceId };
            a.create = withWorkspace(a.create, workspaceId);
          }
          return query(a);
        },
      },
    },
  });
}

export type TenantDb = ReturnType<typeof scopeToWorkspace>;
