import type { PartnerStatus } from '@codetrack/contracts';
import type { TenantDb } from '@codetrack/db';
import { afterCursor } from '../../lib/cursor.ts';
import { findProgramOrThrow } from '../programs/service.ts';
import { neutralizeFormula, writeCsv } from './csv.ts';
import { buildPartnerFilter, buildReferralUrl, type PartnerLinks } from './service.ts';

const EXPORT_COLUMNS = ['email', 'name', 'status', 'referralKey', 'referralUrl', 'createdAt'];
const BATCH = 1000;

/** Every partner of the program (optionally filtered) as CSV, newest first. */
export async function exportPartnersCsv(db: TenantDb, links: PartnerLinks, programId: string, filters: { q?: string | undefined; status?: PartnerStatus | undefined }) {
  await findProgramOrThrow(db, programId);
  const where = buildPartnerFilter(programId, filters);
  const records: string[][] = [EXPORT_COLUMNS];
  let cursor: { createdAt: Date; id: string } | null = null;
  // Pages by keyset so a large program is read in bounded queries rather than one huge one.
  for (;;) {
    const rows: { id: string; email: string; name: string; status: PartnerStatus; referralKey: string; createdAt: Date }[] = await db.partner.findMany({
      where: { AND: [where, afterCursor(cursor)] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: BATCH,
      select: { id: true, email: true, name: true, status: true, referralKey: true, createdAt: true },
    });
    for (const p of rows) {
      records.push([neutralizeFormula(p.email), neutralizeFormula(p.name), p.status, p.referralKey, buildReferralUrl(links, p.referralKey), p.createdAt.toISOString()]);
    }
    const last = rows.at(-1);
    if (rows.length < BATCH || !last) break;
    cursor = { createdAt: last.createdAt, id: last.id };
  }
  return writeCsv(records);
}
