import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from './harness/static-server.ts';
import { DetectorPage } from './pages/crm-demo/detector-page.ts';
import { EXTENSION_DIR, PhoneRig, pollUntil } from './support/phone-rig.ts';

/**
 * Least privilege: the extension as installed reads no web page. Click-to-call's content script runs
 * only once the user allowed access to pages, and stops running when the access is taken back.
 */
describe('click-to-call reads pages only with the user’s consent', () => {
  let site: StaticServer;

  beforeAll(async () => {
    site = await startStaticServer({ '/': path.resolve('tests/e2e/pages/crm-demo') });
  });

  afterAll(async () => {
    await site?.stop();
  });

  async function openCrmPage(rig: PhoneRig, host?: string): Promise<DetectorPage> {
    const page = await rig.chromium.browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const url = new URL(`${site.url}/index.html`);
    if (host) url.hostname = host;
    await page.goto(url.href, { waitUntil: 'load' });
    return DetectorPage.wrap(page);
  }

  describe('a fresh install', () => {
    let rig: PhoneRig;
    beforeAll(async () => {
      rig = await PhoneRig.start({ pageAccess: false, unconfigured: true });
    });
    afterAll(async () => {
      await rig?.close();
    });

    it('asks for no host access at install: no content script in the manifest, none registered', async () => {
      const manifest = JSON.parse(await readFile(path.join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      console.log(`[page-access] permissions: ${(manifest.permissions as string[]).join(' ')}`);
      console.log(`[page-access] optional host access: ${(manifest.optional_host_permissions as string[]).join(' ')}`);
      expect(manifest.host_permissions).toBeUndefined();
      expect(manifest.content_scripts).toBeUndefined();
      expect(manifest.optional_host_permissions).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*']));
      expect(await rig.registeredContentScripts()).toEqual([]);
    });

    it('does not run in a page the user opens: no script world, no marks, no card', async () => {
      const crm = await openCrmPage(rig);
      const origins = await crm.contentScriptOrigins();
      console.log(`[page-access] content script worlds in the page without access: ${origins.length}`);
      expect(origins).toEqual([]);
      expect(await crm.highlightSize()).toBeUndefined();
      expect(await crm.page.$('crm-softphone-ui')).toBeNull();
      await crm.page.close();
    });

    it('the options page says click-to-call has no access and offers to allow it', async () => {
      const options = await rig.openOptions();
      expect(await options.pageAccess()).toBe('none');
      expect(await options.has('c2c-access-allow')).toBe(true);
    });
  });

  describe('with access to pages granted', () => {
    let rig: PhoneRig;
    beforeAll(async () => {
      rig = await PhoneRig.start({ unconfigured: true });
    });
    afterAll(async () => {
      await rig?.close();
    });

    it('runs in the pages the user opens and marks their numbers', async () => {
      const crm = await openCrmPage(rig);
      const origins = await crm.contentScriptOrigins();
      expect(origins).toEqual([`chrome-extension://${rig.extensionId}`]);
      const marked = await pollUntil(() => crm.highlightSize(), (size) => (size ?? 0) > 0);
      console.log(`[page-access] numbers marked with access: ${marked}`);
      expect(marked).toBeGreaterThan(0);
      await crm.page.close();
    });

    it('when the user withholds site access in the browser, the script is unregistered and new pages are left alone', async () => {
      await rig.setSiteAccess('ON_CLICK');
      const registered = await pollUntil(() => rig.registeredContentScripts(), (ids) => ids.length === 0);
      expect(registered).toEqual([]);
      const options = await rig.openOptions();
      expect(await options.pageAccess()).toBe('none');
      const crm = await openCrmPage(rig);
      expect(await crm.contentScriptOrigins()).toEqual([]);
      expect(await crm.highlightSize()).toBeUndefined();
      await crm.page.close();
    });

    it('when the user gives access to all sites again, the script is registered and runs in new pages', async () => {
      await rig.setSiteAccess('ON_ALL_SITES');
      const registered = await pollUntil(() => rig.registeredContentScripts(), (ids) => ids.includes('click-to-call'));
      expect(registered).toEqual(['click-to-call']);
      const crm = await openCrmPage(rig);
      expect(await crm.contentScriptOrigins()).toEqual([`chrome-extension://${rig.extensionId}`]);
      const marked = await pollUntil(() => crm.highlightSize(), (size) => (size ?? 0) > 0);
      expect(marked).toBeGreaterThan(0);
    });
  });

  describe('with access to one chosen site', () => {
    let rig: PhoneRig;
    beforeAll(async () => {
      // All sites are requested (as after the browser's prompt), then narrowed in the browser's own
      // site-access settings to one site: what Chromium grants then is that site alone.
      rig = await PhoneRig.start({ unconfigured: true });
      await rig.specificSiteAccess('add', 'http://127.0.0.1/*');
    });
    afterAll(async () => {
      await rig?.close();
    });

    it('registers the script for that site alone: numbers are marked there, and another site is not read', async () => {
      const matches = await pollUntil(() => rig.clickToCallMatches(), (list) => list?.length === 1);
      console.log(`[page-access] one site allowed: the script matches ${JSON.stringify(matches)}`);
      expect(matches).toEqual(['http://127.0.0.1/*']);
      const allowed = await openCrmPage(rig, '127.0.0.1');
      expect(await allowed.contentScriptOrigins()).toEqual([`chrome-extension://${rig.extensionId}`]);
      const marked = await pollUntil(() => allowed.highlightSize(), (size) => (size ?? 0) > 0);
      expect(marked).toBeGreaterThan(0);
      await allowed.page.close();
      // The same page under another host name is another site.
      const other = await openCrmPage(rig, 'localhost');
      expect(await other.contentScriptOrigins()).toEqual([]);
      expect(await other.highlightSize()).toBeUndefined();
      await other.page.close();
    });

    it('the options page lists the site click-to-call may read, and offers all sites or another one', async () => {
      const options = await rig.openOptions();
      expect(await options.pageAccess()).toBe('some');
      const listed = await options.page.$$eval('[data-testid="c2c-access-site"]', (items) => items.map((item) => item.getAttribute('data-host')));
      expect(listed).toEqual(['127.0.0.1']);
      expect(await options.has('c2c-access-remove-127.0.0.1')).toBe(true);
      expect(await options.has('c2c-access-allow')).toBe(true);
      expect(await options.has('c2c-access-site-input')).toBe(true);
      // An address that is no site is refused in words before the browser is asked anything.
      await options.page.type('[data-testid="c2c-access-site-input"]', 'not a site');
      await options.page.click('[data-testid="c2c-access-site-allow"]');
      const problem = await options.page.waitForSelector('[data-testid="c2c-access-problem"]');
      expect(await problem!.evaluate((element) => element.textContent)).toMatch(/Enter a site such as crm\.example\.com/);
      await options.page.close();
    });

    it('when the site is taken back in the browser, the script is unregistered and the options page says no access', async () => {
      await rig.specificSiteAccess('remove', 'http://127.0.0.1/*');
      expect(await pollUntil(() => rig.clickToCallMatches(), (list) => list === undefined)).toBeUndefined();
      const options = await rig.openOptions();
      expect(await pollUntil(() => options.pageAccess(), (state) => state === 'none')).toBe('none');
      const page = await openCrmPage(rig, '127.0.0.1');
      expect(await page.contentScriptOrigins()).toEqual([]);
      await page.page.close();
    });
  });
});
