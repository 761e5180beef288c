import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil, sleep } from './support/phone-rig.ts';

interface CallRow {
  callId: string;
  direction: string;
  state: string;
  outcome?: string;
  hangupBy?: string;
  talkMs?: number;
  answeredAt?: number;
  endedAt?: number;
  remoteRaw: string;
}

/**
 * Write-ahead call history with real calls: the background journals every engine snapshot into the
 * extension's IndexedDB, from the first ring, and keeps the row right when the worker is stopped.
 */
describe('call history journal', () => {
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let customer: FarEnd;

  /** The history row of an engine call, read from the extension's own IndexedDB in its worker. */
  async function row(callId: string): Promise<CallRow | undefined> {
    return (await rig.callRecord(callId)) as CallRow | undefined;
  }

  beforeAll(async () => {
    rig = await PhoneRig.start();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    customer = await rig.openFarEnd('1002');
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('a call has its row while it rings, and an answered call ends with its talk time', async () => {
    await panel.dial('1002');
    const callId = await panel.waitForCall('ringing', 'outbound');
    await customer.waitForState('ringing-in');
    const ringing = await pollUntil(() => row(callId), (r) => r !== undefined);
    expect(ringing?.state).toBe('ringing');
    expect(ringing?.outcome).toBeUndefined();

    await customer.answer();
    await panel.waitForCall('established', 'outbound');
    // The worker may be stopped at any second: the engine's next snapshot wakes it and is journaled.
    await rig.stopServiceWorker();
    const talkStart = Date.now();
    await sleep(2000);
    await customer.hangup();
    const talkEnd = Date.now();
    await panel.waitForEndedReason(callId);

    const done = await pollUntil(() => row(callId), (r) => r?.state === 'ended');
    console.log(`[history] answered call: talk ${done?.talkMs} ms (measured from outside ${talkEnd - talkStart} ms)`);
    expect(done).toMatchObject({ direction: 'outbound', state: 'ended', outcome: 'answered', hangupBy: 'remote' });
    expect(Math.abs((done?.talkMs ?? 0) - (talkEnd - talkStart))).toBeLessThan(1000);
  });

  it('a call the customer gives up on is journaled as missed', async () => {
    await customer.call('1001');
    const callId = await panel.waitForCall('incoming', 'inbound');
    await customer.cancel();
    await panel.waitForEndedReason(callId);
    const done = await pollUntil(() => row(callId), (r) => r?.state === 'ended');
    expect(done).toMatchObject({ direction: 'inbound', outcome: 'missed' });
    expect(done?.answeredAt).toBeUndefined();
    expect(done?.remoteRaw).toContain('1002');
  });
});

describe('history in the side panel', () => {
  it('lists the calls just made with their outcome, and a note saved there is kept', async () => {
    const rig = await PhoneRig.start();
    try {
      const panel = await rig.openPanel();
      await panel.waitForRegistration('registered');
      const customer = await rig.openFarEnd('1002');
      await customer.call('1001');
      const missed = await panel.waitForCall('incoming', 'inbound');
      await customer.cancel();
      await panel.waitForEndedReason(missed);

      await panel.page.bringToFront();
      await panel.page.click('[data-testid="tab-history"]');
      const row = await panel.page.waitForSelector(`[data-testid="history-row-${missed}"]`, { timeout: 10_000 });
      expect(await row!.evaluate((el) => el.getAttribute('data-outcome'))).toBe('missed');

      const input = await row!.waitForSelector('[data-testid="history-note-input"]');
      await input!.type('Call back after 3 pm');
      await (await row!.$('[data-testid="history-note-save"]'))!.click();
      // Re-opened panel (a new document): the note comes back from the database.
      await panel.close();
      const again = await rig.openPanel();
      await again.page.bringToFront();
      await again.page.click('[data-testid="tab-history"]');
      await again.page.waitForFunction(
        (id) =>
          (document.querySelector(`[data-testid="history-row-${id}"] [data-testid="history-note-input"]`) as HTMLInputElement | null)
            ?.value === 'Call back after 3 pm',
        { timeout: 10_000, polling: 200 },
        missed,
      );
    } finally {
      await rig.close();
    }
  });
});
