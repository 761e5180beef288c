import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import { startStaticServer, type StaticServer } from './harness/static-server.ts';
import { DetectorPage } from './pages/crm-demo/detector-page.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil, sleep } from './support/phone-rig.ts';

/**
 * Click-to-call with the built extension: the content script marks the numbers on a CRM-like page,
 * a real click on our card's Call button places a real call through Kamailio, and nothing a page
 * script does can dial.
 */
describe('click-to-call on a CRM page', () => {
  // The office number of the demo card (+7 (495) 123-45-67) belongs to a customer on the PBX. The agent
  // sends numbers without the plus (a common PBX dial plan), so the customer registers as 74951234567.
  const CUSTOMER = { user: '74951234567', password: 'pw-customer' };
  let rig: PhoneRig;
  let site: StaticServer;
  let panel: SidePanelPage;
  let customer: FarEnd;
  let crm: DetectorPage;

  beforeAll(async () => {
    rig = await PhoneRig.start({
      kamailio: { users: [{ user: '1001', password: 'pw1001' }, CUSTOMER] },
      unconfigured: true,
    });
    const settings = rig.agentSettings() as { dialFormat: string };
    settings.dialFormat = 'e164-no-plus';
    const worker = await rig.worker();
    await worker.evaluate(async (value) => chrome.storage.local.set({ settings: value, settings$: { v: 1 } }), settings);
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    customer = await rig.openFarEnd(CUSTOMER.user, CUSTOMER.password);
    site = await startStaticServer({ '/': path.resolve('tests/e2e/pages/crm-demo') });
    const page = await rig.chromium.browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(`${site.url}/index.html`, { waitUntil: 'load' });
    crm = DetectorPage.wrap(page);
  });

  afterAll(async () => {
    await site?.stop();
    await rig?.close();
  });

  it('marks the numbers without changing the page', async () => {
    const before = await crm.snapshot();
    // The content script marks numbers with a CSS highlight: the page's DOM is not rewritten.
    await crm.page.bringToFront();
    await crm.hoverText('#office-phone', '123-45-67');
    await crm.waitForUi('call', 5000);
    const after = await crm.snapshot();
    expect(after).toEqual(before);
  });

  it('a script-dispatched click on our Call button does nothing', async () => {
    const invitesBefore = (rig.kamailio.log().match(/INVITE/g) ?? []).length;
    await crm.page.bringToFront();
    await crm.hoverText('#office-phone', '123-45-67');
    await crm.waitForUi('call');
    await crm.clickUiFromScript('call');
    await sleep(1500);
    expect(await customer.state()).toBe('idle');
    expect((rig.kamailio.log().match(/INVITE/g) ?? []).length).toBe(invitesBefore);
  });

  it('a real click on Call places the call: the customer rings, answers, and the panel shows the call', async () => {
    await crm.page.bringToFront();
    await crm.hoverText('#office-phone', '123-45-67');
    await crm.clickUi('call');
    await customer.waitForState('ringing-in');
    const invite = await customer.lastInvite();
    // The request URI is the customer's registered contact; the To header is what the agent dialled.
    expect(invite).toMatch(/^To:.*sip:74951234567@/im);
    await customer.answer();
    const callId = await panel.waitForCall('established', 'outbound');
    const stats = await pollUntil(() => rig.engineStats(callId), (s) => s.bytesReceived > 2000);
    console.log(`[click-to-call] agent received ${stats.bytesReceived} B, sent ${stats.bytesSent} B`);
    expect(stats.bytesReceived).toBeGreaterThan(2000);
    await panel.hangup(callId);
    await customer.waitForState('terminated');
  });

  it('a page script clicking a tel: link does not dial; the user clicking it does', async () => {
    await crm.page.bringToFront();
    await crm.page.evaluate(() => {
      // A hostile page script: synthetic clicks on the tel: link.
      const link = document.querySelector<HTMLAnchorElement>('#office-phone a')!;
      link.addEventListener('click', (event) => event.preventDefault()); // keep the page from navigating
      link.click();
      link.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    });
    await sleep(1500);
    expect(await customer.state()).not.toBe('ringing-in');

    await crm.page.click('#office-phone a');
    await customer.waitForState('ringing-in');
    await customer.hangup();
    await panel.waitForNoCalls();
  });
});
