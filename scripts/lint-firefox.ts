/**
 * Lints the Firefox build the way Mozilla's add-on store does (`web-ext lint`, Mozilla's addons-linter)
 * and fails on any error, and on any warning or notice that is not one of the known library
 * findings below. Usage (after `wxt build -b firefox`): `node scripts/lint-firefox.ts [dir]`.
 *
 * The linter reads bundled files, where our code and the libraries' share chunks whose names change
 * from build to build; so a finding is recognised by its code and by the library source around the
 * reported line and column, not by a file name. Runs offline (no update check, no config discovery).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE_DIR = path.resolve(ROOT, process.argv[2] ?? '.output/firefox-mv2');

interface Finding {
  code: string;
  message: string;
  description?: string | string[];
  file?: string;
  line?: number;
  column?: number;
}

interface LintReport {
  count: number;
  summary: { errors: number; notices: number; warnings: number };
  errors: Finding[];
  warnings: Finding[];
  notices: Finding[];
}

/** A library finding that is expected, with the source that identifies it and why it is harmless. */
interface KnownFinding {
  code: string;
  /** The library and its file the bundled code comes from. */
  library: string;
  /** Every one of these must appear within {@link WINDOW} characters of the reported position. */
  context: string[];
  why: string;
}

const WINDOW = 400;

/** Kept in step with the README's *Firefox add-on lint* table. */
const KNOWN: KnownFinding[] = [
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    library: 'preact (src/diff/index.js, diffElementNodes)',
    context: ['dangerouslySetInnerHTML', 'innerHTML', '.__html'],
    why: 'Preact sets innerHTML only for the dangerouslySetInnerHTML prop, which no component of ours uses.',
  },
  {
    code: 'DANGEROUS_EVAL',
    library: 'zod 4 (src/v4/core/util.ts, allowsEval)',
    context: ['jitless', 'Function(``)'],
    why: 'zod probes once whether the page allows eval (to compile faster parsers); the extension CSP forbids it, the probe throws, is caught, and zod parses without eval.',
  },
];

function run(): LintReport {
  const webExt = path.join(ROOT, 'node_modules', '.bin', 'web-ext');
  const result = spawnSync(
    webExt,
    ['lint', '--source-dir', SOURCE_DIR, '--output', 'json', '--no-config-discovery'],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_UPDATE_NOTIFIER: '1' }, maxBuffer: 64 * 1024 * 1024 },
  );
  const start = result.stdout.indexOf('{');
  if (start < 0) {
    throw new Error(`web-ext lint gave no report (exit ${result.status}):\n${result.stderr || result.stdout}`);
  }
  return JSON.parse(result.stdout.slice(start)) as LintReport;
}

/** The bundled source around a finding, or '' when it has no position. */
function sourceAround(finding: Finding): string {
  if (!finding.file || finding.line === undefined) return '';
  const lines = readFileSync(path.join(SOURCE_DIR, finding.file), 'utf8').split('\n');
  const line = lines[finding.line - 1] ?? '';
  const column = finding.column ?? 0;
  return line.slice(Math.max(0, column - WINDOW), column + WINDOW);
}

function knownFor(finding: Finding): KnownFinding | undefined {
  if (!finding.file?.endsWith('.js')) return undefined;
  const around = sourceAround(finding);
  return KNOWN.find((known) => known.code === finding.code && known.context.every((piece) => around.includes(piece)));
}

function where(finding: Finding): string {
  return `${finding.file ?? '(extension)'}${finding.line === undefined ? '' : `:${finding.line}:${finding.column ?? 0}`}`;
}

const report = run();
const failures: string[] = [];
const allowed: string[] = [];
for (const finding of report.errors) failures.push(`error   ${finding.code} ${where(finding)}: ${finding.message}`);
for (const [kind, findings] of [
  ['warning', report.warnings],
  ['notice ', report.notices],
] as const) {
  for (const finding of findings) {
    const known = knownFor(finding);
    if (known) allowed.push(`${kind} ${finding.code} ${where(finding)} — ${known.library}`);
    else failures.push(`${kind} ${finding.code} ${where(finding)}: ${finding.message}`);
  }
}

const { errors, warnings, notices } = report.summary;
console.log(`[lint-firefox] ${path.relative(ROOT, SOURCE_DIR)}: ${errors} errors, ${warnings} warnings, ${notices} notices`);
for (const line of allowed) console.log(`[lint-firefox] known library finding: ${line}`);
if (failures.length > 0) {
  for (const line of failures) console.error(`[lint-firefox] ${line}`);
  console.error(`[lint-firefox] ${failures.length} finding(s) in our code: fix them, or (for a library) add them to KNOWN with the reason`);
  process.exit(1);
}
console.log('[lint-firefox] clean: no errors, no warnings or notices from our code');
