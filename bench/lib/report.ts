// What every benchmark hands to `pnpm bench` (bench/index.ts): one JSON file per run, named by
// BENCH_RESULT_FILE, with one row per measured figure. Run on its own, a bench writes nothing.
import { writeFileSync } from 'node:fs';

export type BenchRow = {
  metric: string;
  ours: number;
  /** The same figure for the reference the bench compares against (raw SQL, a bare route, the rate limit); null when there is none. */
  baseline: number | null;
  /** ours / baseline, or null without a baseline. */
  ratio: number | null;
  unit: string;
  /** The target in words ("p95 <= 100 ms"), "info", or "n/a (quick)" when a quick run cannot judge it. */
  target: string;
  pass: boolean;
};

export type BenchResult = { name: string; rows: BenchRow[] };

/** `pnpm bench --quick` sets BENCH_QUICK=1: a small variant that checks correctness in seconds. */
export const benchQuick = process.env.BENCH_QUICK === '1';

/** The target label of a quick run for figures that only mean something at full size. */
export const quickTarget = 'n/a (quick)';

/** A row; the ratio is computed from ours and baseline. */
export function benchRow(input: Omit<BenchRow, 'ratio' | 'baseline'> & { baseline?: number | null }): BenchRow {
  const baseline = input.baseline ?? null;
  const ratio = baseline === null || baseline === 0 ? null : input.ours / baseline;
  return { metric: input.metric, ours: input.ours, baseline, ratio, unit: input.unit, target: input.target, pass: input.pass };
}

/** Writes the result for `pnpm bench` when BENCH_RESULT_FILE is set; otherwise does nothing. */
export function writeBenchResult(name: string, rows: BenchRow[]): void {
  const file = process.env.BENCH_RESULT_FILE;
  if (!file) return;
  // JSON has no NaN or Infinity: a figure that could not be measured becomes 0 and must fail its row.
  const clean = rows.map((r) => ({ ...r, ours: Number.isFinite(r.ours) ? r.ours : 0, ratio: r.ratio !== null && Number.isFinite(r.ratio) ? r.ratio : null }));
  writeFileSync(file, `${JSON.stringify({ name, rows: clean } satisfies BenchResult, null, 2)}\n`);
}

export type Check = { check: string; pass: boolean; value: string | number };

/** Prints a bench's own table and the passed/failed line; true when every check passed. */
export function printChecks(title: string, checks: Check[]): boolean {
  console.log(`\n${title}`);
  console.table(checks);
  const passed = checks.filter((c) => c.pass).length;
  console.log(`${passed} passed, ${checks.length - passed} failed`);
  return passed === checks.length;
}

/** The p-th percentile (nearest rank) of a list of numbers; 0 for an empty list. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
