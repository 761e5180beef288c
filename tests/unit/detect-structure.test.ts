import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../lib/detect');
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
const sources = files.map((file) => ({ file, source: readFileSync(join(DIR, file), 'utf8') }));

describe('lib/detect structure', () => {
  it.each(files)('%s has a kebab-case name', (file) => {
    expect(file).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*\.ts$/);
  });

  // The content script must stay under 60 kB gzipped: libphonenumber-js's "max" metadata alone does
  // not fit, and the default entry point bundles it too.
  it.each(sources)('$file imports libphonenumber-js only through its "min" build', ({ source }) => {
    const imports = [...source.matchAll(/from '(libphonenumber-js[^']*)'/g)].map((m) => m[1]);
    expect(imports.filter((i) => i !== 'libphonenumber-js/min')).toEqual([]);
  });

  // The detector runs in content scripts: no browser extension APIs, no DOM globals (the DOM it
  // reads is passed in, so it works on frames and under linkedom), no console.
  it.each(sources)('$file uses no extension API, document/window global or console', ({ source }) => {
    const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/\b(?:browser|chrome)\.|#imports|\bdocument\.|\bwindow\.|\bconsole\./);
  });

  it.each(sources)('$file documents its exports', ({ source }) => {
    const lines = source.split('\n');
    const undocumented = lines
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => /^export (?:async )?(?:function|class|interface|type|const|enum)\b/.test(line))
      .filter(({ i }) => !/\*\/\s*$/.test(lines[i - 1] ?? ''))
      .map(({ line }) => line);
    expect(undocumented).toEqual([]);
  });
});
