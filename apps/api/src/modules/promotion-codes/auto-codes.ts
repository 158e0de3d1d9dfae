import type { DefaultRestrictions } from '@codetrack/contracts';
import { enqueueSyncLinks, planCodeGeneration, resolveRestrictions, writeGeneratedCodes, type TenantDb } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import type { Principal } from '../../plugins/auth.ts';
import type { SyncDeps } from '../coupons/service.ts';

/**
 * "Auto-generate a code when a partner joins": when the program has it on, each new partner gets
 * one code on the program's auto-code coupon from its pattern. It runs after the partner is
 * committed, so a failure (say the pattern cannot make a code from this partner's name) never
 * loses the partner: it is audited, and bulk generation on the coupon fills the gap later.
 */
export async function createAutoCodes(db: TenantDb, deps: SyncDeps, actor: Principal, programId: string, partnerIds: string[]) {
  const program = await db.program.findUnique({ where: { id: programId } });
  if (!program?.autoCodeEnabled || !program.autoCodeCouponId || !program.autoCodePattern || partnerIds.length === 0) return [];
  const coupon = await db.coupon.findUnique({ where: { id: program.autoCodeCouponId }, include: { connections: true } });
  if (!coupon || coupon.status !== 'active') return [];
  try {
    const plan = await planCodeGeneration(db, { coupon, pattern: program.autoCodePattern, partners: { partnerIds }, seed: `${coupon.id}:${program.autoCodePattern}` });
    const connectionIds = coupon.connections.map((c) => c.connectionId);
    const written = await writeGeneratedCodes(db, {
      workspaceId: actor.workspaceId,
      coupon,
      codes: plan.result.results,
      restrictions: resolveRestrictions(coupon.defaultRestrictions as DefaultRestrictions, {}, coupon.currency ?? program.currency),
      connectionIds,
      source: 'auto',
    });
    await enqueueSyncLinks(deps.jobs, written.syncLinks ?? { connectionIds }, (err) => deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
    for (const failure of plan.result.failures) {
      await recordAudit(db, { workspaceId: actor.workspaceId, actor, action: 'promotion_code.auto_failed', entityType: 'partner', entityId: failure.partnerId, data: { reason: failure.reason } });
    }
    return plan.result.results;
  } catch (err) {
    deps.log.warn({ err, programId }, 'auto-code generation failed');
    await recordAudit(db, { workspaceId: actor.workspaceId, actor, action: 'promotion_code.auto_failed', entityType: 'program', entityId: programId, data: { reason: err instanceof Error ? err.message : String(err) } });
    return [];
  }
}
