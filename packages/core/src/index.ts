export * from './money.ts';
export * from './random.ts';
export * from './codes.ts';
export * from './code-patterns.ts';
export * from './restrictions.ts';
export * from './attribution.ts';
export * from './commissions.ts';
export * from './ledger.ts';
