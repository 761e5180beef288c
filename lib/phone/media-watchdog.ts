/** How long inbound audio may stay flat, with ICE broken, before the media counts as stalled. */
export const MEDIA_STALL_MS = 8000;

/** ICE connection states that say the media path is broken (W3C WebRTC §4.4.2, RTCIceConnectionState). */
const BROKEN_ICE: ReadonlySet<string> = new Set(['disconnected', 'failed']);

/** What a reading changed: the media just stalled, or audio arrives again after a stall. */
export type MediaEvent = 'stalled' | 'flowing';

/**
 * Notices a call whose media died without its signalling saying so: no inbound RTP packets for
 * {@link MEDIA_STALL_MS} while ICE reports `disconnected` or `failed`. Silence alone is not
 * enough (a far end on hold sends nothing, over a healthy path), nor is a short ICE
 * `disconnected` (it often heals by itself within seconds).
 *
 * It has no timer of its own: the call's quality meter already reads `getStats()` every few
 * seconds and hands each report here.
 */
export class MediaWatchdog {
  private packets: number | undefined;
  /** The last packet increase, or the last `stalled` report after it. */
  private since = 0;
  private stalled = false;

  constructor(private readonly stallMs: number = MEDIA_STALL_MS) {}

  /**
   * Takes one reading; returns what changed, if anything. A stall that goes on is reported again
   * every {@link MEDIA_STALL_MS}, so a restart that did not help is noticed too.
   */
  observe(packetsReceived: number, iceState: string, at: number): MediaEvent | undefined {
    if (this.packets === undefined || packetsReceived > this.packets) {
      this.packets = packetsReceived;
      this.since = at;
      if (this.stalled) {
        this.stalled = false;
        return 'flowing';
      }
      return undefined;
    }
    if (!BROKEN_ICE.has(iceState) || at - this.since < this.stallMs) return undefined;
    this.since = at;
    this.stalled = true;
    return 'stalled';
  }
}

/** Inbound audio RTP packets of a statistics report, summed over its `inbound-rtp` entries. */
export function inboundAudioPackets(report: RTCStatsReport | Iterable<[string, Record<string, unknown>]>): number {
  let packets = 0;
  for (const [, entry] of report as Iterable<[string, Record<string, unknown>]>) {
    const kind = entry.kind ?? entry.mediaType;
    if (entry.type === 'inbound-rtp' && kind === 'audio') packets += Number(entry.packetsReceived ?? 0);
  }
  return packets;
}
