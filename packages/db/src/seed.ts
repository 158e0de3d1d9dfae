import type { Db } from './client.ts';
import { hashPassword } from './passwords.ts';

/** Demo sign-ins printed at start. Development data only: never run the seed in production. */
export const demoLogins = {
  merchant: { email: 'demo@codetrack.test', password: 'demo-password-123' },
  partners: [
    { email: 'john@partners.test', name: 'John Smith', firstName: 'John', lastName: 'Smith', referralKey: 'john', code: 'JOHN20' },
    { email: 'sarah@partners.test', name: 'Sarah Lee', firstName: 'Sarah', lastName: 'Lee', referralKey: 'sarah', code: 'SARAH20' },
    { email: 'ana@partners.test', name: 'Ana García', firstName: 'Ana', lastName: 'García', referralKey: 'ana', code: 'ANA20' },
  ],
  partnerPassword: 'partner-password-123',
} as const;

/**
 * Creates the demo workspace once: a merchant login, one program, three partners with portal
 * logins, a 20% coupon and a code for each partner. Running it again changes nothing.
 */
export async function seedDemo(db: Db): Promise<{ created: boolean; programId: string }> {
  const existing = await db.user.findUnique({
    where: { email: demoLogins.merchant.email },
    include: { memberships: { include: { workspace: { include: { programs: true } } } } },
  });
  const existingProgram = existing?.memberships[0]?.workspace.programs[0];
  if (existingProgram) return { created: false, programId: existingProgram.id };

  const [merchantHash, partnerHash] = await Promise.all([hashPassword(demoLogins.merchant.password), hashPassword(demoLogins.partnerPassword)]);
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email: demoLogins.merchant.email, name: 'Demo Merchant', passwordHash: merchantHash } });
    const workspace = await tx.workspace.create({ data: { name: 'Demo Shop', reservedWords: ['FREE', 'ADMIN'] } });
    await tx.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role: 'owner' } });
    const program = await tx.program.create({
      data: {
        workspaceId: workspace.id,
        name: 'Demo Partner Program',
        currency: 'USD',
        landingUrl: 'https://shop.example.test/',
        cookieLifetimeDays: 30,
        commissionType: 'percent',
        commissionValue: 2000,
        commissionDuration: 'first_order',
        holdPeriodDays: 30,
        portalAccentColor: '#4f46e5',
      },
    });
    const coupon = await tx.coupon.create({
      data: { workspaceId: workspace.id, programId: program.id, name: 'Partner discount 20%', discountType: 'percent', percentOffBps: 2000, duration: 'once' },
    });
    for (const p of demoLogins.partners) {
      const partner = await tx.partner.create({
        data: {
          workspaceId: workspace.id,
          programId: program.id,
          email: p.email,
          name: p.name,
          firstName: p.firstName,
          lastName: p.lastName,
          status: 'active',
          referralKey: p.referralKey,
          passwordHash: partnerHash,
        },
      });
      await tx.referralKey.create({ data: { key: p.referralKey, workspaceId: workspace.id, programId: program.id, partnerId: partner.id } });
      const code = await tx.promotionCode.create({
        data: { workspaceId: workspace.id, programId: program.id, couponId: coupon.id, code: p.code, normalizedCode: p.code, partnerId: partner.id, source: 'manual' },
      });
      await tx.promotionCodeAssignment.create({ data: { workspaceId: workspace.id, promotionCodeId: code.id, partnerId: partner.id } });
    }
    await tx.auditLog.create({ data: { workspaceId: workspace.id, actorType: 'system', action: 'demo.seeded', entityType: 'workspace', entityId: workspace.id } });
    return { created: true, programId: program.id };
  });
}
