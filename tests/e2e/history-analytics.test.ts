import { describe, expect, it } from 'vitest';
import { PhoneRig, sleep } from './support/phone-rig.ts';

/**
 * Analytics after real calls through Kamailio: a customer calls and gives up (missed), calls again
 * and talks (answered); the Analytics tab counts both for today, with the talk time measured from
 * outside; the agent then calls the missed number back, and the callback figures show it.
 */
describe('call analytics', () => {
  it('counts a missed and an answered call for today, then the callback of the missed one', async () => {
    const rig = await PhoneRig.start();
    try {
      const panel = await rig.openPanel();
      await panel.waitForRegistration('registered');
      const customer = await rig.openFarEnd('1002');

      // The customer calls and hangs up before the agent answers: a missed call.
      await customer.call('1001');
      const missed = await panel.waitForCall('incoming', 'inbound');
      await customer.cancel();
      await panel.waitForEndedReason(missed);
      const missedEnd = Date.now();

      // The customer calls again; the agent answers, talks about two seconds, and hangs up.
      await customer.call('1001');
      const answered = await panel.waitForCall('incoming', 'inbound');
      await panel.answer(answered);
      await panel.waitForCall('established', 'inbound');
      const talkStart = Date.now();
      await sleep(2_000);
      await panel.hangup(answered);
      const talkEnd = Date.now();
      await panel.waitForEndedReason(answered);

      expect(await panel.historyOutcome(missed)).toBe('missed');
      expect(await panel.historyOutcome(answered)).toBe('answered');

      await panel.openAnalytics('today');
      const before = await panel.analyticsFigures((f) => f.calls === 2);
      console.log(`[analytics] today: ${JSON.stringify(before)}; talk measured from outside ${talkEnd - talkStart} ms`);
      expect(before).toMatchObject({ calls: 2, inbound: 2, outbound: 0, answered: 1, missed: 1, 'never-called-back': 1 });
      expect(Math.abs(before['total-talk']! - (talkEnd - talkStart))).toBeLessThanOrEqual(1_000);
      expect(before['callback-average']).toBeUndefined();
      expect(await panel.page.$('[data-testid="analytics-chart-day"] canvas')).not.toBeNull();

      // The agent calls the missed number back (and gives up while it rings): that is the callback.
      await panel.showPhone();
      await panel.dial('1002');
      const callback = await panel.waitForCall('ringing', 'outbound');
      const callbackStart = Date.now();
      await customer.waitForState('ringing-in');
      await panel.hangup(callback);
      await panel.waitForEndedReason(callback);

      await panel.openAnalytics('today');
      const after = await panel.analyticsFigures((f) => f.calls === 3);
      console.log(`[analytics] after the callback: ${JSON.stringify(after)}`);
      expect(after).toMatchObject({ calls: 3, outbound: 1, missed: 1, 'never-called-back': 0 });
      // From the end of the missed call to the start of the callback, as seen from outside (the
      // callback started before the panel showed it ringing, the missed call ended before the notice).
      expect(after['callback-worst']).toBe(after['callback-average']);
      expect(after['callback-worst']).toBeGreaterThan(2_000);
      expect(after['callback-worst']).toBeLessThanOrEqual(callbackStart - missedEnd + 2_000);
    } finally {
      await rig.close();
    }
  });
});
