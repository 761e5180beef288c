import {
  QualitySummary,
  qualityBetween,
  qualityLevel,
  readQualityCounters,
  type CallQuality,
  type QualityCounters,
} from '@/lib/phone/call-quality';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('quality');

export interface QualityMeterDelegate {
  /** The live quality changed enough to show (see {@link QualityMeterOptions.publishMs}). */
  onQuality(quality: CallQuality): void;
}

export interface QualityMeterOptions {
  /** The call's statistics (`RTCPeerConnection.getStats`); `undefined` while it has no connection. */
  getStats: () => Promise<RTCStatsReport | undefined> | undefined;
  delegate: QualityMeterDelegate;
  /** How often statistics are read. @defaultValue 2000 */
  intervalMs?: number;
  /** The stretch the live figures cover (loss over it, latest jitter and RTT). @defaultValue 10000 */
  windowMs?: number;
  /**
   * Live figures are passed on at most this often, unless the quality level changes (then at
   * once): every change would be a snapshot, a storage write and a history write.
   * @defaultValue 10000
   */
  publishMs?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/**
 * Measures one call's audio quality while it is up: reads WebRTC statistics every few seconds,
 * passes on the live figures (with an estimated MOS), and sums the call up when it ends.
 */
export class QualityMeter {
  private readonly options: Required<Omit<QualityMeterOptions, 'delegate' | 'getStats'>> &
    Pick<QualityMeterOptions, 'delegate' | 'getStats'>;
  private readonly summary = new QualitySummary();
  /** Readings of the last window, oldest first. */
  private readings: { at: number; counters: QualityCounters }[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private published: { at: number; quality: CallQuality } | undefined;
  private sampling = false;

  constructor(options: QualityMeterOptions) {
    this.options = { intervalMs: 2000, windowMs: 10_000, publishMs: 10_000, now: Date.now, ...options };
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.sample(), this.options.intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The whole call so far; `undefined` before the first reading with audio. */
  result(): CallQuality | undefined {
    return this.summary.result();
  }

  /** Reads the statistics once (the timer calls it; tests call it directly). */
  async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const report = await this.options.getStats();
      const counters = report ? readQualityCounters(report) : undefined;
      if (!counters) return;
      const now = this.options.now();
      const previous = this.readings.at(-1)?.counters;
      this.summary.add(qualityBetween(previous, counters), counters);
      this.readings.push({ at: now, counters });
      // Keep one reading at or before the window's start, so the window's loss covers all of it.
      while (this.readings.length > 2 && this.readings[1]!.at <= now - this.options.windowMs) this.readings.shift();
      const base = this.readings.length > 1 ? this.readings[0]!.counters : undefined;
      this.publish(qualityBetween(base, counters), now);
    } catch (error) {
      log.debug('getStats failed', error);
    } finally {
      this.sampling = false;
    }
  }

  private publish(quality: CallQuality, now: number): void {
    const last = this.published;
    const levelChanged = last === undefined || qualityLevel(last.quality.mos ?? 5) !== qualityLevel(quality.mos ?? 5);
    if (!levelChanged && now - last.at < this.options.publishMs) return;
    this.published = { at: now, quality };
    this.options.delegate.onQuality(quality);
  }
}
