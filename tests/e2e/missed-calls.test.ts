import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil, sleep } from './support/phone-rig.ts';

/**
 * Missed calls to handle, Do not disturb and auto-answer with real calls: the customer (1002, a
 * SIP.js softphone page) calls the agent's extension (1001) through Kamailio.
 */
describe('missed calls, Do not disturb and auto-answer', () => {
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let customer: FarEnd;

  beforeAll(async () => {
    rig = await PhoneRig.start();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    customer = await rig.openFarEnd('1002');
  });

  afterAll(async () => {
    await rig?.close();
  });

  /** The final answer the customer's last call got, as its page logged it ("486 Busy Here"). */
  async function customerRejection(): Promise<string | undefined> {
    const line = (await customer.events()).findLast((event) => event.includes('call rejected: '));
    return line?.slice(line.indexOf('call rejected: ') + 'call rejected: '.length);
  }

  it('missed call → list → call back: the entry and the badge clear once the callback connects', async () => {
    // A real missed call: the customer calls and gives up before the agent answers.
    await customer.call('1001');
    const missedId = await panel.waitForCall('incoming', 'inbound');
    await customer.cancel();
    const entry = await panel.waitForMissedEntry('1002', 1);
    const badge = await pollUntil(() => rig.badgeText(), (text) => text === '1');
    const notifications = await pollUntil(() => rig.notificationIds(), (ids) => ids.includes('missed:1002'));
    console.log(
      `[missed] after the customer gave up: list "${entry.text}", badge "${badge}" (${await rig.badgeTitle()}), ` +
        `History tab count ${await panel.historyTabCount()}, notifications ${JSON.stringify(notifications)}`,
    );
    expect(entry).toMatchObject({ numberKey: '1002', count: 1, refused: false });
    expect(badge).toBe('1');
    expect(await panel.historyTabCount()).toBe('1');
    expect(notifications).toContain('missed:1002');

    // Call back from the list; the entry stays while the callback only rings.
    const clickedAt = Date.now();
    await panel.callBackMissed('1002');
    const callbackId = await panel.waitForCall('ringing', 'outbound');
    await customer.waitForState('ringing-in');
    expect((await panel.missedEntries()).map((e) => e.numberKey)).toContain('1002');
    await customer.answer();
    await panel.waitForCall('established', 'outbound');
    await panel.waitForNoMissedEntry('1002');
    const clearedAfter = Date.now() - clickedAt;
    expect(await pollUntil(() => rig.badgeText(), (text) => text === 'CALL')).toBe('CALL');

    await sleep(1000);
    await customer.hangup();
    await panel.waitForEndedReason(callbackId);
    const idle = await pollUntil(() => rig.badgeText(), (text) => text === 'ON');
    const left = await pollUntil(() => rig.notificationIds(), (ids) => !ids.includes('missed:1002'));
    const row = await rig.callRecord(missedId);
    console.log(
      `[missed] callback answered: entry gone ${clearedAfter} ms after the click; badge after the call "${idle}"; ` +
        `notifications ${JSON.stringify(left)}; missed row handled by ${String(row?.missedHandledBy)}`,
    );
    expect(idle).toBe('ON');
    expect(left).not.toContain('missed:1002');
    expect(await panel.historyTabCount()).toBeUndefined();
    expect(row).toMatchObject({ outcome: 'missed', missedHandledBy: 'callback' });
  });

  it('Do not disturb: the customer gets 486 without the panel ringing, even after a worker stop, and the call is in the missed list', async () => {
    await panel.setDoNotDisturb(true);
    expect(await pollUntil(() => rig.badgeText(), (text) => text === 'DND')).toBe('DND');
    await panel.watchForRingingCards();

    await customer.call('1001');
    await customer.waitForState('terminated');
    const first = await customerRejection();
    const entry = await panel.waitForMissedEntry('1002', 1);
    expect(first).toBe('486 Busy Here');
    expect(entry.refused).toBe(true);
    expect((await rig.notificationIds()).filter((id) => id.startsWith('incoming:'))).toEqual([]);

    // The toggle lives in storage, not in the worker: a stopped worker changes nothing.
    await rig.stopServiceWorker();
    await sleep(500);
    await customer.call('1001');
    await customer.waitForState('terminated');
    const second = await customerRejection();
    const entryAfter = await panel.waitForMissedEntry('1002', 2);
    const badge = await pollUntil(() => rig.badgeText(), (text) => text === '2');
    console.log(
      `[dnd] customer got "${first}" and, after a worker stop, "${second}"; list "${entryAfter.text}", badge "${badge}" (${await rig.badgeTitle()})`,
    );
    const rang = await panel.ringingCardsSeen();
    console.log(`[dnd] ringing call cards shown in the panel meanwhile: ${rang}`);
    expect(second).toBe('486 Busy Here');
    expect(badge).toBe('2');
    expect(rang).toBe(0);

    await panel.setDoNotDisturb(false);
    await panel.doneMissed('1002');
    await panel.waitForNoMissedEntry('1002');
    expect(await pollUntil(() => rig.badgeText(), (text) => text === 'ON')).toBe('ON');
  });

  it('auto-answer after 1 s: the call is established without a click and audio flows both ways', async () => {
    await rig.configureSettings({ autoAnswer: true, autoAnswerDelaySeconds: 1 });
    await sleep(500); // the background configures the engine from the stored settings
    const dialledAt = Date.now();
    await customer.call('1001');
    const callId = await panel.waitForCall('incoming', 'inbound');
    const countdown = await panel.autoAnswerText(callId);
    await panel.waitForCall('established', 'inbound');
    const answeredAfter = Date.now() - dialledAt;
    await customer.waitForState('established');
    const agent = await pollUntil(() => rig.engineStats(callId), (s) => s.bytesReceived > 4000 && s.bytesSent > 4000);
    const far = await pollUntil(() => customer.stats(), (s) => s.bytesReceived > 4000 && s.bytesSent > 4000);
    console.log(
      `[auto-answer] card said "${countdown}"; established ${answeredAfter} ms after the customer dialled; ` +
        `agent sent ${agent.bytesSent} B / received ${agent.bytesReceived} B; customer sent ${far.bytesSent} B / received ${far.bytesReceived} B`,
    );
    expect(countdown).toMatch(/^Answering automatically in [01] s$/);
    expect(far.bytesReceived).toBeGreaterThan(4000);
    expect(agent.bytesReceived).toBeGreaterThan(4000);
    await customer.hangup();
    await panel.waitForNoCalls();
    await rig.configureSettings({ autoAnswer: false });
  });
});
