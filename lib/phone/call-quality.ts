import { z } from 'zod';

/**
 * How a call sounds, from WebRTC statistics: what the panel shows live and what history keeps.
 * Times in milliseconds, loss in percent of the packets that should have arrived.
 */
export const CallQualitySchema = z.object({
  /** Estimated mean opinion score, 1–5 ({@link estimateMos}). */
  mos: z.number().min(1).max(5).optional(),
  jitterMs: z.number().nonnegative().optional(),
  packetLossPct: z.number().min(0).max(100).optional(),
  rttMs: z.number().nonnegative().optional(),
  codec: z.string().optional(),
});
export type CallQuality = z.infer<typeof CallQualitySchema>;

/** How the quality reads to a person: the panel warns on `poor`. */
export type QualityLevel = 'good' | 'fair' | 'poor';

/**
 * MOS thresholds of the levels: 4.0 and up is toll quality; below 3.6 a good share of listeners are
 * dissatisfied (ITU-T G.107 Annex B maps R 80 → MOS 4.0 "satisfied", R 70 → MOS 3.6 "some users
 * dissatisfied").
 */
const GOOD_MOS = 4.0;
const FAIR_MOS = 3.6;

/** The level of a MOS. */
export function qualityLevel(mos: number): QualityLevel {
  if (mos >= GOOD_MOS) return 'good';
  if (mos >= FAIR_MOS) return 'fair';
  return 'poor';
}

/**
 * Estimated MOS from what a browser can measure, with the simplified E-model used by VoIP monitors
 * (ITU-T G.107, with the codec's own impairment folded into the default R of 93.2):
 * one-way delay ≈ RTT / 2, plus twice the jitter (what a jitter buffer adds), plus 10 ms of codec
 * delay; the delay impairment grows 4× faster past 160 ms; each percent of loss costs 2.5 R points.
 * R then maps to MOS with G.107's formula (B-4), capped at 4.5 (narrow-band's best).
 */
export function estimateMos({ rttMs = 0, jitterMs = 0, packetLossPct = 0 }: Omit<CallQuality, 'mos' | 'codec'>): number {
  const latency = rttMs / 2 + jitterMs * 2 + 10;
  let r = latency < 160 ? 93.2 - latency / 40 : 93.2 - (latency - 120) / 10;
  r -= packetLossPct * 2.5;
  if (r <= 0) return 1;
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return Math.round(Math.min(4.5, Math.max(1, mos)) * 100) / 100;
}

/** The counters of one statistics report that quality is worked out from. */
export interface QualityCounters {
  /** Packets received and lost so far (cumulative, from `inbound-rtp`). */
  packetsReceived: number;
  packetsLost: number;
  /** Receive jitter in ms (`inbound-rtp.jitter`). */
  jitterMs?: number;
  /** Round trip in ms: RTCP's (`remote-inbound-rtp`), else ICE's (`candidate-pair`). */
  rttMs?: number;
  /** E.g. `opus`, `PCMA`. */
  codec?: string;
}

/**
 * Reads the audio counters out of `RTCPeerConnection.getStats()` (W3C webrtc-stats). `undefined`
 * while there is no inbound audio yet.
 */
export function readQualityCounters(report: Iterable<[string, Record<string, unknown>]> | RTCStatsReport): QualityCounters | undefined {
  const stats = new Map<string, Record<string, unknown>>();
  for (const [id, value] of report as Iterable<[string, Record<string, unknown>]>) stats.set(id, value);
  let inbound: Record<string, unknown> | undefined;
  let remoteRtt: number | undefined;
  let pairRtt: number | undefined;
  for (const stat of stats.values()) {
    const kind = stat.kind ?? stat.mediaType;
    if (stat.type === 'inbound-rtp' && kind === 'audio') inbound = stat;
    else if (stat.type === 'remote-inbound-rtp' && kind === 'audio' && typeof stat.roundTripTime === 'number') {
      remoteRtt = stat.roundTripTime * 1000;
    } else if (
      stat.type === 'candidate-pair' &&
      stat.state === 'succeeded' &&
      stat.nominated !== false &&
      typeof stat.currentRoundTripTime === 'number'
    ) {
      pairRtt = stat.currentRoundTripTime * 1000;
    }
  }
  if (!inbound) return undefined;
  const codecStat = typeof inbound.codecId === 'string' ? stats.get(inbound.codecId) : undefined;
  const mimeType = typeof codecStat?.mimeType === 'string' ? codecStat.mimeType : undefined;
  const rttMs = remoteRtt ?? pairRtt;
  return {
    packetsReceived: numberOr(inbound.packetsReceived, 0),
    // packetsLost can go negative with duplicates (RFC 3550 §6.4.1); never count that as a gain.
    packetsLost: Math.max(0, numberOr(inbound.packetsLost, 0)),
    ...(typeof inbound.jitter === 'number' ? { jitterMs: inbound.jitter * 1000 } : {}),
    ...(rttMs === undefined ? {} : { rttMs }),
    ...(mimeType ? { codec: mimeType.replace(/^audio\//i, '') } : {}),
  };
}

/** Quality between two readings of the counters (the loss of that stretch, the latest jitter and RTT). */
export function qualityBetween(previous: QualityCounters | undefined, current: QualityCounters): CallQuality {
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = current.packetsLost - (previous?.packetsLost ?? 0);
  const expected = Math.max(0, received) + Math.max(0, lost);
  const packetLossPct = expected > 0 ? round1((Math.max(0, lost) / expected) * 100) : 0;
  const measured = {
    ...(current.jitterMs === undefined ? {} : { jitterMs: round1(current.jitterMs) }),
    packetLossPct,
    ...(current.rttMs === undefined ? {} : { rttMs: round1(current.rttMs) }),
  };
  return { mos: estimateMos(measured), ...measured, ...(current.codec ? { codec: current.codec } : {}) };
}

/**
 * What a whole call sounded like, from its stretches: the mean of each measure, and the loss over
 * all packets (so a long clean stretch is not outweighed by a short lossy one).
 */
export class QualitySummary {
  private stretches = 0;
  private mosSum = 0;
  private jitterSum = 0;
  private jitterCount = 0;
  private rttSum = 0;
  private rttCount = 0;
  private codec: string | undefined;
  private first: QualityCounters | undefined;
  private last: QualityCounters | undefined;

  /** Adds one stretch, measured as `quality` up to the `counters` reading. */
  add(quality: CallQuality, counters: QualityCounters): void {
    this.first ??= counters;
    this.last = counters;
    this.stretches += 1;
    this.mosSum += quality.mos ?? 0;
    if (quality.jitterMs !== undefined) {
      this.jitterSum += quality.jitterMs;
      this.jitterCount += 1;
    }
    if (quality.rttMs !== undefined) {
      this.rttSum += quality.rttMs;
      this.rttCount += 1;
    }
    this.codec = quality.codec ?? this.codec;
  }

  /** `undefined` until a stretch was added. */
  result(): CallQuality | undefined {
    if (this.stretches === 0 || !this.last) return undefined;
    const total = qualityBetween(undefined, this.last);
    return {
      mos: Math.round((this.mosSum / this.stretches) * 100) / 100,
      ...(this.jitterCount > 0 ? { jitterMs: round1(this.jitterSum / this.jitterCount) } : {}),
      packetLossPct: total.packetLossPct ?? 0,
      ...(this.rttCount > 0 ? { rttMs: round1(this.rttSum / this.rttCount) } : {}),
      ...(this.codec ? { codec: this.codec } : {}),
    };
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
