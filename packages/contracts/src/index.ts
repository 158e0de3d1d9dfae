export * from './common.ts';
export * from './restrictions.ts';
export * from './auth.ts';
export * from './jobs.ts';
