import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAmoCrm, type FakeAmoCrm } from '../fakes/amocrm-server.ts';
import { CONSENT_HOST, startAmoOAuthFront, type AmoOAuthFront } from './harness/amo-oauth-front.ts';
import { launchChromium, waitForExtension, type LaunchedChromium } from './harness/chromium.ts';
import { grantedExtensionCopy } from './harness/granted-extension.ts';
import { OptionsPage } from './pages/options-page.ts';

/**
 * An administrator connects the team's amoCRM account through an OAuth integration, in real
 * Chromium: the options page shows the redirect URI the browser will use, they register it in the
 * integration, type its ID and secret key and press *Sign in with amoCRM*. The browser's sign-in
 * window (`identity.launchWebAuthFlow`) opens amoCRM's consent page — here a loopback HTTPS stand-in
 * for www.amocrm.ru and romashka.amocrm.ru, reached through `--host-resolver-rules` — they allow
 * access, and the extension trades the code, stores the tokens and tests the connection. A wrong
 * secret, refusing access and closing the window are said in words and store nothing.
 *
 * The account host's optional permission is pre-granted (a browser's permission prompt cannot be
 * answered by automation); everything else is the built extension as shipped.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const ACCOUNT = 'romashka.amocrm.ru';
const CLIENT_ID = '5f3c1a2b-integration';
const CLIENT_SECRET = 'integration-secret-key';

describe('amoCRM OAuth sign-in on the options page', () => {
  let front: AmoOAuthFront;
  let fake: FakeAmoCrm;
  let chromium: LaunchedChromium;
  let browser: Browser;
  let extensionId: string;
  let options: OptionsPage;

  beforeAll(async () => {
    front = await startAmoOAuthFront();
    const extensionDir = await grantedExtensionCopy(path.join(ROOT, '.output/chrome-mv3'), ['https://*.amocrm.ru/*']);
    chromium = await launchChromium({ extensionDir, args: front.chromiumArgs([ACCOUNT]) });
    browser = chromium.browser;
    extensionId = (await waitForExtension(browser)).id;
    // Chrome's redirect URI for an extension: the page must show exactly this.
    const redirectUri = `https://${extensionId}.chromiumapp.org/`;
    fake = await startFakeAmoCrm({
      tokens: [],
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshTokens: [], redirectUri },
    });
    front.attach({ fake, account: ACCOUNT, redirectUri });
    options = await OptionsPage.open(browser, extensionId);
  });

  afterAll(async () => {
    await chromium?.close();
    await fake?.close();
    await front?.close();
  });

  /** The stored CRM connection, as the background reads it. */
  async function storedCrm(): Promise<{ kind: string; amocrm?: { host: string; auth: Record<string, unknown> } } | undefined> {
    const worker = (await waitForExtension(browser, { extensionId })).worker;
    return worker.evaluate(async () => {
      const { settings } = await chrome.storage.local.get('settings');
      return (settings as { crm?: { kind: string; amocrm?: { host: string; auth: Record<string, unknown> } } } | undefined)?.crm;
    });
  }

  /** The browser's sign-in window once it shows amoCRM's consent page. */
  async function consentWindow(): Promise<Page> {
    const target = await browser.waitForTarget((candidate) => candidate.url().startsWith(`https://${CONSENT_HOST}/oauth?`), {
      timeout: 15_000,
    });
    const page = await target.asPage();
    await page.waitForSelector('#allow');
    return page;
  }

  it('the options page shows the browser’s redirect URI for the integration, and Sign in is offered for amoCRM', async () => {
    await options.chooseAmoCrmOAuth(ACCOUNT, CLIENT_ID, 'wrong-secret');
    const shown = await options.value('crm-redirect-uri');
    console.log(`[oauth] redirect URI shown: ${shown}`);
    expect(shown).toBe(`https://${extensionId}.chromiumapp.org/`);
    expect(await options.text('crm-sign-in')).toMatch(/amoCRM/);
  });

  it('a wrong secret key: amoCRM refuses the client (401) at the exchange, worded, and nothing is stored', async () => {
    await options.startAmoCrmSignIn();
    const consent = await consentWindow();
    await consent.click('#allow');
    const outcome = await options.amoCrmSignInOutcome();
    console.log(`[oauth] wrong secret → ${outcome.state}: ${outcome.text}`);
    expect(outcome.state).toBe('failed');
    expect(outcome.text).toContain('did not accept the integration ID or secret key');
    expect(fake.requestsTo('/oauth2/access_token', 'POST').map((request) => request.status)).toEqual([401]);
    expect((await storedCrm())?.kind ?? 'none').toBe('none');
  });

  it('refusing access on amoCRM’s page is said in words; the background is not asked', async () => {
    await options.type('crm-clientSecret', CLIENT_SECRET);
    await options.startAmoCrmSignIn();
    const consent = await consentWindow();
    await consent.click('#deny');
    const outcome = await options.amoCrmSignInOutcome();
    console.log(`[oauth] access refused → ${outcome.state}: ${outcome.text}`);
    expect(outcome.state).toBe('failed');
    expect(outcome.text).toContain('Access was refused');
    expect(fake.requestsTo('/oauth2/access_token', 'POST')).toHaveLength(1);
    expect((await storedCrm())?.kind ?? 'none').toBe('none');
  });

  it('closing the sign-in window without answering: the browser reports it and the page says the window was closed', async () => {
    await options.startAmoCrmSignIn();
    const consent = await consentWindow();
    await consent.close();
    const outcome = await options.amoCrmSignInOutcome();
    console.log(`[oauth] window closed → ${outcome.state}: ${outcome.text}`);
    expect(outcome.state).toBe('failed');
    expect(outcome.text).toContain('The sign-in window was closed before amoCRM answered');
    expect(fake.requestsTo('/oauth2/access_token', 'POST')).toHaveLength(1);
  });

  it('the agent allows access: the code is traded on the account host, the tokens are stored and the connection test names the account and user', async () => {
    const started = Date.now();
    await options.startAmoCrmSignIn();
    const consent = await consentWindow();
    const shownAt = Date.now();
    const visit = front.visits.at(-1);
    expect(visit).toMatchObject({ clientId: CLIENT_ID, mode: 'post_message' });
    expect(visit?.state).toMatch(/^[0-9a-f]{32}$/);
    const allowedAt = Date.now();
    await consent.click('#allow');
    const outcome = await options.amoCrmSignInOutcome();
    const doneAt = Date.now();
    const test = await options.crmTestStatus();
    console.log(
      `[oauth] click→consent page ${shownAt - started} ms; allow→signed in and tested ${doneAt - allowedAt} ms; ` +
        `${outcome.text} / ${test.text}`,
    );
    expect(outcome.state).toBe('ok');
    expect(test).toEqual({ state: 'ok', text: 'Connected to “Ромашка” as Ольга Смирнова.' });

    const exchanges = fake.requestsTo('/oauth2/access_token', 'POST');
    expect(exchanges.map((request) => request.status)).toEqual([401, 200]);
    expect(exchanges[1]?.body).toMatchObject({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      redirect_uri: `https://${extensionId}.chromiumapp.org/`,
    });
    const crm = await storedCrm();
    expect(crm).toMatchObject({
      kind: 'amocrm',
      amocrm: { host: ACCOUNT, auth: { type: 'oauth', clientId: CLIENT_ID, accessToken: 'access-1', refreshToken: 'refresh-1' } },
    });
    // The connection test called the account's API with the new access token.
    expect(fake.requestsTo('/api/v4/account').at(-1)?.authorization).toBe('Bearer access-1');
    // The sign-in window is gone once amoCRM redirected to the redirect URI.
    expect(browser.targets().some((target) => target.url().startsWith(`https://${CONSENT_HOST}/`))).toBe(false);
  });

  it('after signing in, reloading the page shows the OAuth connection kept, and Save keeps it', async () => {
    await options.reload();
    expect(await options.value('crm-clientId')).toBe(CLIENT_ID);
    expect(await options.text('crm-section')).toContain('Connected through OAuth');
    expect(await options.saveCrm()).toBe('Saved.');
    expect((await storedCrm())?.amocrm?.auth).toMatchObject({ type: 'oauth', accessToken: 'access-1' });
  });
});
