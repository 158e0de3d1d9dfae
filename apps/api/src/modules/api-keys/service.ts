import type { ApiKey as ApiKeyDto, CreateApiKeyInput, CreatedApiKey } from '@codetrack/contracts';
import type { ApiKey, TenantDb } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { toIso, toIsoOrNull } from '../../lib/schemas.ts';
import { createToken, hashToken } from '../../lib/tokens.ts';
import { API_KEY_PREFIX, type Principal } from '../../plugins/auth.ts';

function toDto(key: ApiKey): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    createdAt: toIso(key.createdAt),
    lastUsedAt: toIsoOrNull(key.lastUsedAt),
    revokedAt: toIsoOrNull(key.revokedAt),
  };
}

export async function listApiKeys(db: TenantDb) {
  const keys = await db.apiKey.findMany({ orderBy: { createdAt: 'desc' } });
  return keys.map(toDto);
}

/** Makes a key, stores only its hash, and returns the key once. */
export async function createApiKey(db: TenantDb, actor: Principal, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const key = `${API_KEY_PREFIX}${createToken(32)}`;
  const created = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        workspaceId: actor.workspaceId,
        name: input.name,
        role: input.role,
        prefix: key.slice(0, API_KEY_PREFIX.length + 6),
        hash: hashToken(key),
        createdById: actor.kind === 'user' ? actor.userId : null,
      },
    });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'api_key.created', entityType: 'api_key', entityId: row.id, data: { name: row.name, role: row.role } });
    return row;
  });
  return { ...toDto(created), key };
}

export async function revokeApiKeyOrThrow(db: TenantDb, actor: Principal, apiKeyId: string) {
  const existing = await db.apiKey.findUnique({ where: { id: apiKeyId } });
  if (!existing) throw notFound('API key');
  const revoked = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.update({ where: { id: apiKeyId }, data: { revokedAt: existing.revokedAt ?? new Date() } });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'api_key.revoked', entityType: 'api_key', entityId: row.id });
    return row;
  });
  return toDto(revoked);
}
