import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { completeAmoSignIn, type AmoSignInDeps } from '@/lib/background/amo-sign-in';
import { testCrmConnection } from '@/lib/background/crm-connection-test';
import { amoConsentUrl, newOAuthState, parseAmoRedirect } from '@/lib/crm/amocrm/amo-oauth';
import { AmoSignInError, exchangeAmoCode } from '@/lib/crm/amocrm/amo-oauth-exchange';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import { createCrmConnectionModel, type AmoOAuthLauncher } from '@/lib/options/crm-connection-model';
import type { CrmSettings } from '@/lib/settings/crm-settings';
import { startFakeAmoCrm, type FakeAmoCrm } from '../fakes/amocrm-server';

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const HOST = 'romashka.amocrm.ru';
const CLIENT = { clientId: 'integration-id', clientSecret: 'integration-secret' };

describe('amoCRM consent page', () => {
  it.each([
    ['romashka.amocrm.ru', 'https://www.amocrm.ru/oauth'],
    ['romashka.amocrm.com', 'https://www.amocrm.com/oauth'],
    ['shop.kommo.com', 'https://www.kommo.com/oauth'],
  ])('%s signs in on %s, in the window it opened (mode=post_message)', (host, page) => {
    const url = new URL(amoConsentUrl({ host, clientId: 'id 1', state: 'abc' }));
    expect(`${url.origin}${url.pathname}`).toBe(page);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'id 1', state: 'abc', mode: 'post_message' });
  });

  it('a state is 128 random bits in hex, new each time', () => {
    const a = newOAuthState();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newOAuthState()).not.toBe(a);
  });
});

describe('parseAmoRedirect', () => {
  const expected = { state: 's1', host: HOST, redirectUri: REDIRECT };
  const redirect = (query: string) => `${REDIRECT}?${query}`;

  it('reads the code and the account of a redirect that answers our request', () => {
    expect(parseAmoRedirect(redirect(`code=def502&state=s1&referer=${HOST}&platform=1&client_id=x`), expected)).toEqual({
      ok: true,
      code: 'def502',
      host: HOST,
    });
    // Some accounts send the referer as a URL.
    expect(parseAmoRedirect(redirect(`code=c&state=s1&referer=https%3A%2F%2F${HOST}`), expected)).toMatchObject({ ok: true });
  });

  it.each([
    ['another state', `code=c&state=s2&referer=${HOST}`, 'state-mismatch', undefined],
    ['no state at all', `code=c&referer=${HOST}`, 'state-mismatch', undefined],
    ['a refusal with a foreign state', 'error=access_denied&state=s2', 'state-mismatch', undefined],
    ['the user refused', 'error=access_denied&state=s1', 'access-denied', undefined],
    ['the user refused (no state back)', 'error=access_denied', 'access-denied', undefined],
    ['another error', 'error=server_error&error_description=busy&state=s1', 'refused', 'server_error: busy'],
    ['no code', `state=s1&referer=${HOST}`, 'no-code', undefined],
    ['a referer off amoCRM', 'code=c&state=s1&referer=evil.example.com', 'wrong-host', 'evil.example.com'],
    ['a lookalike referer', `code=c&state=s1&referer=${HOST}.evil.com`, 'wrong-host', `${HOST}.evil.com`],
    ['no referer', 'code=c&state=s1', 'wrong-host', ''],
    ['another account', 'code=c&state=s1&referer=other.amocrm.ru', 'wrong-account', 'other.amocrm.ru'],
  ])('%s → %s', (_name, query, failure, detail) => {
    expect(parseAmoRedirect(redirect(query), expected)).toEqual({ ok: false, failure, ...(detail !== undefined ? { detail } : {}) });
  });

  it('a URL that is not our redirect URI carries nothing we use', () => {
    expect(parseAmoRedirect(`https://evil.example.com/?code=c&state=s1&referer=${HOST}`, expected)).toEqual({
      ok: false,
      failure: 'no-code',
    });
    expect(parseAmoRedirect('not a url', expected)).toEqual({ ok: false, failure: 'no-code' });
  });
});

describe('the token endpoint of the fake amoCRM and exchangeAmoCode', () => {
  let fake: FakeAmoCrm;
  let clock = 1_800_000_000_000;

  beforeEach(async () => {
    clock = 1_800_000_000_000;
    fake = await startFakeAmoCrm({
      tokens: [],
      oauth: { ...CLIENT, refreshTokens: [], redirectUri: REDIRECT },
      now: () => clock,
    });
  });
  afterEach(async () => {
    await fake.close();
  });

  const exchange = (code: string, overrides: Partial<Parameters<typeof exchangeAmoCode>[0]> = {}) =>
    exchangeAmoCode({ baseUrl: fake.baseUrl, ...CLIENT, redirectUri: REDIRECT, code, now: () => clock, ...overrides });

  const failureOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(AmoSignInError);
    return { failure: (error as AmoSignInError).failure, message: (error as AmoSignInError).message };
  };

  it('trades a fresh code for a working token pair that later refreshes', async () => {
    const pair = await exchange(fake.issueAuthCode());
    expect(pair).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: clock + 86_400_000 });
    const [sent] = fake.requestsTo('/oauth2/access_token', 'POST');
    expect(sent?.body).toMatchObject({ grant_type: 'authorization_code', redirect_uri: REDIRECT, client_id: CLIENT.clientId });
    // The pair works, and the refresh grant takes its refresh token (single-use, rotated).
    const onTokens = vi.fn();
    const adapter = createAmoCrmAdapter({
      host: fake.baseUrl,
      region: 'RU',
      auth: { type: 'oauth', ...CLIENT, redirectUri: REDIRECT, ...pair },
      onTokens,
    });
    expect(await adapter.connectionInfo()).toMatchObject({ accountName: 'Ромашка' });
    fake.expireToken('access-1');
    expect(await adapter.connectionInfo()).toMatchObject({ accountName: 'Ромашка' });
    expect(onTokens).toHaveBeenCalledWith(expect.objectContaining({ accessToken: 'access-2', refreshToken: 'refresh-2' }));
  });

  it('a code is single-use: the second exchange is refused with 400', async () => {
    const code = fake.issueAuthCode();
    await exchange(code);
    expect(await failureOf(exchange(code))).toEqual({
      failure: 'code-rejected',
      message: 'invalid_grant: Authorization code has been revoked',
    });
    expect(fake.requestsTo('/oauth2/access_token').map((request) => request.status)).toEqual([200, 400]);
  });

  it('a code expires after 20 minutes', async () => {
    const code = fake.issueAuthCode();
    clock += 20 * 60_000 + 1;
    expect(await failureOf(exchange(code))).toEqual({
      failure: 'code-rejected',
      message: 'invalid_grant: Authorization code has expired',
    });
  });

  it('a wrong secret is refused with 401 and does not spend the code', async () => {
    const code = fake.issueAuthCode();
    expect((await failureOf(exchange(code, { clientSecret: 'wrong' }))).failure).toBe('client-rejected');
    expect((await failureOf(exchange(code, { clientId: 'other' }))).failure).toBe('client-rejected');
    await expect(exchange(code)).resolves.toMatchObject({ accessToken: 'access-1' });
  });

  it('a code is only traded with the registered redirect URI', async () => {
    const result = await failureOf(exchange(fake.issueAuthCode(), { redirectUri: 'https://other.example.com/' }));
    expect(result.failure).toBe('code-rejected');
  });

  it('an unknown code, a failing server and no server each have their own failure', async () => {
    expect((await failureOf(exchange('made-up'))).failure).toBe('code-rejected');
    fake.failWith(503);
    expect((await failureOf(exchange(fake.issueAuthCode()))).failure).toBe('server');
    fake.failWith(undefined);
    const baseUrl = fake.baseUrl;
    await fake.close();
    expect((await failureOf(exchange('c', { baseUrl }))).failure).toBe('network');
    fake = await startFakeAmoCrm();
  });
});

describe('completeAmoSignIn (background)', () => {
  let fake: FakeAmoCrm;
  let stored: CrmSettings;

  beforeEach(async () => {
    fake = await startFakeAmoCrm({ tokens: [], oauth: { ...CLIENT, refreshTokens: [], redirectUri: REDIRECT } });
    stored = { kind: 'none' };
  });
  afterEach(async () => {
    await fake.close();
  });

  function deps(overrides: Partial<AmoSignInDeps> = {}): AmoSignInDeps {
    return {
      hasOrigin: async (origin) => origin === `https://${HOST}/*`,
      exchange: (request) => exchangeAmoCode(request),
      baseUrl: () => fake.baseUrl,
      loadCrm: async () => stored,
      saveCrm: async (crm) => {
        stored = crm;
      },
      test: (connection) =>
        testCrmConnection(connection, {
          hasOrigin: async () => true,
          connectionInfo: (c) => createAmoCrmAdapter({ host: fake.baseUrl, auth: c.auth, region: 'RU' }).connectionInfo(),
        }),
      ...overrides,
    };
  }

  it('stores the OAuth connection and answers who it acts as', async () => {
    const code = fake.issueAuthCode();
    const result = await completeAmoSignIn({ host: HOST, ...CLIENT, redirectUri: REDIRECT, code }, deps());
    expect(result).toEqual({ ok: true, test: { ok: true, accountName: 'Ромашка', userName: 'Ольга Смирнова' } });
    expect(stored).toEqual({
      kind: 'amocrm',
      amocrm: {
        host: HOST,
        auth: {
          type: 'oauth',
          ...CLIENT,
          redirectUri: REDIRECT,
          accessToken: 'access-1',
          refreshToken: 'refresh-1',
          expiresAt: expect.any(Number),
        },
      },
    });
  });

  it.each<[string, Partial<AmoSignInDeps>, Partial<{ host: string; clientSecret: string }>, string]>([
    ['no host access', { hasOrigin: async () => false }, {}, 'permission'],
    ['a wrong secret', {}, { clientSecret: 'wrong' }, 'client-rejected'],
    ['a host off amoCRM', {}, { host: 'evil.example.com' }, 'wrong-host'],
  ])('%s: nothing is stored', async (_name, overrides, request, failure) => {
    const code = fake.issueAuthCode();
    const result = await completeAmoSignIn({ host: HOST, ...CLIENT, redirectUri: REDIRECT, code, ...request }, deps(overrides));
    expect(result).toMatchObject({ ok: false, failure });
    expect(stored).toEqual({ kind: 'none' });
  });
});

describe('Sign in with amoCRM (options page model)', () => {
  let fake: FakeAmoCrm;
  let stored: CrmSettings;

  beforeEach(async () => {
    fake = await startFakeAmoCrm({ tokens: [], oauth: { ...CLIENT, refreshTokens: [], redirectUri: REDIRECT } });
    stored = { kind: 'none' };
  });
  afterEach(async () => {
    await fake.close();
  });

  /** amoCRM's consent page as the sign-in window sees it: the user allows (or refuses) access. */
  function consentWindow(answer: (url: URL) => string): AmoOAuthLauncher & { opened: URL[] } {
    const opened: URL[] = [];
    return {
      opened,
      redirectUri: REDIRECT,
      launch: async (href) => {
        const url = new URL(href);
        opened.push(url);
        return answer(url);
      },
    };
  }
  const allow = (url: URL) =>
    `${REDIRECT}?code=${fake.issueAuthCode()}&state=${url.searchParams.get('state')}&referer=${HOST}&platform=1`;

  function rig(oauth: AmoOAuthLauncher | undefined, granted = true) {
    const requested: string[][] = [];
    const signInAmoCrm = vi.fn((request: Parameters<typeof completeAmoSignIn>[0]) =>
      completeAmoSignIn(request, {
        hasOrigin: async () => granted,
        exchange: (exchange) => exchangeAmoCode(exchange),
        baseUrl: () => fake.baseUrl,
        loadCrm: async () => stored,
        saveCrm: async (crm) => {
          stored = crm;
        },
        test: (connection) =>
          testCrmConnection(connection, {
            hasOrigin: async () => true,
            connectionInfo: (c) => createAmoCrmAdapter({ host: fake.baseUrl, auth: c.auth, region: 'RU' }).connectionInfo(),
          }),
      }),
    );
    const model = createCrmConnectionModel({
      store: {
        load: async () => stored,
        save: async (crm) => {
          stored = crm;
        },
      },
      client: { testCrmConnection: vi.fn(), signInAmoCrm },
      requestOrigins: async (origins) => {
        requested.push(origins);
        return granted;
      },
      oauth,
    });
    return { model, requested, signInAmoCrm };
  }

  async function fillIn(model: ReturnType<typeof rig>['model']) {
    await model.start();
    model.setField('kind', 'amocrm');
    model.setField('host', HOST);
    model.setField('method', 'oauth');
    model.setField('clientId', CLIENT.clientId);
    model.setField('clientSecret', CLIENT.clientSecret);
  }

  it('the agent signs in: host access, the consent page, the code traded, the connection stored and tested', async () => {
    const window = consentWindow(allow);
    const { model, requested } = rig(window);
    expect(model.redirectUri).toBe(REDIRECT);
    await fillIn(model);
    await model.signIn();
    expect(requested).toEqual([[`https://${HOST}/*`]]);
    expect(window.opened.map((url) => `${url.origin}${url.pathname}`)).toEqual(['https://www.amocrm.ru/oauth']);
    expect(model.signInStatus.value).toEqual({ state: 'ok' });
    expect(model.testStatus.value).toEqual({ state: 'ok', accountName: 'Ромашка', userName: 'Ольга Смирнова' });
    expect(stored.amocrm?.auth).toMatchObject({ type: 'oauth', accessToken: 'access-1', redirectUri: REDIRECT });
    expect(model.hasOAuth.value).toBe(true);
    expect(model.draft.value.method).toBe('oauth');
    // Save now keeps the signed-in connection.
    await model.save();
    expect(model.saveStatus.value).toEqual({ state: 'saved' });
    expect(model.visibleErrors.value.size).toBe(0);
  });

  it('Save before signing in asks to sign in, and stores nothing', async () => {
    const { model } = rig(consentWindow(allow));
    await fillIn(model);
    await model.save();
    expect([...model.visibleErrors.value]).toEqual([['signIn', 'crm.error.signIn']]);
    expect(stored).toEqual({ kind: 'none' });
  });

  it('without the integration ID and secret nothing is asked or opened', async () => {
    const window = consentWindow(allow);
    const { model, requested } = rig(window);
    await fillIn(model);
    model.setField('clientId', ' ');
    model.setField('clientSecret', '');
    await model.signIn();
    expect([...model.visibleErrors.value]).toEqual([
      ['clientId', 'crm.error.clientId'],
      ['clientSecret', 'crm.error.clientSecret'],
    ]);
    expect(requested).toEqual([]);
    expect(window.opened).toEqual([]);
  });

  it.each<[string, (url: URL) => string, string]>([
    ['the user refuses access', (url) => `${REDIRECT}?error=access_denied&state=${url.searchParams.get('state')}`, 'access-denied'],
    ['a forged redirect', () => `${REDIRECT}?code=${fake.issueAuthCode()}&state=guess&referer=${HOST}`, 'state-mismatch'],
    ['another account chosen', (url) => `${REDIRECT}?code=c&state=${url.searchParams.get('state')}&referer=other.kommo.com`, 'wrong-account'],
  ])('%s: worded, and the background is never asked', async (_name, answer, failure) => {
    const { model, signInAmoCrm } = rig(consentWindow(answer));
    await fillIn(model);
    await model.signIn();
    expect(model.signInStatus.value).toMatchObject({ state: 'failed', failure });
    expect(signInAmoCrm).not.toHaveBeenCalled();
    expect(stored).toEqual({ kind: 'none' });
  });

  it('the user closes the window: cancelled', async () => {
    const window = consentWindow(() => {
      throw new Error('The user did not approve access.');
    });
    const { model } = rig(window);
    await fillIn(model);
    await model.signIn();
    expect(model.signInStatus.value).toEqual({ state: 'failed', failure: 'cancelled', detail: 'The user did not approve access.' });
  });

  it('a wrong secret is found out at the exchange: worded, nothing stored', async () => {
    const { model } = rig(consentWindow(allow));
    await fillIn(model);
    model.setField('clientSecret', 'wrong');
    await model.signIn();
    expect(model.signInStatus.value).toMatchObject({ state: 'failed', failure: 'client-rejected' });
    expect(stored).toEqual({ kind: 'none' });
  });

  it('host access refused: the window is not opened', async () => {
    const window = consentWindow(allow);
    const { model } = rig(window, false);
    await fillIn(model);
    await model.signIn();
    expect(model.signInStatus.value).toEqual({ state: 'failed', failure: 'permission' });
    expect(window.opened).toEqual([]);
  });

  it('a browser without a sign-in window says so', async () => {
    const { model } = rig(undefined);
    expect(model.redirectUri).toBeUndefined();
    await fillIn(model);
    await model.signIn();
    expect(model.signInStatus.value).toEqual({ state: 'failed', failure: 'unavailable' });
  });
});
