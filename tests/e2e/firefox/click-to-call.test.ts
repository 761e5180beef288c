import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from '../harness/far-end.ts';
import { startStaticServer, type StaticServer } from '../harness/static-server.ts';
import type { SidePanelPage } from '../pages/side-panel-page.ts';
import { FirefoxPhoneRig } from '../support/firefox-phone-rig.ts';
import { pollUntil, sleep } from '../support/phone-rig.ts';

/**
 * Click-to-call in Firefox: the add-on's content script on a CRM-like page served on loopback turns
 * the user's click on a phone number's tel: link into a real call through Kamailio, and ignores
 * clicks a page script fakes.
 */
describe('Firefox: click-to-call on a CRM page', () => {
  // The office number on the demo card (+7 (495) 123-45-67) belongs to a customer on the PBX; the
  // agent sends numbers without the plus, so the customer registers as 74951234567.
  const CUSTOMER = { user: '74951234567', password: 'pw-customer' };
  let rig: FirefoxPhoneRig;
  let site: StaticServer;
  let panel: SidePanelPage;
  let customer: FarEnd;
  let crm: Page;

  beforeAll(async () => {
    rig = await FirefoxPhoneRig.start({
      kamailio: { users: [{ user: '1001', password: 'pw1001' }, CUSTOMER] },
      unconfigured: true,
    });
    await rig.configureAgent(undefined, { ...rig.agentSettings(), dialFormat: 'e164-no-plus' });
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered', 20_000);
    customer = await rig.openFarEnd(CUSTOMER.user, CUSTOMER.password);
    site = await startStaticServer({ '/': path.resolve('tests/e2e/pages/crm-demo') });
    crm = await rig.firefox.browser.newPage();
    await crm.setViewport({ width: 1280, height: 800 });
    await crm.goto(`${site.url}/index.html`, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await site?.stop();
    await rig?.close();
  });

  it('a page script clicking the tel: link does not dial', async () => {
    const invitesBefore = (rig.kamailio.log().match(/INVITE/g) ?? []).length;
    await crm.bringToFront();
    await crm.evaluate(() => {
      // A hostile page script: synthetic clicks on the tel: link (kept from navigating away).
      const link = document.querySelector<HTMLAnchorElement>('#office-phone a')!;
      link.addEventListener('click', (event) => event.preventDefault());
      link.click();
      link.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    });
    await sleep(1500);
    expect(await customer.state()).toBe('idle');
    expect((rig.kamailio.log().match(/INVITE/g) ?? []).length).toBe(invitesBefore);
  });

  it("the user's click on the number calls the customer: it rings, is answered, and the panel shows the call with audio", async () => {
    await crm.bringToFront();
    const clickedAt = Date.now();
    await crm.click('#office-phone a');
    await customer.waitForState('ringing-in');
    console.log(`[firefox click-to-call] the customer's phone rang ${Date.now() - clickedAt} ms after the click`);
    // The request URI is the customer's registered contact; the To header is what the agent dialled.
    expect(await customer.lastInvite()).toMatch(/^To:.*sip:74951234567@/im);
    await customer.answer();
    const callId = await panel.waitForCall('established', 'outbound');
    const stats = await pollUntil(() => rig.engineStats(callId), (s) => s.bytesReceived > 2000 && s.rms > 0.001);
    console.log(
      `[firefox click-to-call] agent received ${stats.bytesReceived} B (RMS ${stats.rms.toFixed(4)}), sent ${stats.bytesSent} B`,
    );
    expect(stats.bytesReceived).toBeGreaterThan(2000);
    expect(stats.rms).toBeGreaterThan(0.001);
    // The page stayed where it was: the click was taken over, not followed as a tel: navigation.
    expect(crm.url()).toBe(`${site.url}/index.html`);
    await panel.hangup(callId);
    await customer.waitForState('terminated');
    await panel.waitForNoCalls();
  });
});
