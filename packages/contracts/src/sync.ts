// Filled in by its feature; exported from index.ts.
export {};
