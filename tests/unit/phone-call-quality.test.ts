import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  estimateMos,
  qualityBetween,
  qualityLevel,
  QualitySummary,
  readQualityCounters,
  type QualityCounters,
} from '@/lib/phone/call-quality';
import { QualityMeter } from '@/lib/phone/quality-meter';
import type { CallQuality } from '@/lib/phone/call-quality';

/** A statistics report shaped like Chromium's for an audio call (only the fields we read, plus noise). */
function report(inbound: { received: number; lost: number; jitterS?: number }, rttS?: number): [string, Record<string, unknown>][] {
  return [
    ['T01', { type: 'transport', bytesSent: 1000 }],
    ['CP1', { type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.05 }],
    ['COT01_111', { type: 'codec', mimeType: 'audio/opus', clockRate: 48000 }],
    [
      'IT01A1',
      {
        type: 'inbound-rtp',
        kind: 'audio',
        codecId: 'COT01_111',
        packetsReceived: inbound.received,
        packetsLost: inbound.lost,
        ...(inbound.jitterS === undefined ? {} : { jitter: inbound.jitterS }),
      },
    ],
    ...(rttS === undefined ? [] : [['RI01A1', { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: rttS }] as [string, Record<string, unknown>]]),
    ['OT01A1', { type: 'outbound-rtp', kind: 'audio', packetsSent: 500 }],
  ];
}

describe('estimateMos', () => {
  it.each([
    // A clean line: R = 93.2 - 10/40 = 92.95 → 4.40.
    [{ rttMs: 0, jitterMs: 0, packetLossPct: 0 }, 4.4],
    // 200 ms round trip, 20 ms jitter: delay 150 ms → R 89.45 → 1 + 3.131 + 0.195 = 4.33.
    [{ rttMs: 200, jitterMs: 20, packetLossPct: 0 }, 4.33],
    // Past 160 ms one way the delay costs more: 400 ms RTT → 210 ms → R 84.2 → 1 + 2.947 + 0.225 = 4.17.
    [{ rttMs: 400, jitterMs: 0, packetLossPct: 0 }, 4.17],
    // 5 % loss costs 12.5 R points: R 80.45 → 1 + 2.816 + 0.225 = 4.04.
    [{ rttMs: 0, jitterMs: 0, packetLossPct: 5 }, 4.04],
    // 20 % loss: R 42.95 → 1 + 1.503 - 0.292 = 2.21.
    [{ rttMs: 0, jitterMs: 0, packetLossPct: 20 }, 2.21],
    // Beyond repair: R ≤ 0 → 1.
    [{ rttMs: 0, jitterMs: 0, packetLossPct: 50 }, 1],
  ])('gives %j a MOS of %d', (measures, mos) => {
    expect(estimateMos(measures)).toBeCloseTo(mos, 2);
  });

  it.each([
    [4.4, 'good'],
    [4.0, 'good'],
    [3.99, 'fair'],
    [3.6, 'fair'],
    [3.59, 'poor'],
  ] as const)('reads MOS %d as %s', (mos, level) => {
    expect(qualityLevel(mos)).toBe(level);
  });
});

describe('readQualityCounters', () => {
  it('reads inbound audio, the RTCP round trip before the ICE one, and the codec name', () => {
    expect(readQualityCounters(report({ received: 480, lost: 20, jitterS: 0.012 }, 0.03))).toEqual({
      packetsReceived: 480,
      packetsLost: 20,
      jitterMs: 12,
      rttMs: 30,
      codec: 'opus',
    });
  });

  it("falls back to ICE's round trip, and reads duplicate-inflated (negative) loss as none", () => {
    expect(readQualityCounters(report({ received: 100, lost: -3 }))).toEqual({
      packetsReceived: 100,
      packetsLost: 0,
      rttMs: 50,
      codec: 'opus',
    });
  });

  it('has nothing to say before audio arrives', () => {
    expect(readQualityCounters([['CP1', { type: 'candidate-pair', state: 'succeeded', currentRoundTripTime: 0.01 }]])).toBeUndefined();
  });
});

describe('qualityBetween and QualitySummary', () => {
  const at = (received: number, lost: number, jitterMs = 10, rttMs = 40): QualityCounters => ({
    packetsReceived: received,
    packetsLost: lost,
    jitterMs,
    rttMs,
    codec: 'opus',
  });

  it('counts the loss of a stretch from the counters at both ends', () => {
    expect(qualityBetween(at(500, 0), at(950, 50))).toEqual({
      mos: estimateMos({ jitterMs: 10, packetLossPct: 10, rttMs: 40 }),
      jitterMs: 10,
      packetLossPct: 10,
      rttMs: 40,
      codec: 'opus',
    });
  });

  it('sums a call up with the loss over all its packets, not the mean of stretches', () => {
    const summary = new QualitySummary();
    expect(summary.result()).toBeUndefined();
    const readings = [at(1000, 0, 10, 40), at(1100, 100, 30, 60)];
    let previous: QualityCounters | undefined;
    for (const reading of readings) {
      summary.add(qualityBetween(previous, reading), reading);
      previous = reading;
    }
    const first = estimateMos({ jitterMs: 10, packetLossPct: 0, rttMs: 40 });
    const second = estimateMos({ jitterMs: 30, packetLossPct: 50, rttMs: 60 });
    expect(summary.result()).toEqual({
      mos: Math.round(((first + second) / 2) * 100) / 100,
      jitterMs: 20,
      // 100 lost of 1,200 expected, where the mean of the stretches would say 25 %.
      packetLossPct: 8.3,
      rttMs: 50,
      codec: 'opus',
    });
  });
});

describe('QualityMeter', () => {
  let now: number;
  let received: number;
  let lost: number;
  let published: CallQuality[];

  const meter = (): QualityMeter =>
    new QualityMeter({
      getStats: async () => report({ received, lost, jitterS: 0.005 }, 0.02) as unknown as RTCStatsReport,
      delegate: { onQuality: (quality) => published.push(quality) },
      now: () => now,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
    received = 0;
    lost = 0;
    published = [];
  });
  afterEach(() => vi.useRealTimers());

  /** Two seconds of audio at 50 packets a second, `lossPct` of them lost. */
  async function twoSeconds(subject: QualityMeter, lossPct = 0): Promise<void> {
    now += 2000;
    lost += lossPct;
    received += 100 - lossPct;
    await subject.sample();
  }

  it('passes on the first figures at once, then at most every 10 s while the level holds', async () => {
    const subject = meter();
    await twoSeconds(subject);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ jitterMs: 5, rttMs: 20, packetLossPct: 0, codec: 'opus' });
    for (let i = 0; i < 4; i++) await twoSeconds(subject);
    expect(published).toHaveLength(1);
    await twoSeconds(subject);
    expect(published).toHaveLength(2);
  });

  it('passes on a drop to a poor line at once, with the loss of the last 10 s', async () => {
    const subject = meter();
    for (let i = 0; i < 5; i++) await twoSeconds(subject);
    expect(published).toHaveLength(1);
    await twoSeconds(subject, 40);
    expect(published).toHaveLength(2);
    // 40 lost of the 500 packets of the last 10 s.
    expect(published[1]).toMatchObject({ packetLossPct: 8 });
    expect(qualityLevel(published[1]!.mos!)).not.toBe('good');
  });

  it('reads statistics on its timer until stopped, and sums the call up', async () => {
    const subject = meter();
    subject.start();
    received = 100;
    await vi.advanceTimersByTimeAsync(2000);
    expect(published).toHaveLength(1);
    subject.stop();
    received = 200;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(published).toHaveLength(1);
    expect(subject.result()).toMatchObject({ packetLossPct: 0, jitterMs: 5, rttMs: 20, codec: 'opus' });
  });
});
