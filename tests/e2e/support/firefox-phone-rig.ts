import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { ALL_SITES_ORIGINS } from '../../../lib/settings/page-access.ts';
import { launchChromium, type LaunchedChromium } from '../harness/chromium.ts';
import { grantedExtensionCopy } from '../harness/granted-extension.ts';
import { launchFirefox, openExtensionPage, type LaunchedFirefox, type LaunchFirefoxOptions } from '../harness/firefox.ts';
import { FarEnd, startFarEndServer, type FarEndStats } from '../harness/far-end.ts';
import { startKamailio, type KamailioOptions, type KamailioServer } from '../harness/kamailio.ts';
import type { StaticServer } from '../harness/static-server.ts';
import { OptionsPage } from '../pages/options-page.ts';
import { SidePanelPage } from '../pages/side-panel-page.ts';
import { AGENT, agentSettingsFor, type CallFacts } from './phone-rig.ts';

/** The Firefox build (`wxt build -b firefox`). */
export const FIREFOX_EXTENSION_DIR = path.resolve('.output/firefox-mv2');

/** What a panel shows before and after the settings load (same as SidePanelPage.open waits for). */
const PANEL_READY = '[data-testid="registration-status"], [data-testid="open-options"]';

/** Options for {@link FirefoxPhoneRig.start}. */
export interface FirefoxRigOptions {
  kamailio?: KamailioOptions;
  /** Password the add-on is configured with (default: the right one). */
  agentPassword?: string;
  /** Skip configuring the add-on (policy scenarios, or a test that stores its own settings). */
  unconfigured?: boolean;
  /**
   * The built add-on to install (default: a copy of {@link FIREFOX_EXTENSION_DIR} with click-to-call's
   * access to pages granted, as after the user's *Allow on all sites*).
   */
  extensionDir?: string;
  /** Whether that default copy has page access granted (default true); false installs the bare build. */
  pageAccess?: boolean;
  /** Optional host permissions granted in that default copy besides page access (e.g. `https://*.amocrm.ru/*`). */
  grantOrigins?: string[];
  /** Top-level settings fields stored with the agent's account (e.g. `crm`). */
  settings?: Record<string, unknown>;
  /** How Firefox is started besides the add-on (extra prefs, `acceptInsecureCerts`). */
  firefox?: Omit<LaunchFirefoxOptions, 'extensionDir'>;
  /** Runs once Kamailio is up and before Firefox starts (Firefox reads policies.json at start-up). */
  beforeLaunch?: (kamailio: KamailioServer) => Promise<void>;
}

/** Audio counters of a call plus how loud the received audio was (WebRTC stats, RMS over the call so far). */
export interface ReceivedAudio extends FarEndStats {
  /** sqrt(totalAudioEnergy / totalSamplesDuration): RMS of the received audio, 0…1. */
  rms: number;
}

/** The parts of the add-on's background page the rig reads (MV2: the engine runs there). */
interface BackgroundWindow {
  phoneEngine?: {
    liveCall(callId: string): { peerConnection(): RTCPeerConnection | undefined } | undefined;
    snapshot(): { calls: Record<string, unknown>[]; recent: { id: string; endReason?: string }[] };
    currentTone: string;
    dtmfMethod(accountId: string): string;
    conferenceWiring(): { members: { callId: string; sends: string[]; onLine: boolean }[]; muted: boolean } | undefined;
  };
}

/** The WebExtension APIs an extension page of the add-on has, as far as the rig uses them. */
interface ExtensionGlobals {
  browser: {
    runtime: { getBackgroundPage(): Promise<BackgroundWindow> };
    storage: {
      local: { get(key: string): Promise<Record<string, unknown>>; set(items: object): Promise<void> };
      session: { get(key: string): Promise<Record<string, unknown>> };
      managed: { get(): Promise<Record<string, unknown>> };
    };
    browserAction: { getBadgeText(details: object): Promise<string>; getTitle(details: object): Promise<string> };
    sidebarAction: { isOpen(details: object): Promise<boolean> };
  };
}

/** RMS of received audio from its WebRTC stats; 0 before any audio was decoded. */
export function rmsOf(stats: FarEndStats): number {
  const seconds = stats.audioSeconds ?? 0;
  return seconds > 0 ? Math.sqrt((stats.audioEnergy ?? 0) / seconds) : 0;
}

/**
 * The Firefox counterpart of PhoneRig: Kamailio on loopback with digest auth, Firefox ESR running
 * the built add-on (its engine in the MV2 background page), and Chromium for the far ends.
 *
 * The far ends stay in Chromium: the SIP.js far-end page and its loopback ICE filter are the ones
 * every Chrome scenario already trusts, so a failure here is Firefox's, and each call crosses
 * browsers (Firefox's WebRTC against Chromium's), as a real agent's calls to other softphones do.
 */
export class FirefoxPhoneRig {
  readonly kamailio: KamailioServer;
  readonly pages: StaticServer;
  readonly firefox: LaunchedFirefox;
  readonly chromium: LaunchedChromium;
  /**
   * A panel tab the rig keeps for itself: the background page is not a BiDi target, so the rig
   * reaches storage, the badge and the engine from an extension page of the add-on.
   */
  private readonly control: Page;
  /** Top-level settings fields every stored settings object carries ({@link FirefoxRigOptions.settings}). */
  private readonly extraSettings: Record<string, unknown>;

  // No parameter properties: the harness files are also run by Node's type stripping.
  private constructor(
    kamailio: KamailioServer,
    pages: StaticServer,
    firefox: LaunchedFirefox,
    chromium: LaunchedChromium,
    control: Page,
    extraSettings: Record<string, unknown> = {},
  ) {
    this.kamailio = kamailio;
    this.pages = pages;
    this.firefox = firefox;
    this.chromium = chromium;
    this.control = control;
    this.extraSettings = extraSettings;
  }

  static async start(options: FirefoxRigOptions = {}): Promise<FirefoxPhoneRig> {
    const kamailio = await startKamailio(options.kamailio);
    const stops: (() => Promise<void>)[] = [() => kamailio.stop()];
    const unwind = async (): Promise<void> => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    };
    try {
      const pages = await startFarEndServer();
      stops.push(() => pages.stop());
      await options.beforeLaunch?.(kamailio);
      const chromium = await launchChromium();
      stops.push(() => chromium.close());
      const pageAccess = options.pageAccess ?? true;
      const origins = [...(pageAccess ? ALL_SITES_ORIGINS : []), ...(options.grantOrigins ?? [])];
      const extensionDir =
        options.extensionDir ?? (origins.length > 0 ? await grantedExtensionCopy(FIREFOX_EXTENSION_DIR, origins) : FIREFOX_EXTENSION_DIR);
      const firefox = await launchFirefox({ ...options.firefox, extensionDir });
      stops.push(() => firefox.close());
      const control = await openExtensionPage(firefox, 'sidepanel.html', PANEL_READY);
      const rig = new FirefoxPhoneRig(kamailio, pages, firefox, chromium, control, options.settings);
      if (!options.unconfigured) await rig.configureAgent(options.agentPassword ?? AGENT.password);
      return rig;
    } catch (error) {
      await unwind();
      throw error;
    }
  }

  /** The add-on's settings as the options page would save them. */
  agentSettings(password: string = AGENT.password): Record<string, unknown> {
    return agentSettingsFor({ wsServer: this.kamailio.wsUrl, domain: this.kamailio.domain, password, extra: this.extraSettings });
  }

  /** Stores `settings` (default: the agent's account) as the add-on's own settings. */
  async configureAgent(password: string = AGENT.password, settings: object = this.agentSettings(password)): Promise<void> {
    await this.control.evaluate(async (value) => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      await browser.storage.local.set({ settings: value, settings$: { v: 1 } });
    }, settings);
  }

  /** The add-on's own stored settings (undefined when it has none). */
  async storedSettings(): Promise<unknown> {
    return this.control.evaluate(async () => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      return (await browser.storage.local.get('settings')).settings;
    });
  }

  /** What `storage.managed.get()` gives the add-on, or the words it rejects with. */
  async managedStorage(): Promise<{ value?: Record<string, unknown>; error?: string }> {
    return this.control.evaluate(async () => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      try {
        return { value: await browser.storage.managed.get() };
      } catch (error) {
        return { error: String(error) };
      }
    });
  }

  async openPanel(): Promise<SidePanelPage> {
    return SidePanelPage.wrap(await openExtensionPage(this.firefox, 'sidepanel.html', PANEL_READY));
  }

  async openOptions(): Promise<OptionsPage> {
    return OptionsPage.wrap(await openExtensionPage(this.firefox, 'options.html', '[data-testid="options-page"]'));
  }

  /** A customer's SIP.js softphone, in Chromium. */
  async openFarEnd(user: string, password = `pw${user}`): Promise<FarEnd> {
    const farEnd = await FarEnd.open(this.chromium.browser, this.pages.url);
    await farEnd.register({ wsUrl: this.kamailio.wsUrl, user, password, domain: this.kamailio.domain });
    return farEnd;
  }

  /** RTP counters and received-audio energy of call `callId` in the engine (background page's RTCPeerConnection). */
  async engineStats(callId: string): Promise<ReceivedAudio> {
    const stats = await this.control.evaluate(async (id) => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      const engine = (await browser.runtime.getBackgroundPage()).phoneEngine;
      const pc = engine?.liveCall(id)?.peerConnection();
      if (!pc) throw new Error(`the engine has no live call ${id}`);
      const totals = { bytesSent: 0, bytesReceived: 0, packetsReceived: 0, audioEnergy: 0, audioSeconds: 0 };
      (await pc.getStats()).forEach((report: Record<string, unknown>) => {
        if (report.kind !== 'audio') return;
        if (report.type === 'outbound-rtp') totals.bytesSent += Number(report.bytesSent ?? 0);
        if (report.type === 'inbound-rtp') {
          totals.bytesReceived += Number(report.bytesReceived ?? 0);
          totals.packetsReceived += Number(report.packetsReceived ?? 0);
          totals.audioEnergy += Number(report.totalAudioEnergy ?? 0);
          totals.audioSeconds += Number(report.totalSamplesDuration ?? 0);
        }
      });
      return totals;
    }, callId);
    return { ...stats, rms: rmsOf(stats) };
  }

  /** The calls in the engine's own snapshot. */
  async engineCalls(): Promise<CallFacts[]> {
    return this.control.evaluate(async () => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      const engine = (await browser.runtime.getBackgroundPage()).phoneEngine;
      if (!engine) throw new Error('the background page has no phone engine');
      return engine
        .snapshot()
        .calls.map((call) => ({ id: String(call.id), state: String(call.state), reconnecting: call.reconnecting === true }));
    });
  }

  /** How call `callId` ended, as the engine's recent calls say (undefined while it is not over). */
  async engineEndReason(callId: string): Promise<string | undefined> {
    return this.control.evaluate(async (id) => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      const engine = (await browser.runtime.getBackgroundPage()).phoneEngine;
      if (!engine) throw new Error('the background page has no phone engine');
      return engine.snapshot().recent.find((call) => call.id === id)?.endReason;
    }, callId);
  }

  /** The tone the engine plays now (`ringtone`, `call-waiting`, `ringback`, `none`). */
  async engineTone(): Promise<string> {
    return this.control.evaluate(async () => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      const engine = (await browser.runtime.getBackgroundPage()).phoneEngine;
      if (!engine) throw new Error('the background page has no phone engine');
      return engine.currentTone;
    });
  }

  /** What each conference call sends, as the engine wired it; `null` when no conference is mixed. */
  async conferenceWiring(): Promise<{ members: { callId: string; sends: string[]; onLine: boolean }[]; muted: boolean } | null> {
    return this.control.evaluate(async () => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      const engine = (await browser.runtime.getBackgroundPage()).phoneEngine;
      if (!engine) throw new Error('the background page has no phone engine');
      const wiring = engine.conferenceWiring();
      return wiring ? (JSON.parse(JSON.stringify(wiring)) as typeof wiring) : null;
    });
  }

  /** The keypad method (`rfc4733` or `info`) the engine uses for the agent's account. */
  async engineDtmfMethod(): Promise<string> {
    return this.control.evaluate(async () => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      const engine = (await browser.runtime.getBackgroundPage()).phoneEngine;
      if (!engine) throw new Error('the background page has no phone engine');
      return engine.dtmfMethod('main');
    });
  }

  /** The calls in the snapshot the background mirrors into `storage.session` (what panels and the badge read). */
  async mirroredCalls(): Promise<CallFacts[]> {
    return this.control.evaluate(async () => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      const { phoneSnapshot } = await browser.storage.session.get('phoneSnapshot');
      const calls = (phoneSnapshot as { calls?: Record<string, unknown>[] } | undefined)?.calls ?? [];
      return calls.map((call) => ({ id: String(call.id), state: String(call.state), reconnecting: call.reconnecting === true }));
    });
  }

  /**
   * Starts noting every notification the background page raises (id, title, text). Headless Firefox
   * has no notification display: a notification is closed as soon as it is created, so
   * `notifications.getAll()` never lists it; the rig wraps `notifications.create` instead.
   */
  async recordNotifications(): Promise<void> {
    await this.control.evaluate(async () => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      const background = (await browser.runtime.getBackgroundPage()) as unknown as {
        browser: { notifications: { create: (...args: unknown[]) => Promise<string> } };
        shownNotifications?: { id: string; title: string; message: string }[];
      };
      if (background.shownNotifications) return;
      const shown: { id: string; title: string; message: string }[] = [];
      background.shownNotifications = shown;
      const api = background.browser.notifications;
      const create = api.create.bind(api);
      api.create = (...args: unknown[]) => {
        const options = args.find((arg) => typeof arg === 'object' && arg !== null) as { title?: string; message?: string } | undefined;
        shown.push({
          id: typeof args[0] === 'string' ? args[0] : '',
          title: String(options?.title ?? ''),
          message: String(options?.message ?? ''),
        });
        return create(...args);
      };
    });
  }

  /** The notifications raised since {@link recordNotifications}, oldest first. */
  async notifications(): Promise<{ id: string; title: string; message: string }[]> {
    return this.control.evaluate(async () => {
      const { browser } = globalThis as unknown as ExtensionGlobals;
      const background = (await browser.runtime.getBackgroundPage()) as unknown as {
        shownNotifications?: { id: string; title: string; message: string }[];
      };
      return (background.shownNotifications ?? []).map((entry) => ({ ...entry }));
    });
  }

  /** Whether the add-on's sidebar is open in the current window (Firefox opens it when the add-on is installed). */
  async sidebarOpen(): Promise<boolean> {
    return this.control.evaluate(() => (globalThis as unknown as ExtensionGlobals).browser.sidebarAction.isOpen({}));
  }

  /** Ids of the notifications raised since {@link recordNotifications} (`message:…`, `recording-error`, …). */
  async notificationIds(): Promise<string[]> {
    return (await this.notifications()).map((entry) => entry.id);
  }

  async badgeText(): Promise<string> {
    return this.control.evaluate(() => (globalThis as unknown as ExtensionGlobals).browser.browserAction.getBadgeText({}));
  }

  /** The history row (`CallRecord`) of engine call `callId`, read from the add-on's IndexedDB. */
  async callRecord(callId: string): Promise<Record<string, unknown> | undefined> {
    return this.control.evaluate(
      (id) =>
        new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
          const open = indexedDB.open('crm-softphone-history');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const read = open.result.transaction('calls').objectStore('calls').getAll();
            read.onerror = () => reject(read.error);
            read.onsuccess = () => {
              open.result.close();
              const row = (read.result as Record<string, unknown>[]).find((candidate) => candidate.callId === id);
              // Only plain data crosses back to node.
              resolve(row ? (JSON.parse(JSON.stringify(row)) as Record<string, unknown>) : undefined);
            };
          };
        }),
      callId,
    );
  }

  async close(): Promise<void> {
    await this.firefox.close().catch(() => undefined);
    await this.chromium.close().catch(() => undefined);
    await this.pages.stop().catch(() => undefined);
    await this.kamailio.stop().catch(() => undefined);
  }
}
