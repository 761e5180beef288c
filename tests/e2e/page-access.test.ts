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

  async function openCrmPage(rig: PhoneRig): Promise<DetectorPage> {
    const page = await rig.chromium.browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(`${site.url}/index.html`, { waitUntil: 'load' });
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
});
