import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import * as appDb from '@/lib/db/app-db';

/**
 * Schema versions are append-only and each older one has a migration test from a frozen fixture.
 * A new `version(n)` in `lib/db/app-db.ts` fails here until `tests/fixtures/db/v{n-1}.ts` and a
 * "migration from v{n-1}" suite exist, and an edit to a shipped version fails against its fixture.
 */
const root = join(import.meta.dirname, '../..');
const appDbSource = readFileSync(join(root, 'lib/db/app-db.ts'), 'utf8');
const migrationTests = readFileSync(join(root, 'tests/unit/db-migrations.test.ts'), 'utf8');
const declared = [...appDbSource.matchAll(/this\.version\((\d+)\)/g)].map((match) => Number(match[1]));
const older = declared.filter((version) => version < appDb.LATEST_SCHEMA_VERSION);

beforeEach(() => {
  fakeBrowser.reset();
});

describe('history database schema', () => {
  it('declares every version from 1 to the latest, none removed', () => {
    expect(declared).toEqual(Array.from({ length: appDb.LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it.each(declared)('keeps the stores of version %i in an exported SCHEMA_V constant used by version()', (version) => {
    expect((appDb as Record<string, unknown>)[`SCHEMA_V${version}`]).toBeTypeOf('object');
    expect(appDbSource).toContain(`this.version(${version}).stores(SCHEMA_V${version})`);
  });

  it.each(older)('has a frozen fixture of version %i equal to the shipped schema', async (version) => {
    const path = join(root, `tests/fixtures/db/v${version}.ts`);
    expect(existsSync(path), `tests/fixtures/db/v${version}.ts`).toBe(true);
    const fixture = (await import(/* @vite-ignore */ path)) as Record<string, unknown>;
    expect(fixture[`STORES_V${version}`]).toEqual((appDb as Record<string, unknown>)[`SCHEMA_V${version}`]);
  });

  it.each(older)('has a migration test from version %i', (version) => {
    expect(migrationTests).toContain(`describe('migration from v${version}'`);
  });
});
