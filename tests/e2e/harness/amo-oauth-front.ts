/**
 * amoCRM's public HTTPS face on loopback, for the OAuth sign-in in real Chromium: the consent page
 * of `www.amocrm.ru` and an account host (`romashka.amocrm.ru`) in front of the fake amoCRM account
 * (tests/fakes/amocrm-server.ts, plain HTTP). Chromium reaches it through
 * `--host-resolver-rules` (both names mapped to this server's port) with
 * `--ignore-certificate-errors` for its self-signed certificate, made here with openssl; the test
 * runs in the loopback-only namespace, so nothing can reach the real amoCRM.
 *
 * The consent page behaves as amoCRM's does for `mode=post_message`: the user allows or refuses
 * access, and the page redirects its own window to the integration's redirect URI with
 * `code`, `state`, `referer` (the account), `platform` and `client_id`, or `error=access_denied`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FakeAmoCrm } from '../../fakes/amocrm-server.ts';
import { LOOPBACK } from './process.ts';
import { selfSignedCertificate } from './self-signed-certificate.ts';

/** The consent page's host, as amoCRM's OAuth button opens it. */
export const CONSENT_HOST = 'www.amocrm.ru';

/** What the consent page was asked, for assertions. */
export interface ConsentVisit {
  clientId: string | null;
  state: string | null;
  mode: string | null;
}

/** A running front. */
export interface AmoOAuthFront {
  readonly port: number;
  /** Chromium flags that send `hosts` (and the consent page) here. */
  chromiumArgs(hosts: readonly string[]): string[];
  /** Where the fake account is and which account the consent page hands out codes for. */
  attach(backend: { fake: FakeAmoCrm; account: string; redirectUri: string }): void;
  readonly visits: ConsentVisit[];
  close(): Promise<void>;
}

/** Starts the front on a free loopback port with a fresh self-signed certificate. */
export async function startAmoOAuthFront(): Promise<AmoOAuthFront> {
  const tls = await selfSignedCertificate(['amocrm.ru', '*.amocrm.ru'], 1);
  let backend: { fake: FakeAmoCrm; account: string; redirectUri: string } | undefined;
  const visits: ConsentVisit[] = [];

  const server = createServer(tls, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `https://${host}`);
    if (!backend) return answer(res, 503, 'text/plain', 'no backend');
    if (host === CONSENT_HOST) return consent(url, res, backend);
    void proxy(req, res, backend.fake.baseUrl).catch((error: unknown) => answer(res, 502, 'text/plain', String(error)));
  });

  function consent(url: URL, res: ServerResponse, to: { fake: FakeAmoCrm; account: string; redirectUri: string }): void {
    const params = url.searchParams;
    if (url.pathname === '/oauth') {
      visits.push({ clientId: params.get('client_id'), state: params.get('state'), mode: params.get('mode') });
      const query = (decision: string) =>
        new URLSearchParams({ decision, state: params.get('state') ?? '', client_id: params.get('client_id') ?? '' });
      return answer(
        res,
        200,
        'text/html; charset=utf-8',
        `<!doctype html><title>Предоставить доступ</title>
         <p>Интеграция запрашивает доступ к аккаунту ${to.account}</p>
         <a id="allow" href="/oauth/answer?${query('allow').toString()}">Разрешить</a>
         <a id="deny" href="/oauth/answer?${query('deny').toString()}">Отказать</a>`,
      );
    }
    if (url.pathname === '/oauth/answer') {
      const back = new URL(to.redirectUri);
      if (params.get('decision') === 'allow') {
        back.searchParams.set('code', to.fake.issueAuthCode());
        back.searchParams.set('state', params.get('state') ?? '');
        back.searchParams.set('referer', to.account);
        back.searchParams.set('platform', '1');
        back.searchParams.set('client_id', params.get('client_id') ?? '');
      } else {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('state', params.get('state') ?? '');
      }
      res.writeHead(302, { Location: back.href });
      res.end();
      return;
    }
    answer(res, 404, 'text/plain', 'not found');
  }

  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    visits,
    chromiumArgs: (hosts) => [
      `--host-resolver-rules=${[CONSENT_HOST, ...hosts].map((name) => `MAP ${name} ${LOOPBACK}:${port}`).join(', ')}`,
      '--ignore-certificate-errors',
    ],
    attach: (next) => {
      backend = next;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}

/** Passes an account request to the fake amoCRM over HTTP and its answer back. */
async function proxy(req: IncomingMessage, res: ServerResponse, baseUrl: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-type', 'accept']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const upstream = await fetch(new URL(req.url ?? '/', baseUrl), {
    method: req.method,
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
  });
  const body = Buffer.from(await upstream.arrayBuffer());
  const out: Record<string, string> = {};
  for (const name of ['content-type', 'retry-after']) {
    const value = upstream.headers.get(name);
    if (value !== null) out[name] = value;
  }
  res.writeHead(upstream.status, out);
  res.end(body);
}
