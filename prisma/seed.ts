// `pnpm db:seed` / `prisma db seed`: the demo workspace (see packages/db/src/seed.ts).
import { createPrismaClient, demoLogins, seedDemo } from '../packages/db/src/index.ts';

const db = createPrismaClient({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.PGLITE_DIR });
try {
  const { created, programId } = await seedDemo(db);
  console.log(created ? 'Demo workspace created.' : 'Demo workspace already present.');
  console.log(`Merchant: ${demoLogins.merchant.email} / ${demoLogins.merchant.password}`);
  console.log(`Partners (program ${programId}): ${demoLogins.partners.map((p) => p.email).join(', ')} / ${demoLogins.partnerPassword}`);
} finally {
  await db.$disconnect();
}
