import { describe, expect, it } from 'vitest';
import { PhoneRig, pollUntil } from './support/phone-rig.ts';

interface Quality {
  mos?: number;
  jitterMs?: number;
  packetLossPct?: number;
  rttMs?: number;
  codec?: string;
}

/** Live line quality from real WebRTC statistics, and the call's summary kept in history. */
describe('call quality', () => {
  it('shows the line quality during a real call and keeps its summary with the call', async () => {
    const rig = await PhoneRig.start();
    try {
      const panel = await rig.openPanel();
      await panel.waitForRegistration('registered');
      const customer = await rig.openFarEnd('1002');
      await customer.autoAnswer(true);
      await panel.dial('1002');
      const callId = await panel.waitForCall('established', 'outbound');

      // The first reading comes a couple of seconds into the call.
      const indicator = await panel.page.waitForSelector(`[data-testid="call-${callId}"] [data-testid="call-quality"]`, {
        timeout: 10_000,
      });
      const level = await indicator!.evaluate((el) => el.getAttribute('data-level'));
      const detail = await indicator!.evaluate((el) => el.getAttribute('title') ?? '');
      console.log(`[quality] live: ${level} (${detail})`);
      // Loopback loses nothing and adds no delay worth the name.
      expect(level).toBe('good');
      expect(detail).toMatch(/^MOS 4\.\d · jitter \d+ ms · loss 0\.0% · round trip \d+ ms$/);

      await panel.hangup(callId);
      await panel.waitForEndedReason(callId);
      const row = await pollUntil(
        () => rig.callRecord(callId),
        (r) => r?.state === 'ended' && r.quality !== undefined,
      );
      const quality = row?.quality as Quality | undefined;
      console.log(`[quality] summary kept with the call: ${JSON.stringify(quality)}`);
      expect(quality?.codec?.toLowerCase()).toBe('opus');
      expect(quality?.packetLossPct).toBe(0);
      expect(quality?.mos).toBeGreaterThanOrEqual(4);
      expect(quality?.rttMs).toBeLessThan(50);
    } finally {
      await rig.close();
    }
  });
});
