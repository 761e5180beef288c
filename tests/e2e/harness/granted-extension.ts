import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * A copy of a built extension in which some optional host permissions are already granted, as if
 * the user had accepted the browser's prompt: the patterns move from `optional_host_permissions`
 * (MV3) or `optional_permissions` (MV2) to `host_permissions` / `permissions`, which a browser
 * grants when it installs an unpacked or temporary extension.
 *
 * Browsers show that prompt in their own window, which no automation protocol can answer, so the
 * scenarios that need the access (click-to-call on pages, the CRM's API) run a copy like this one;
 * the build itself keeps the permissions optional. The copy's folder is derived from the source
 * folder and the patterns, so a browser restarted on the same profile finds the same extension
 * (Chromium derives an unpacked extension's id from its path).
 */
export async function grantedExtensionCopy(sourceDir: string, patterns: readonly string[]): Promise<string> {
  const source = path.resolve(sourceDir);
  const target = grantedExtensionPath(sourceDir, patterns);
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  await cp(source, target, { recursive: true });
  const manifestPath = path.join(target, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
  const optionalKey = manifest.manifest_version === 3 ? 'optional_host_permissions' : 'optional_permissions';
  const grantedKey = manifest.manifest_version === 3 ? 'host_permissions' : 'permissions';
  const optional = (manifest[optionalKey] as string[] | undefined) ?? [];
  const missing = patterns.filter((pattern) => !optional.includes(pattern));
  if (missing.length > 0) {
    throw new Error(`${optionalKey} of ${source} does not list ${missing.join(', ')}`);
  }
  const remaining = optional.filter((pattern) => !patterns.includes(pattern));
  if (remaining.length > 0) manifest[optionalKey] = remaining;
  else delete manifest[optionalKey];
  manifest[grantedKey] = [...((manifest[grantedKey] as string[] | undefined) ?? []), ...patterns];
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return target;
}

/**
 * Where {@link grantedExtensionCopy} puts the copy for these arguments, known before it is made (an
 * unpacked extension's id derives from it, e.g. for a policy file written before the browser starts).
 */
export function grantedExtensionPath(sourceDir: string, patterns: readonly string[]): string {
  const source = path.resolve(sourceDir);
  const digest = createHash('sha256').update(source).update('\0').update(patterns.join('\n')).digest('hex');
  return path.join(os.tmpdir(), `granted-extension-${digest.slice(0, 16)}`);
}
