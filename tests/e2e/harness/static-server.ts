/**
 * A tiny static file server on 127.0.0.1 for pages the tests open in Chromium (the far-end
 * softphone and the SIP.js ESM files it imports without a build step).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { LOOPBACK } from './process.ts';

/** A running static server. */
export interface StaticServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  /** Closes the server and all open connections; idempotent. */
  stop(): Promise<void>;
}

/** A directory to serve, optionally cacheable by the browser. */
export interface MountOptions {
  dir: string;
  /**
   * Seconds the browser may cache files from here (default 0: "no-store", so edits always show).
   * Worth it for large unchanging trees such as SIP.js's 190 ES modules.
   */
  maxAgeSeconds?: number;
}

/** URL path prefix (starting and ending with "/") → directory on disk (or {@link MountOptions}). */
export type DirectoryMap = Record<string, string | MountOptions>;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
};

interface Mount {
  prefix: string;
  dir: string;
  cacheControl: string;
}

function normaliseMounts(map: DirectoryMap): Mount[] {
  return Object.entries(map)
    .map(([prefix, target]) => {
      if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
        throw new Error(`mount prefix must start and end with "/": ${prefix}`);
      }
      const { dir, maxAgeSeconds = 0 } = typeof target === 'string' ? { dir: target } : target;
      const cacheControl = maxAgeSeconds > 0 ? `max-age=${Math.floor(maxAgeSeconds)}` : 'no-store';
      return { prefix, dir: resolve(dir), cacheControl };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length); // longest prefix wins
}

/** Maps a request path to a file inside one of the mounts, or null (also for "../" escapes). */
function resolveFile(mounts: readonly Mount[], urlPath: string): { file: string; mount: Mount } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  for (const mount of mounts) {
    if (!decoded.startsWith(mount.prefix)) continue;
    let relative = decoded.slice(mount.prefix.length);
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const file = resolve(join(mount.dir, relative));
    if (file !== mount.dir && !file.startsWith(mount.dir + sep)) return null;
    return { file, mount };
  }
  return null;
}

/**
 * Serves `map` on 127.0.0.1 at a free port (GET/HEAD only; not cached unless a mount says so).
 *
 * @example
 * const server = await startStaticServer({ '/': farEndDir, '/sip.js/': sipJsLibDir });
 * await page.goto(`${server.url}/`);
 */
export async function startStaticServer(map: DirectoryMap): Promise<StaticServer> {
  const mounts = normaliseMounts(map);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const urlPath = new URL(request.url ?? '/', 'http://placeholder').pathname;
    const found = resolveFile(mounts, urlPath);
    const info = found ? await stat(found.file).catch(() => null) : null;
    if (!found || !info?.isFile()) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${urlPath}\n`);
      return;
    }
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': found.mount.cacheControl,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(found.file)
      .on('error', () => response.destroy())
      .pipe(response);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolveListen());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('static server has no TCP address');

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${address.port}`,
    stop() {
      stopping ??= new Promise<void>((resolveClose) => {
        // Chromium keeps connections alive; without this close() would wait for them.
        server.closeAllConnections();
        server.close(() => resolveClose());
      });
      return stopping;
    },
  };
}
