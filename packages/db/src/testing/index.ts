import './provided.ts';
export { createTestDatabase, dropStaleTestDatabases, prepareTemplateDatabase, testServerUrl } from './databases.ts';
export { createFactories, type Factories } from './factories.ts';
export { createTestRedisPrefix, testRedisUrl } from './redis.ts';
