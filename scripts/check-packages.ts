/**
 * Checks what `npm run zip` produced, the way a store reviewer would use it: the Chrome and Firefox
 * packages hold exactly the builds in `.output/`, and the Firefox sources archive rebuilds the
 * Firefox package byte for byte. Usage: `npm run zip && node scripts/check-packages.ts`.
 *
 * The rebuild runs in a temporary folder with the archive's files only. `npm ci` needs the network,
 * so the folder borrows this project's `node_modules` instead, after checking that the archive's
 * `package-lock.json` is this project's (the same dependencies `npm ci` would install).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readZip } from './read-zip.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUTPUT = path.join(ROOT, '.output');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const archive = (suffix: string) => path.join(OUTPUT, `${pkg.name}-${pkg.version}-${suffix}.zip`);

const problems: string[] = [];

/** Every file under `dir`, as paths relative to it with `/` separators. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix)).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry}` : entry;
    return statSync(path.join(dir, relative)).isDirectory() ? filesUnder(dir, relative) : [relative];
  });
}

const digest = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Compares an archive's files with a folder's; returns how many files matched. */
function sameFiles(label: string, files: Map<string, Buffer>, dir: string): number {
  const onDisk = filesUnder(dir).sort();
  const inZip = [...files.keys()].sort();
  for (const file of onDisk.filter((f) => !files.has(f))) problems.push(`${label}: ${file} is missing`);
  for (const file of inZip.filter((f) => !onDisk.includes(f))) problems.push(`${label}: ${file} is extra`);
  let same = 0;
  for (const file of onDisk.filter((f) => files.has(f))) {
    if (digest(readFileSync(path.join(dir, file))) === digest(files.get(file)!)) same += 1;
    else problems.push(`${label}: ${file} differs`);
  }
  return same;
}

for (const [suffix, build] of [
  ['chrome', 'chrome-mv3'],
  ['firefox', 'firefox-mv2'],
] as const) {
  const files = readZip(readFileSync(archive(suffix)));
  const same = sameFiles(`${suffix} package`, files, path.join(OUTPUT, build));
  console.log(`[packages] ${path.basename(archive(suffix))}: ${files.size} files, ${same} identical to .output/${build}`);
}

// Rebuild Firefox from the sources archive alone.
const sources = readZip(readFileSync(archive('sources')));
const work = mkdtempSync(path.join(os.tmpdir(), 'sources-rebuild-'));
try {
  for (const [name, data] of sources) {
    mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
    writeFileSync(path.join(work, name), data);
  }
  if (digest(sources.get('package-lock.json') ?? Buffer.alloc(0)) !== digest(readFileSync(path.join(ROOT, 'package-lock.json')))) {
    problems.push('sources: package-lock.json is not this project’s');
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  const started = performance.now();
  const build = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'wxt'), ['build', '-b', 'firefox'], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
  });
  if (build.status !== 0) {
    problems.push(`sources: the Firefox build failed (exit ${build.status}):\n${build.stderr || build.stdout}`);
  } else {
    const firefox = readZip(readFileSync(archive('firefox')));
    const same = sameFiles('rebuilt from sources', firefox, path.join(work, '.output', 'firefox-mv2'));
    console.log(
      `[packages] ${path.basename(archive('sources'))}: ${sources.size} files; rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s, ${same} of ${firefox.size} files identical to the Firefox package`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`[packages] ${problem}`);
  process.exit(1);
}
console.log('[packages] ok: both packages match their builds, and the sources rebuild the Firefox package');
