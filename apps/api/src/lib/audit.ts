import type { Db, TenantDb } from '@codetrack/db';
import type { Principal } from '../plugins/auth.ts';

type AuditInput = {
  workspaceId: string;
  actor: Principal | { kind: 'system' } | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  data?: Record<string, unknown> | null;
};

type AuditWriter = Pick<Db, 'auditLog'> | Pick<TenantDb, 'auditLog'>;

function actorOf(actor: AuditInput['actor']) {
  if (!actor || actor.kind === 'system') return { actorType: 'system' as const, actorId: null };
  if (actor.kind === 'user') return { actorType: 'user' as const, actorId: actor.userId };
  if (actor.kind === 'api_key') return { actorType: 'api_key' as const, actorId: actor.apiKeyId };
  return { actorType: 'partner' as const, actorId: actor.partnerId };
}

/** Appends an audit row: who did what to which entity. Pass a transaction to make it atomic. */
export async function recordAudit(db: AuditWriter, input: AuditInput) {
  await (db.auditLog as Db['auditLog']).create({
    data: {
      workspaceId: input.workspaceId,
      ...actorOf(input.actor),
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId ?? null,
      data: (input.data ?? undefined) as never,
    },
  });
}
