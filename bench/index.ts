// pnpm bench [--quick] [name ...] — runs every benchmark (or the named ones) as a child process,
// one after the other so they do not measure each other, collects the rows each writes to
// BENCH_RESULT_FILE (bench/lib/report.ts), prints one table, writes bench/results.json with the
// machine it ran on, and exits non-zero when any row failed. A bench that writes no result (it
// crashed, or does not report yet) is a failed row, never a crash of this script.
// --quick sets BENCH_QUICK=1: each bench runs a small variant and judges correctness only.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { testServerUrl } from '../packages/db/src/testing/databases.ts';
import { poolConfigFromUrl } from '../packages/db/src/adapters.ts';
import type { BenchResult, BenchRow } from './lib/report.ts';
import { pg } from './lib/sql.ts';

const benches = ['codes', 'sync', 'webhooks', 'lists', 'scaling'] as const;
const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const selected = args.filter((a) => !a.startsWith('--'));
const unknown = selected.filter((name) => !(benches as readonly string[]).includes(name));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${benches.join(', ')}`);
  process.exit(2);
}
// Generous: a full lists run seeds 2.2 million rows per table family on two cores.
const timeoutMs = quick ? 5 * 60_000 : 45 * 60_000;

type Outcome = { name: string; exitCode: number | null; signal: string | null; seconds: number; timedOut: boolean; rows: BenchRow[] };

let running: ReturnType<typeof spawn> | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // The child leads its own process group (it may spawn APIs and workers): stop all of it.
    if (running?.pid) process.kill(-running.pid, 'SIGTERM');
    process.exit(130);
  });
}

function runBench(name: string, dir: string): Promise<Outcome> {
  const resultFile = join(dir, `${name}.json`);
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', `${name}.ts`)], {
      cwd: root,
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, BENCH_RESULT_FILE: resultFile, ...(quick ? { BENCH_QUICK: '1' } : {}) },
    });
    running = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    const finish = (exitCode: number | null, signal: string | null) => {
      clearTimeout(timer);
      running = null;
      done({ name, exitCode, signal, timedOut, seconds: (performance.now() - started) / 1000, rows: readRows(resultFile, name) });
    };
    child.once('exit', finish);
    // Could not start at all (no exit event follows).
    child.once('error', (err) => {
      console.error(`bench ${name} did not start: ${err.message}`);
      finish(null, null);
    });
  });
}

function readRows(file: string, name: string): BenchRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  try {
    const result = JSON.parse(text) as BenchResult;
    if (result.name !== name || !Array.isArray(result.rows)) throw new Error('not a bench result');
    return result.rows;
  } catch (err) {
    return [{ metric: `unreadable result file: ${String(err)}`, ours: 0, baseline: null, ratio: null, unit: '', target: 'a valid result', pass: false }];
  }
}

/** The rows of one bench, with a failed row added when it wrote nothing or did not exit cleanly. */
function rowsOf(o: Outcome): BenchRow[] {
  const how = o.timedOut ? `killed after ${timeoutMs / 60_000} min` : o.signal ? `killed by ${o.signal}` : `exit code ${o.exitCode}`;
  if (o.rows.length === 0) return [{ metric: `no result written (${how})`, ours: 0, baseline: null, ratio: null, unit: '', target: 'a result file', pass: false }];
  if (o.exitCode !== 0 && o.rows.every((r) => r.pass)) return [...o.rows, { metric: `process ended badly (${how})`, ours: o.exitCode ?? -1, baseline: null, ratio: null, unit: '', target: 'exit code 0', pass: false }];
  return o.rows;
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client(poolConfigFromUrl(testServerUrl));
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } catch (err) {
    return `unreachable (${String(err)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function git(...gitArgs: string[]): string {
  try {
    return execFileSync('git', gitArgs, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function format(value: number | null, unit = ''): string {
  if (value === null) return '';
  const abs = Math.abs(value);
  const digits = abs >= 100 || Number.isInteger(value) ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const text = value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

function printTable(header: string[], lines: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(row(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(row(line));
}

async function main() {
  const names = selected.length ? benches.filter((b) => selected.includes(b)) : [...benches];
  const startedAt = new Date();
  const dir = mkdtempSync(join(tmpdir(), 'codetrack-bench-'));
  const outcomes: Outcome[] = [];
  try {
    for (const name of names) {
      console.log(`\n=== bench ${name}${quick ? ' (quick)' : ''} ===`);
      outcomes.push(await runBench(name, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const rows = outcomes.flatMap((o) => rowsOf(o).map((r) => ({ benchmark: o.name, ...r })));
  const machine = {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: await postgresVersion(),
    dateUtc: startedAt.toISOString(),
    gitCommit: git('rev-parse', 'HEAD'),
    gitDirty: git('status', '--porcelain') !== '',
  };
  const results = {
    quick,
    machine,
    benchmarks: outcomes.map((o) => ({ name: o.name, exitCode: o.exitCode, signal: o.signal, timedOut: o.timedOut, seconds: Math.round(o.seconds * 10) / 10 })),
    rows,
  };
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

  console.log(`\npnpm bench${quick ? ' --quick' : ''} — ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, Postgres ${machine.postgres}, ${machine.dateUtc}, ${machine.gitCommit.slice(0, 12)}${machine.gitDirty ? ' (uncommitted changes)' : ''}\n`);
  printTable(
    ['benchmark', 'metric', 'ours', 'baseline', 'ratio', 'target', 'pass'],
    rows.map((r) => [r.benchmark, r.metric, format(r.ours, r.unit), format(r.baseline, r.unit), r.ratio === null ? '' : format(r.ratio), r.target, r.pass ? 'yes' : 'NO']),
  );
  const failed = rows.filter((r) => !r.pass).length;
  console.log(`\n${rows.length - failed} passed, ${failed} failed; written to bench/results.json`);
  return failed === 0 ? 0 : 1;
}

process.exit(await main());
