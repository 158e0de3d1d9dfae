import type { UpdatePortalProfileInput } from '@codetrack/contracts';
import type { TenantDb } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import type { Principal } from '../../plugins/auth.ts';

/** Changes what a partner may change about themselves: the name and the payout email. */
export async function updatePartnerProfile(db: TenantDb, actor: Extract<Principal, { kind: 'partner' }>, input: UpdatePortalProfileInput) {
  const data = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.payoutEmail !== undefined ? { payoutEmail: input.payoutEmail } : {}),
  };
  return db.$transaction(async (tx) => {
    const partner = await tx.partner.update({ where: { id: actor.partnerId }, data });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'partner.profile_updated', entityType: 'partner', entityId: actor.partnerId, data });
    return partner;
  });
}
