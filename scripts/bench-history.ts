/**
 * Benchmark of the call history database: the real Dexie code (schema, queries, the history
 * service the background answers the panel with, the day totals of analytics) in a page of real
 * Chromium over its real IndexedDB, with 100,000 calls and 20,000 notes. Prints figures beside
 * their targets; asserts nothing.
 *
 *   sh tests/e2e/harness/isolated.sh npx node scripts/bench-history.ts
 *   BENCH_ROUNDS=50 BENCH_CALLS=200000 …
 *
 * Plain TypeScript that Node strips: no enums, no parameter properties.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';
import { launchChromium } from '../tests/e2e/harness/chromium.ts';
import { makeTempDir, removeDir } from '../tests/e2e/harness/process.ts';
import { startStaticServer } from '../tests/e2e/harness/static-server.ts';
import type { HistoryBenchApi } from './bench-history/page.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
const NOTES = Number(process.env.BENCH_NOTES ?? 20_000);
const NUMBERS = 5_000;
const DAYS = 365;
const ZONE = 'Europe/Moscow';
const DAY_MS = 86_400_000;

/** The issue's targets (ms, median). */
const TARGETS = { timeline: 10, firstPage: 20, analytics: 150, search: 50 };

type BenchWindow = typeof globalThis & { HistoryBench: HistoryBenchApi };

async function buildPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: ROOT,
    publicDir: false,
    resolve: { alias: { '@/': `${ROOT}/` } },
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      lib: { entry: path.join(ROOT, 'scripts/bench-history/page.ts'), formats: ['iife'], name: 'HistoryBenchBundle', fileName: () => 'history-bench.js' },
    },
  });
  await writeFile(path.join(outDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>history bench</title><script src="history-bench.js"></script>');
}

function stats(values: number[]): { median: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: pick(0.5), p95: pick(0.95), max: sorted.at(-1)! };
}

function row(label: string, values: number[], target?: number, note = ''): string {
  const { median, p95 } = stats(values);
  const verdict = target === undefined ? '' : median <= target ? 'pass' : 'MISS';
  const ms = (v: number): string => `${v.toFixed(1)} ms`.padStart(10);
  return `  ${label.padEnd(48)} ${ms(median)} ${ms(p95)}   ${(target === undefined ? '' : `≤ ${target} ms`).padEnd(10)} ${verdict.padEnd(5)} ${note}`;
}

async function main(): Promise<void> {
  const work = await makeTempDir('bench-history');
  const chromium = await launchChromium();
  let server: Awaited<ReturnType<typeof startStaticServer>> | undefined;
  try {
    process.stdout.write('building the history benchmark page…\n');
    await buildPage(work);
    server = await startStaticServer({ '/': work });
    const page = await chromium.browser.newPage();
    await page.goto(`${server.url}/index.html`, { waitUntil: 'load' });
    const now = Date.UTC(2025, 11, 31, 21);
    process.stdout.write(`inserting ${CALLS.toLocaleString('en')} calls and ${NOTES.toLocaleString('en')} notes…\n`);
    const seeded = await page.evaluate(
      (options) => (globalThis as BenchWindow).HistoryBench.seed(options),
      { calls: CALLS, notes: NOTES, numbers: NUMBERS, days: DAYS, now },
    );
    const bench = <K extends keyof HistoryBenchApi>(method: K, ...args: Parameters<HistoryBenchApi[K]>) =>
      page.evaluate(
        (name, list) => ((globalThis as BenchWindow).HistoryBench[name] as (...a: unknown[]) => Promise<unknown>)(...list),
        method,
        args as unknown[],
      ) as ReturnType<HistoryBenchApi[K]>;

    const year = { from: now - DAYS * DAY_MS, to: now };
    const month = { from: Date.UTC(2025, 9, 31, 21), to: Date.UTC(2025, 10, 30, 21) };
    const buildTotals = await bench('analytics', year.from, year.to, ZONE);
    const size = await bench('dayTotalsSize');

    const series: Record<string, number[]> = {};
    const sizes: Record<string, number> = {};
    const add = (name: string, result: { ms: number; size: number }): void => {
      (series[name] ??= []).push(result.ms);
      sizes[name] = result.size;
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      add('timeline', await bench('timeline', seeded.busyNumber));
      add('firstPage', await bench('firstPage'));
      add('missedPage', await bench('missedPage'));
      add('analyticsYear', await bench('analytics', year.from, year.to, ZONE));
      add('analyticsMonth', await bench('analytics', month.from, month.to, ZONE));
      add('analyticsPartial', await bench('analytics', year.from + 13 * 3_600_000, year.to - 5 * 3_600_000, ZONE));
      add('searchDigits', await bench('search', seeded.queries.digits));
      add('searchName', await bench('search', seeded.queries.name));
      add('searchNote', await bench('search', seeded.queries.noteWord));
    }
    const notesFound = await bench('notesMatching', seeded.queries.noteWord);
    const scans: number[] = [];
    for (let round = 0; round < Math.min(ROUNDS, 5); round += 1) scans.push((await bench('analyticsScan', year.from, year.to, ZONE)).ms);

    const out: string[] = [];
    out.push('');
    out.push(`History database benchmark: Chromium ${await chromium.browser.version()}, real IndexedDB, ${ROUNDS} rounds, ${new Date().toISOString()}`);
    out.push(`  ${CALLS.toLocaleString('en')} calls (${NUMBERS.toLocaleString('en')} numbers, ${DAYS} days, 60 % inbound), ${NOTES.toLocaleString('en')} notes; times in ${ZONE}`);
    out.push('');
    out.push(`  bulk insert: calls ${(seeded.callsMs / 1000).toFixed(2)} s (${Math.round(CALLS / (seeded.callsMs / 1000)).toLocaleString('en')}/s), notes ${(seeded.notesMs / 1000).toFixed(2)} s, number directory + callback links ${(seeded.derivedMs / 1000).toFixed(2)} s`);
    out.push(`  first full-year analytics, counting all ${size.rows} day totals from the calls: ${(buildTotals.ms / 1000).toFixed(2)} s (totals ≈ ${(size.bytes / 1024).toFixed(0)} kB as JSON)`);
    out.push('');
    out.push(`  ${''.padEnd(48)} ${'median'.padStart(10)} ${'p95'.padStart(10)}   target`);
    out.push(row(`one number's timeline (${seeded.busyNumberCalls} calls; ${sizes.timeline} shown)`, series.timeline!, TARGETS.timeline));
    out.push(row('first page of history (50 rows with notes)', series.firstPage!, TARGETS.firstPage));
    out.push(row('first page of missed calls', series.missedPage!, TARGETS.firstPage));
    out.push(row('analytics, full range (365 days)', series.analyticsYear!, TARGETS.analytics, `${sizes.analyticsYear} calls`));
    out.push(row('analytics, full range with partial edge days', series.analyticsPartial!, TARGETS.analytics));
    out.push(row('analytics, one month', series.analyticsMonth!, TARGETS.analytics, `${sizes.analyticsMonth} calls`));
    out.push(row('analytics, full range by reading every call', scans, undefined, 'for comparison: what the day totals save'));
    out.push(row(`search by digits "${seeded.queries.digits}"`, series.searchDigits!, TARGETS.search, `${sizes.searchDigits} rows`));
    out.push(row(`search by name "${seeded.queries.name}"`, series.searchName!, TARGETS.search, `${sizes.searchName} rows`));
    out.push(row(`search by note word "${seeded.queries.noteWord}"`, series.searchNote!, TARGETS.search, `${sizes.searchNote} rows (the query layer finds ${notesFound} notes)`));
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await server?.stop();
    await chromium.close();
    await removeDir(work, 5);
  }
}

await main();
