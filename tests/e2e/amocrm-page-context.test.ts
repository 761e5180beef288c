import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import { AmoCardPage, startAmoDemoServer, type AmoDemoServer } from './pages/amocrm-demo/amo-card-page.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil } from './support/phone-rig.ts';

/**
 * amoCRM page context with the built extension: the connected account is `test.amocrm.ru`, which
 * Chromium resolves to loopback, where an amoCRM-like single-page card is served over plain HTTP.
 * A call started on lead 123's card is logged against the lead; after the SPA moves to contact 77
 * with pushState (no reload), the next call is logged against the contact; the same page on any other
 * host is not the account, and its calls carry no card.
 */
describe('calls started on an amoCRM card are logged against that card', () => {
  const ACCOUNT_HOST = 'test.amocrm.ru';
  // The card's number (+7 495 123-45-67) belongs to a customer on the PBX, dialled without the plus.
  const CUSTOMER = { user: '74951234567', password: 'pw-customer' };
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let customer: FarEnd;
  let site: AmoDemoServer;
  let amo: AmoCardPage;

  /** The page context the background keeps for each tab (session storage). */
  const pageContexts = async (): Promise<Record<string, { entity?: { kind: string; id: string }; phones: string[] }>> => {
    const worker = await rig.worker();
    return worker.evaluate(async () => {
      const { crmPageContexts } = (await chrome.storage.session.get('crmPageContexts')) as {
        crmPageContexts?: Record<string, { entity?: { kind: string; id: string }; phones: string[] }>;
      };
      return crmPageContexts ?? {};
    });
  };

  /** Waits (checking every 20 ms, so the time printed means something) until a tab has the card with its phone. */
  const waitForContext = async (kind: string, id: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    const has = (all: Awaited<ReturnType<typeof pageContexts>>) =>
      Object.values(all).some((c) => c.entity?.kind === kind && c.entity.id === id && c.phones.length > 0);
    while (!has(await pageContexts())) {
      if (Date.now() > deadline) throw new Error(`no tab reported ${kind} ${id}: ${JSON.stringify(await pageContexts())}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** Calls the card's number by a real click, waits for the customer to ring, returns the call id. */
  const callFromCard = async (page: AmoCardPage): Promise<string> => {
    await page.callCardPhone();
    await customer.waitForState('ringing-in');
    return panel.waitForCall('ringing', 'outbound');
  };

  const hangUp = async (callId: string): Promise<void> => {
    await panel.hangup(callId);
    await customer.waitForState('terminated');
    await panel.waitForNoCalls();
  };

  beforeAll(async () => {
    site = await startAmoDemoServer();
    rig = await PhoneRig.start({
      kamailio: { users: [{ user: '1001', password: 'pw1001' }, CUSTOMER] },
      unconfigured: true,
      chromiumArgs: [`--host-resolver-rules=MAP ${ACCOUNT_HOST} 127.0.0.1`],
    });
    const settings = {
      ...(rig.agentSettings() as object),
      dialFormat: 'e164-no-plus',
      crm: { kind: 'amocrm', amocrm: { host: ACCOUNT_HOST, auth: { type: 'token', token: 'e2e-long-lived-token' } } },
    };
    const worker = await rig.worker();
    await worker.evaluate(async (value) => chrome.storage.local.set({ settings: value, settings$: { v: 1 } }), settings);
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    customer = await rig.openFarEnd(CUSTOMER.user, CUSTOMER.password);
  });

  afterAll(async () => {
    await rig?.close();
    await site?.stop();
  });

  it('a call started on lead 123 carries the lead in its history record, and the panel says where it is logged', async () => {
    const opened = Date.now();
    amo = await AmoCardPage.open(rig.chromium.browser, `http://${ACCOUNT_HOST}:${site.port}/leads/detail/123`);
    await waitForContext('lead', '123');
    console.log(`[page-context] card load → lead 123 with its phone kept by the background: ${Date.now() - opened} ms`);

    const callId = await callFromCard(amo);
    const record = await pollUntil(() => rig.callRecord(callId), (row) => row !== undefined);
    expect(record?.crmEntity).toEqual({ crm: 'amocrm', kind: 'lead', id: '123' });
    expect(await panel.waitForCallerEntity(callId)).toContain('123');
    await hangUp(callId);
    // Finished, it is a pending CRM write that still names the lead.
    const finished = await pollUntil(() => rig.callRecord(callId), (row) => row?.outcome !== undefined);
    expect(finished).toMatchObject({ crmEntity: { kind: 'lead', id: '123' }, crmState: 'pending' });
  });

  it('after an SPA move to contact 77 (pushState, no reload) the next call carries the contact', async () => {
    const moved = Date.now();
    await amo.openCard('/contacts/detail/77');
    await waitForContext('contact', '77');
    console.log(`[page-context] pushState → contact 77 with its phone kept by the background: ${Date.now() - moved} ms`);
    expect(await amo.card.page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);

    const callId = await callFromCard(amo);
    const record = await pollUntil(() => rig.callRecord(callId), (row) => row !== undefined);
    expect(record?.crmEntity).toEqual({ crm: 'amocrm', kind: 'contact', id: '77' });
    await hangUp(callId);

    const micros = await amo.checkCostMicros();
    console.log(`[page-context] one watcher check on the card (address + phone inputs): ${micros.toFixed(2)} µs, once a second`);
  });

  it('the same card on a host that is not the account: the call is placed by its number, with no card', async () => {
    const elsewhere = await AmoCardPage.open(rig.chromium.browser, `http://127.0.0.1:${site.port}/leads/detail/123`);
    const callId = await callFromCard(elsewhere);
    const record = await pollUntil(() => rig.callRecord(callId), (row) => row !== undefined);
    expect(record).not.toHaveProperty('crmEntity');
    await hangUp(callId);
    // Only the account's tab has a context.
    expect(Object.values(await pageContexts()).map((c) => c.entity)).toEqual([{ kind: 'contact', id: '77' }]);
    await elsewhere.card.page.close();
  });
});
