import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The end-to-end suite tests the built extension, for Chrome and for Firefox (tests/e2e/firefox/);
 * `npm run test:e2e` builds both first. This only refuses to run against a missing build, with a
 * message that says what to do.
 */
export default function setup(): void {
  for (const target of ['chrome-mv3', 'firefox-mv2']) {
    const manifest = path.resolve('.output', target, 'manifest.json');
    if (!existsSync(manifest)) {
      throw new Error(`${manifest} is missing: build first (npm run build), or run the suite with npm run test:e2e`);
    }
  }
}
