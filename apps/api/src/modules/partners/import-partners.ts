import { normalizeCode, validateCodeFormat } from '@codetrack/core';
import { Email, PARTNER_IMPORT_MAX_ROWS, type ImportPartnersInput, type PartnerImportResult } from '@codetrack/contracts';
import { enqueueSyncLinks, insertCodesForPartners, resolveRestrictions, type PendingLink, type TenantDb } from '@codetrack/db';
import type { DefaultRestrictions } from '@codetrack/contracts';
import { recordAudit } from '../../lib/audit.ts';
import { badRequest } from '../../lib/errors.ts';
import type { Principal } from '../../plugins/auth.ts';
import type { SyncDeps } from '../coupons/service.ts';
import { findActiveProgramOrThrow } from '../programs/service.ts';
import { findCodeProblems } from '../promotion-codes/checks.ts';
import { CsvSyntaxError, isBlankRecord, parseCsv } from './csv.ts';
import { claimReferralKeys, createKeyPlanner, deriveBaseReferralKey, splitName } from './referral-keys.ts';
import { createInvitation, mailInvitations, rethrowUniqueViolation, type InvitationMail, type PartnerLinks } from './service.ts';

type Detail = { path: string; message: string };
type ImportRow = { row: number; email: string; name: string; code: string | null };

const REQUIRED_COLUMNS = ['email', 'name'] as const;

// 10,000 rows of inserts plus their keys take longer than Prisma's 5 s default.
const IMPORT_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };

const csvInvalid = (details: Detail[]) =>
  badRequest('csv_invalid', `The CSV has ${details.length} problem${details.length === 1 ? '' : 's'}; nothing was imported. Fix them and upload it again.`, details);

/** Reads the header and every row, collecting every problem instead of stopping at the first. */
function readRows(csv: string): { rows: ImportRow[]; problems: Detail[] } {
  let records: string[][];
  try {
    records = parseCsv(csv);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw csvInvalid([{ path: `row ${err.row}`, message: err.message }]);
    throw err;
  }
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw csvInvalid(missing.map((c) => ({ path: 'row 1', message: `the header has no "${c}" column (expected: email, name and optionally code)` })));

  const column = (name: string) => header.indexOf(name);
  const [emailAt, nameAt, codeAt] = [column('email'), column('name'), column('code')];
  // Row numbers as a spreadsheet shows them: the header is row 1.
  const dataRecords = records.slice(1).map((fields, i) => ({ fields, row: i + 2 })).filter((r) => !isBlankRecord(r.fields));
  if (dataRecords.length === 0) throw csvInvalid([{ path: 'csv', message: 'has a header but no rows' }]);
  if (dataRecords.length > PARTNER_IMPORT_MAX_ROWS) {
    throw csvInvalid([{ path: 'csv', message: `has ${dataRecords.length} rows; the limit is ${PARTNER_IMPORT_MAX_ROWS} per file` }]);
  }

  const problems: Detail[] = [];
  const rows: ImportRow[] = [];
  const emailRows = new Map<string, number>();
  const codeRows = new Map<string, number>();
  for (const { fields, row } of dataRecords) {
    if (fields.length !== header.length) {
      problems.push({ path: `row ${row}`, message: `has ${fields.length} fields; the header has ${header.length}` });
      continue;
    }
    const rawEmail = (fields[emailAt] ?? '').trim();
    const name = (fields[nameAt] ?? '').trim();
    const code = codeAt >= 0 ? (fields[codeAt] ?? '').trim() || null : null;

    const email = Email.safeParse(rawEmail);
    if (!email.success) {
      problems.push({ path: `row ${row}: email`, message: rawEmail ? `"${rawEmail}" is not a valid email address` : 'is empty' });
    } else {
      const firstRow = emailRows.get(email.data);
      if (firstRow) problems.push({ path: `row ${row}: email`, message: `${email.data} is also on row ${firstRow}` });
      else emailRows.set(email.data, row);
    }
    if (!name) problems.push({ path: `row ${row}: name`, message: 'is empty' });
    else if (name.length > 120) problems.push({ path: `row ${row}: name`, message: 'is longer than 120 characters' });
    if (code) {
      const formatProblems = validateCodeFormat(code);
      for (const p of formatProblems) problems.push({ path: `row ${row}: code`, message: p.message });
      const firstRow = codeRows.get(normalizeCode(code));
      if (!formatProblems.length && firstRow) problems.push({ path: `row ${row}: code`, message: `${code} is also on row ${firstRow}` });
      else if (!formatProblems.length) codeRows.set(normalizeCode(code), row);
    }
    if (email.success) rows.push({ row, email: email.data, name, code });
  }
  return { rows, problems };
}

/** What an import needs besides the database: sync jobs, link addresses and the invitation mailer. */
export type ImportDeps = SyncDeps & { links: PartnerLinks; mail: InvitationMail };

/**
 * Imports partners from CSV all or nothing: every row is checked first (format, duplicates in the
 * file, partners already in the program) and any problem rejects the whole file with every bad row
 * listed; otherwise every partner and referral key is created in one transaction. After commit,
 * each new partner is mailed their invitation unless `sendInvitations` is false.
 */
export async function importPartners(db: TenantDb, deps: ImportDeps, actor: Principal, programId: string, input: ImportPartnersInput): Promise<PartnerImportResult> {
  const program = await findActiveProgramOrThrow(db, programId);
  const { rows, problems } = readRows(input.csv);
  const codeCoupon = await checkImportCodes(db, program, rows, problems);
  const existing = await db.partner.findMany({ where: { programId, email: { in: rows.map((r) => r.email) } }, select: { email: true } });
  const existingEmails = new Set(existing.map((p) => p.email));
  for (const r of rows) {
    if (existingEmails.has(r.email)) problems.push({ path: `row ${r.row}: email`, message: `${r.email} is already a partner in this program` });
  }
  if (problems.length) {
    const rowOf = (d: Detail) => Number(/^row (\d+)/.exec(d.path)?.[1] ?? 0);
    throw csvInvalid(problems.sort((a, b) => rowOf(a) - rowOf(b)));
  }

  const planner = createKeyPlanner();
  const plans = new Map(
    rows.map((r) => {
      const base = deriveBaseReferralKey(r.name, r.email);
      return [r.email, { base, key: planner.next(base) }];
    }),
  );
  // Only the hashes go into the rows; the tokens exist in the mails alone.
  const now = Date.now();
  const invitations = input.sendInvitations ? new Map(rows.map((r) => [r.email, createInvitation(deps.links, now)])) : null;
  let pending: PendingLink[] | { connectionIds: string[] } = [];
  let imported: PartnerImportResult;
  let created: { id: string; email: string; name: string }[];
  try {
    ({ imported, created } = await db.$transaction(async (tx) => {
      const partners = await tx.partner.createManyAndReturn({
        data: rows.map((r) => ({
          programId,
          email: r.email,
          name: r.name,
          ...splitName(r.name),
          status: 'invited',
          referralKey: plans.get(r.email)?.key ?? '',
          ...invitations?.get(r.email)?.columns,
        })) as never,
        select: { id: true, email: true, name: true, referralKey: true },
      });
      const keys = await claimReferralKeys(
        tx,
        planner,
        partners.map((p) => ({ partnerId: p.id, programId, base: plans.get(p.email)?.base ?? p.referralKey, key: p.referralKey })),
      );
      // Rows were created with their planned keys; only those someone else already held move on.
      for (const p of partners) {
        const key = keys.get(p.id);
        if (key && key !== p.referralKey) {
          await tx.partner.update({ where: { id: p.id }, data: { referralKey: key } });
          p.referralKey = key;
        }
      }
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actor,
        action: 'partners.imported',
        entityType: 'program',
        entityId: programId,
        data: { created: partners.length },
      });
      const idByEmail = new Map(partners.map((p) => [p.email, p.id]));
      const codes = rows.flatMap((r) => {
        const partnerId = idByEmail.get(r.email);
        return r.code && partnerId ? [{ partnerId, code: normalizeCode(r.code) }] : [];
      });
      if (codeCoupon && codes.length) {
        // Same transaction as the partners: a file with a code taken meanwhile imports nothing.
        const written = await insertCodesForPartners(tx, { ...codeCoupon, workspaceId: actor.workspaceId, codes, source: 'manual' });
        pending = written.syncLinks ?? { connectionIds: codeCoupon.connectionIds };
      }
      return {
        imported: {
          created: partners.length,
          partners: partners.map((p) => ({ id: p.id, email: p.email, referralKey: p.referralKey })),
          codes,
          invitationsSent: 0,
        },
        created: partners,
      };
    }, IMPORT_TRANSACTION));
  } catch (err) {
    rethrowUniqueViolation(err);
  }
  await enqueueSyncLinks(deps.jobs, pending, (err) => deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  if (!invitations) return imported;
  const recipients = created.flatMap((p) => {
    const invitation = invitations.get(p.email)?.invitation;
    return invitation ? [{ id: p.id, email: p.email, name: p.name, invitation }] : [];
  });
  return { ...imported, invitationsSent: await mailInvitations(deps.mail, program, recipients) };
}

/**
 * The optional code column creates each partner's code on the program's auto-code coupon, so the
 * codes are checked like any other code (platforms of that coupon, reserved words, already taken)
 * and every problem is reported with its row before anything is written.
 */
async function checkImportCodes(db: TenantDb, program: { id: string; currency: string; autoCodeCouponId: string | null }, rows: ImportRow[], problems: Detail[]) {
  const withCodes = rows.filter((r) => r.code);
  if (withCodes.length === 0) return null;
  const coupon = program.autoCodeCouponId
    ? await db.coupon.findUnique({ where: { id: program.autoCodeCouponId }, include: { connections: { include: { connection: { select: { platform: true } } } } } })
    : null;
  if (!coupon || coupon.status !== 'active') {
    problems.push({ path: 'column code', message: "needs a coupon to create the codes on: choose the program's auto-code coupon in the program settings first, or remove the column" });
    return null;
  }
  const platforms = [...new Set(coupon.connections.map((c) => c.connection.platform))];
  const { reservedWords } = await db.workspace.findFirstOrThrow({ select: { reservedWords: true } });
  const normalized = withCodes.map((r) => normalizeCode(r.code ?? ''));
  const taken = new Set((await db.promotionCode.findMany({ where: { normalizedCode: { in: normalized } }, select: { normalizedCode: true } })).map((c) => c.normalizedCode));
  for (const r of withCodes) {
    const code = normalizeCode(r.code ?? '');
    if (validateCodeFormat(code).length) continue;
    for (const p of findCodeProblems(code, platforms, reservedWords)) problems.push({ path: `row ${r.row}: code`, message: p.message });
    if (taken.has(code)) problems.push({ path: `row ${r.row}: code`, message: `${code} is already in use in this workspace` });
  }
  return {
    coupon,
    connectionIds: coupon.connections.map((c) => c.connectionId),
    restrictions: resolveRestrictions(coupon.defaultRestrictions as DefaultRestrictions, {}, coupon.currency ?? program.currency),
  };
}
