import type { Member, Role } from '@codetrack/contracts';
import { Prisma, type Db, type TenantDb } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { toIso } from '../../lib/schemas.ts';
import type { Principal } from '../../plugins/auth.ts';

type Row = { id: string; userId: string; role: Role; createdAt: Date; user: { email: string; name: string } };

function toDto(m: Row): Member {
  return { id: m.id, userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, createdAt: toIso(m.createdAt) };
}

export async function listMembers(db: TenantDb) {
  const rows = await db.membership.findMany({ include: { user: true }, orderBy: { createdAt: 'asc' } });
  return rows.map(toDto);
}

export async function addMember(raw: Db, db: TenantDb, actor: Principal, input: { email: string; role: Role }) {
  // Users are global (one login, many workspaces), so the look-up by email uses the raw client.
  const user = await raw.user.findUnique({ where: { email: input.email } });
  if (!user) throw notFound('A user with this email');
  try {
    const row = await db.membership.create({ data: { workspaceId: actor.workspaceId, userId: user.id, role: input.role }, include: { user: true } });
    await recordAudit(db, { workspaceId: actor.workspaceId, actor, action: 'member.added', entityType: 'membership', entityId: row.id, data: { role: row.role } });
    return toDto(row);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') throw conflict('already_member', 'This user is already a member');
    throw err;
  }
}

async function assertNotLastOwner(db: TenantDb, memberId: string) {
  const owners = await db.membership.count({ where: { role: 'owner', id: { not: memberId } } });
  if (owners === 0) throw conflict('last_owner', 'A workspace needs at least one owner');
}

export async function updateMemberOrThrow(db: TenantDb, actor: Principal, memberId: string, role: Role) {
  const existing = await db.membership.findUnique({ where: { id: memberId } });
  if (!existing) throw notFound('Member');
  if (existing.role === 'owner' && role !== 'owner') await assertNotLastOwner(db, memberId);
  const row = await db.membership.update({ where: { id: memberId }, data: { role }, include: { user: true } });
  await recordAudit(db, { workspaceId: actor.workspaceId, actor, action: 'member.role_changed', entityType: 'membership', entityId: row.id, data: { from: existing.role, to: role } });
  return toDto(row);
}

export async function removeMemberOrThrow(db: TenantDb, actor: Principal, memberId: string) {
  const existing = await db.membership.findUnique({ where: { id: memberId } });
  if (!existing) throw notFound('Member');
  if (existing.role === 'owner') await assertNotLastOwner(db, memberId);
  await db.membership.delete({ where: { id: memberId } });
  await recordAudit(db, { workspaceId: actor.workspaceId, actor, action: 'member.removed', entityType: 'membership', entityId: memberId });
}
