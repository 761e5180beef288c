import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, removeDir } from './process.ts';

const run = promisify(execFile);

/**
 * A throwaway self-signed certificate for `names` (the first is the subject; all are alternative
 * names, wildcards allowed), made with the `openssl` CLI. Generated at each run rather than kept in
 * the repository: no key material is committed, and nothing expires under the tests years from now.
 */
export async function selfSignedCertificate(names: readonly string[], days = 2): Promise<{ key: string; cert: string }> {
  if (names.length === 0) throw new Error('a certificate needs at least one name');
  const dir = await makeTempDir('self-signed');
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      String(days),
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${names.map((name) => `DNS:${name}`).join(',')}`,
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
  } finally {
    await removeDir(dir, 3);
  }
}
