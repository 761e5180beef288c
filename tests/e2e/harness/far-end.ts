/**
 * Typed access to the far-end softphone page (tests/e2e/far-end/) from node tests: serves it, opens
 * it in a puppeteer Browser and wraps its `window.farEnd` API.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { startStaticServer, type StaticServer } from './static-server.ts';

/** Call state reported by the far-end page. */
export type FarEndState = 'idle' | 'ringing-in' | 'calling' | 'ringing-out' | 'established' | 'terminated';

/** Audio RTP counters from RTCPeerConnection.getStats() (inbound-rtp / outbound-rtp, kind audio). */
export interface FarEndStats {
  bytesSent: number;
  bytesReceived: number;
  packetsReceived: number;
  /** Received audio's `totalAudioEnergy` (far-end page only): how loud what it heard was. */
  audioEnergy?: number;
  /** Received audio's `totalSamplesDuration` in seconds (far-end page only). */
  audioSeconds?: number;
}

/** Account for {@link FarEnd.register}. */
export interface FarEndAccount {
  wsUrl: string;
  user: string;
  password: string;
  domain?: string;
  displayName?: string;
  /** false turns off the page's own loopback-only ICE filter (default true). */
  filterCandidates?: boolean;
}

/** SDPs of the last offer/answer the page saw. */
export interface FarEndSdp {
  /** Local SDP as sent (after the page's loopback filter). */
  local: string;
  /** Remote SDP as applied (after the page's loopback filter). */
  remote: string;
  /** Local SDP as the browser produced it. */
  localUnfiltered: string;
  /** Remote SDP as received. */
  remoteUnfiltered: string;
}

/** A text MESSAGE the far end received. */
export interface FarEndMessage {
  /** The sender's SIP URI. */
  from: string;
  body: string;
  contentType: string;
  callId: string;
}

/** A DTMF digit the far end received in a SIP INFO. */
export interface FarEndInfoDtmf {
  /** The `Signal=` of the body. */
  signal: string;
  /** The `Duration=` of the body, in ms. */
  duration: number;
  contentType: string;
}

/** The final answer to a MESSAGE the far end sent (code 0 when none came). */
export interface FarEndAnswer {
  code: number;
  reason: string;
}

/** The API the page puts on `window.farEnd` (see far-end.js). */
export interface FarEndApi {
  register(account: FarEndAccount): Promise<{ code: number }>;
  unregister(): Promise<void>;
  registration(): string;
  call(target: string): Promise<void>;
  answer(): Promise<void>;
  decline(code?: number): Promise<void>;
  cancel(): Promise<void>;
  hangup(): Promise<void>;
  hold(on: boolean): Promise<void>;
  refer(target: string): Promise<void>;
  state(): FarEndState;
  waitForState(state: FarEndState, timeoutMs?: number): Promise<FarEndState>;
  events(): string[];
  stats(): Promise<FarEndStats>;
  autoAnswer(enabled: boolean): boolean;
  lastInvite(): string;
  lastRefer(): string;
  refuseRefer(code: number): number;
  refuseInfo(code: number): number;
  infoDtmf(): FarEndInfoDtmf[];
  waitForInfoDtmf(count: number, timeoutMs?: number): Promise<FarEndInfoDtmf[]>;
  sdp(): FarEndSdp;
  sendMessage(target: string, body: string, contentType?: string): Promise<FarEndAnswer>;
  messages(): FarEndMessage[];
  waitForMessages(count: number, timeoutMs?: number): Promise<FarEndMessage[]>;
}

type FarEndWindow = Window & { farEnd: FarEndApi };

const HERE = dirname(fileURLToPath(import.meta.url));
/** tests/e2e/far-end, the page's directory. */
export const FAR_END_DIR = resolve(HERE, '../far-end');
/** SIP.js's ESM build, served to the page under /sip.js/. */
export const SIP_JS_LIB_DIR = resolve(HERE, '../../../node_modules/sip.js/lib');

/**
 * Serves the far-end page at `/` and SIP.js at `/sip.js/` (the page imports `/sip.js/index.js`;
 * all of SIP.js's internal imports are relative `.js` paths, so no bundler is needed).
 */
export async function startFarEndServer(): Promise<StaticServer> {
  return startStaticServer({
    '/': FAR_END_DIR,
    // cacheable: a second tab then loads SIP.js's 190 modules from the browser's cache
    '/sip.js/': { dir: SIP_JS_LIB_DIR, maxAgeSeconds: 3600 },
  });
}

/** One far-end phone in a browser tab. Each method runs the same-named page method. */
export class FarEnd {
  /** The tab, for screenshots or extra evaluate() calls. */
  readonly page: Page;

  // Plain field + assignment rather than a parameter property: scripts run these files with
  // Node's built-in type stripping, which only accepts erasable TypeScript syntax.
  private constructor(page: Page) {
    this.page = page;
  }

  /**
   * Opens the page in a new tab and waits for its API.
   * @param baseUrl - the {@link startFarEndServer} URL
   * @param query - optional query string for the visible form (e.g. "user=1002&autoAnswer=1")
   */
  static async open(browser: Browser, baseUrl: string, query = ''): Promise<FarEnd> {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/${query ? `?${query}` : ''}`);
    await page.waitForFunction(() => 'farEnd' in window, { timeout: 10_000 });
    return new FarEnd(page);
  }

  /** Registers; rejects with "REGISTER failed: CODE REASON" when the registrar refuses. */
  register(account: FarEndAccount): Promise<{ code: number }> {
    return this.page.evaluate((a) => (window as unknown as FarEndWindow).farEnd.register(a), account);
  }

  unregister(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.unregister());
  }

  registration(): Promise<string> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.registration());
  }

  /** Calls "1002", "2000" or a full SIP URI; resolves once the INVITE is sent. */
  call(target: string): Promise<void> {
    return this.page.evaluate((t) => (window as unknown as FarEndWindow).farEnd.call(t), target);
  }

  answer(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.answer());
  }

  decline(code?: number): Promise<void> {
    return this.page.evaluate((c) => (window as unknown as FarEndWindow).farEnd.decline(c), code);
  }

  cancel(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.cancel());
  }

  hangup(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.hangup());
  }

  /** Puts the established call on hold (re-INVITE, a=sendonly) or resumes it. */
  hold(on: boolean): Promise<void> {
    return this.page.evaluate((o) => (window as unknown as FarEndWindow).farEnd.hold(o), on);
  }

  /** Blind-transfers the established call to `target` (REFER); resolves on 202 Accepted. */
  refer(target: string): Promise<void> {
    return this.page.evaluate((t) => (window as unknown as FarEndWindow).farEnd.refer(t), target);
  }

  state(): Promise<FarEndState> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.state());
  }

  waitForState(state: FarEndState, timeoutMs = 10_000): Promise<FarEndState> {
    return this.page.evaluate(
      (s, t) => (window as unknown as FarEndWindow).farEnd.waitForState(s, t),
      state,
      timeoutMs,
    );
  }

  events(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.events());
  }

  stats(): Promise<FarEndStats> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.stats());
  }

  autoAnswer(enabled: boolean): Promise<boolean> {
    return this.page.evaluate((e) => (window as unknown as FarEndWindow).farEnd.autoAnswer(e), enabled);
  }

  lastInvite(): Promise<string> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.lastInvite());
  }

  lastRefer(): Promise<string> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.lastRefer());
  }

  /** Answers REFERs with `code` (403, 405, 501…) instead of following them; 0 follows them again. */
  refuseRefer(code: number): Promise<number> {
    return this.page.evaluate((c) => (window as unknown as FarEndWindow).farEnd.refuseRefer(c), code);
  }

  /** Answers INFOs with `code` (405, 501…) instead of 200; 0 accepts them again. */
  refuseInfo(code: number): Promise<number> {
    return this.page.evaluate((c) => (window as unknown as FarEndWindow).farEnd.refuseInfo(c), code);
  }

  /** DTMF digits received in SIP INFO so far, oldest first. */
  infoDtmf(): Promise<FarEndInfoDtmf[]> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.infoDtmf());
  }

  /** Resolves with the INFO digits once at least `count` arrived. */
  waitForInfoDtmf(count: number, timeoutMs = 10_000): Promise<FarEndInfoDtmf[]> {
    return this.page.evaluate(
      (n, t) => (window as unknown as FarEndWindow).farEnd.waitForInfoDtmf(n, t),
      count,
      timeoutMs,
    );
  }

    sdp(): Promise<FarEndSdp> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.sdp());
  }

  /** Sends a text MESSAGE to "1001" or a SIP URI; resolves with the final answer, whatever it is. */
  sendMessage(target: string, body: string, contentType?: string): Promise<FarEndAnswer> {
    return this.page.evaluate(
      (t, b, c) => (window as unknown as FarEndWindow).farEnd.sendMessage(t, b, c),
      target,
      body,
      contentType,
    );
  }

  /** Text messages received so far, oldest first. */
  messages(): Promise<FarEndMessage[]> {
    return this.page.evaluate(() => (window as unknown as FarEndWindow).farEnd.messages());
  }

  /** Resolves with the received messages once there are at least `count`. */
  waitForMessages(count: number, timeoutMs = 10_000): Promise<FarEndMessage[]> {
    return this.page.evaluate(
      (n, t) => (window as unknown as FarEndWindow).farEnd.waitForMessages(n, t),
      count,
      timeoutMs,
    );
  }

  /** Closes the tab (the page's WebSocket closes with it). */
  async close(): Promise<void> {
    if (!this.page.isClosed()) await this.page.close();
  }
}

/** What a far end sent and received over a stretch of a call: bytes each way and the energy of what it heard. */
export interface FarEndFlow {
  sent: number;
  received: number;
  /** Growth of `totalAudioEnergy` of what it received (0 for silence). */
  energy: number;
}

/** Measures what `farEnd` sends and receives over the next `ms` milliseconds (its RTP counters). */
export async function flowOf(farEnd: FarEnd, ms = 2000): Promise<FarEndFlow> {
  const before = await farEnd.stats();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await farEnd.stats();
  return {
    sent: after.bytesSent - before.bytesSent,
    received: after.bytesReceived - before.bytesReceived,
    energy: (after.audioEnergy ?? 0) - (before.audioEnergy ?? 0),
  };
}
