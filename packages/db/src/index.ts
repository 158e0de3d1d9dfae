export { createPrismaClient, type Db } from './client.ts';
export { scopeToWorkspace, type TenantDb } from './tenant.ts';
export { createAdapterFactory, defaultPgliteDir, poolConfigFromUrl, type DatabaseTarget } from './adapters.ts';
export { migrateDatabase } from './migrate.ts';
export { Prisma } from './generated/prisma/client.ts';
export type * from './generated/prisma/client.ts';
export * from './generated/prisma/enums.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { seedDemo, demoLogins } from './seed.ts';
