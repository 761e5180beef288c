import { createHash } from 'node:crypto';
import path from 'node:path';
import type { CDPSession, Page, WebWorker } from 'puppeteer-core';
import { ALL_SITES_ORIGINS } from '../../../lib/settings/page-access.ts';
import { launchChromium, waitForExtension, type LaunchedChromium } from '../harness/chromium.ts';
import { grantedExtensionCopy, grantedExtensionPath } from '../harness/granted-extension.ts';
import { startKamailio, type KamailioOptions, type KamailioServer } from '../harness/kamailio.ts';
import {
  extensionEngineLines,
  extensionEngineStats,
  extensionOutputSinks,
  extensionSentTrack,
  type EngineConferenceWiring,
  type OutputSinks,
  type SentTrack,
} from '../harness/engine-stats.ts';
import { FarEnd, startFarEndServer, type FarEndStats } from '../harness/far-end.ts';
import type { StaticServer } from '../harness/static-server.ts';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.ts';
import { OptionsPage } from '../pages/options-page.ts';
import { SidePanelPage } from '../pages/side-panel-page.ts';

export const EXTENSION_DIR = path.resolve('.output/chrome-mv3');

/**
 * What the rig loads by default: a copy of the build with click-to-call's page access granted, as
 * after the user's "Allow on all sites" (a browser prompt no automation can answer). The build itself
 * asks for nothing at install; `RigOptions.pageAccess: false` loads it as it is.
 */
export const PAGE_ACCESS_EXTENSION_DIR = grantedExtensionPath(EXTENSION_DIR, ALL_SITES_ORIGINS);

/**
 * The id Chromium gives an unpacked extension without a `key` in its manifest: the SHA-256 of its
 * absolute path, first 32 hex digits written with the letters a–p (0 → a … f → p).
 */
export function unpackedExtensionId(dir: string = PAGE_ACCESS_EXTENSION_DIR): string {
  return createHash('sha256')
    .update(path.resolve(dir))
    .digest('hex')
    .slice(0, 32)
    .replace(/[0-9a-f]/g, (digit) => String.fromCharCode(97 + parseInt(digit, 16)));
}

/** The agent's account in every scenario. */
export const AGENT = { user: '1001', password: 'pw1001' } as const;

export interface RigOptions {
  kamailio?: KamailioOptions;
  /** Password the extension is configured with (default: the right one). */
  agentPassword?: string;
  /** Skip configuring the extension (a test that configures it through the options page). */
  unconfigured?: boolean;
  /** Reuse a browser profile (restart scenarios). */
  userDataDir?: string;
  /**
   * Runs once Kamailio is up and before Chromium starts, e.g. to write an administrator's policy
   * that points at this Kamailio (Chromium reads policy files at start-up).
   */
  beforeLaunch?: (kamailio: KamailioServer) => Promise<void>;
  /**
   * Puts a {@link TcpProxy} between the extension and Kamailio's WebSocket port (the far ends
   * still connect directly), so a test can cut the agent's connection alone.
   */
  webSocketProxy?: boolean;
  /** Extra Chromium flags (e.g. `--host-resolver-rules` to serve a CRM's host name on loopback). */
  chromiumArgs?: string[];
  /**
   * Whether click-to-call's access to pages is granted (default true: the copy in
   * {@link PAGE_ACCESS_EXTENSION_DIR}); false loads the build as a fresh install has it.
   */
  pageAccess?: boolean;
  /** The unpacked extension to run instead of the build (with {@link pageAccess} left to it). */
  extensionDir?: string;
  /**
   * Optional host permissions granted besides page access, as if the user had accepted the browser's
   * prompt (e.g. `https://*.amocrm.ru/*` for a fake CRM on loopback).
   */
  grantOrigins?: string[];
  /** Top-level settings fields stored with the agent's account (e.g. `crm`). */
  settings?: Record<string, unknown>;
}

/** A call as the engine, the background's mirror or the panel reports it. */
export interface CallFacts {
  id: string;
  state: string;
  reconnecting: boolean;
}

/**
 * Everything one scenario needs, all real: Kamailio on loopback with digest auth, Chromium running
 * the built extension, and a static server for the far-end softphone pages.
 */
export class PhoneRig {
  readonly kamailio: KamailioServer;
  readonly pages: StaticServer;
  readonly chromium: LaunchedChromium;
  readonly extensionId: string;
  /** The relay in front of Kamailio's WebSocket port, when the rig was started with one. */
  readonly proxy: TcpProxy | undefined;
  /** A browser-level DevTools session, kept open while permission overrides must hold. */
  private browserSession: CDPSession | undefined;
  /** Top-level settings fields every stored settings object carries ({@link RigOptions.settings}). */
  private readonly extraSettings: Record<string, unknown>;

  // No parameter properties: this file is also run by Node's type stripping (demo, benchmarks).
  private constructor(
    kamailio: KamailioServer,
    pages: StaticServer,
    chromium: LaunchedChromium,
    extensionId: string,
    proxy?: TcpProxy,
    extraSettings: Record<string, unknown> = {},
  ) {
    this.extraSettings = extraSettings;
    this.kamailio = kamailio;
    this.pages = pages;
    this.chromium = chromium;
    this.extensionId = extensionId;
    this.proxy = proxy;
  }

  static async start(options: RigOptions = {}): Promise<PhoneRig> {
    const kamailio = await startKamailio(options.kamailio);
    const pages = await startFarEndServer();
    let proxy: TcpProxy | undefined;
    try {
      await options.beforeLaunch?.(kamailio);
      if (options.webSocketProxy) proxy = await startTcpProxy(kamailio.wsPort);
    } catch (error) {
      await pages.stop().catch(() => undefined);
      await kamailio.stop().catch(() => undefined);
      throw error;
    }
    const pageAccess = options.pageAccess ?? true;
    const chromium = await launchChromium({
      extensionDir:
        options.extensionDir ??
        (pageAccess || options.grantOrigins?.length
          ? await grantedExtensionCopy(EXTENSION_DIR, [...(pageAccess ? ALL_SITES_ORIGINS : []), ...(options.grantOrigins ?? [])])
          : EXTENSION_DIR),
      ...(options.userDataDir ? { userDataDir: options.userDataDir } : {}),
      ...(options.chromiumArgs ? { args: options.chromiumArgs } : {}),
    });
    const { id } = await waitForExtension(chromium.browser);
    const rig = new PhoneRig(kamailio, pages, chromium, id, proxy, options.settings);
    // The background registers the content script at start; pages opened before that would miss it.
    if (pageAccess && !options.extensionDir) {
      const ids = await pollUntil(() => rig.registeredContentScripts(), (registered) => registered.includes('click-to-call'));
      if (!ids.includes('click-to-call')) {
        await rig.close();
        throw new Error(`the click-to-call script was not registered although page access is granted (registered: ${ids.join(', ') || 'none'})`);
      }
    }
    if (!options.unconfigured) await rig.configureAgent(options.agentPassword ?? AGENT.password);
    return rig;
  }

  /**
   * The extension's settings as the options page would save them; `account` overrides fields of the
   * agent's account (e.g. its recording policy).
   */
  agentSettings(password: string = AGENT.password, account: Record<string, unknown> = {}): object {
    const wsServer = this.proxy ? `ws://127.0.0.1:${this.proxy.port}` : this.kamailio.wsUrl;
    return agentSettingsFor({ wsServer, domain: this.kamailio.domain, password, account, extra: this.extraSettings });
  }

  async configureAgent(password: string = AGENT.password, account: Record<string, unknown> = {}): Promise<void> {
    const settings = this.agentSettings(password, account);
    const worker = await this.worker();
    await worker.evaluate(async (value) => {
      // Audio devices belong to the browser profile, not to the account: a restarted browser keeps them.
      const { settings: stored } = (await chrome.storage.local.get('settings')) as { settings?: { audio?: unknown } };
      const next = stored?.audio === undefined ? value : { ...value, audio: stored.audio };
      await chrome.storage.local.set({ settings: next, settings$: { v: 1 } });
    }, settings);
  }

  /**
   * Stores the extension's settings with top-level fields changed (e.g. auto-answer), the way the
   * options page saves them; the agent's account stays as it is, so it does not register again.
   */
  async configureSettings(fields: Record<string, unknown>): Promise<void> {
    const settings = { ...this.agentSettings(), ...fields };
    const worker = await this.worker();
    await worker.evaluate(async (value) => {
      await chrome.storage.local.set({ settings: value, settings$: { v: 1 } });
    }, settings);
  }

  /** The badge's tooltip (what the badge means, in words). */
  async badgeTitle(): Promise<string> {
    const worker = await this.worker();
    return worker.evaluate(() => (chrome.action as unknown as { getTitle(details: object): Promise<string> }).getTitle({}));
  }

  /** Stores audio settings as the options page's Audio section would (e.g. a headset remembered from earlier). */
  async storeAudioSettings(audio: Record<string, unknown>): Promise<void> {
    const worker = await this.worker();
    await worker.evaluate(async (value) => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings: Record<string, unknown> };
      await chrome.storage.local.set({ settings: { ...settings, audio: value } });
    }, audio);
  }

  /** The microphone track call `callId` sends, read in the engine's document. */
  sentTrack(callId: string): Promise<SentTrack> {
    return extensionSentTrack(this.chromium.browser, this.extensionId, callId);
  }

  /** Where the engine plays call audio and tones (sink ids; '' is the default output). */
  outputSinks(): Promise<OutputSinks> {
    return extensionOutputSinks(this.chromium.browser, this.extensionId);
  }

  /**
   * Changes the extension's site access the way the user does on its chrome://extensions page ("On
   * click", "On all sites"): Chromium withholds or restores the host permissions at run time and tells
   * the extension (`permissions.onRemoved` / `onAdded`).
   */
  async setSiteAccess(hostAccess: 'ON_CLICK' | 'ON_ALL_SITES'): Promise<void> {
    const page = await this.chromium.browser.newPage();
    try {
      await page.goto(`chrome://extensions/?id=${this.extensionId}`, { waitUntil: 'load' });
      await page.evaluate(
        (extensionId, access) =>
          (
            globalThis as unknown as {
              chrome: { developerPrivate: { updateExtensionConfiguration(update: object): Promise<void> } };
            }
          ).chrome.developerPrivate.updateExtensionConfiguration({ extensionId, hostAccess: access }),
        this.extensionId,
        hostAccess,
      );
    } finally {
      await page.close();
    }
  }

  /**
   * Allows (`add`) or takes back (`remove`) one site in the extension's site access, as the user does
   * on its chrome://extensions page with "On specific sites" → "Add a site": Chromium then grants
   * only the sites on that list at run time and tells the extension (`permissions.onAdded` /
   * `onRemoved`). `pattern` is a match pattern such as `http://127.0.0.1/*`.
   */
  async specificSiteAccess(change: 'add' | 'remove', pattern: string): Promise<void> {
    const page = await this.chromium.browser.newPage();
    try {
      await page.goto(`chrome://extensions/?id=${this.extensionId}`, { waitUntil: 'load' });
      await page.evaluate(
        async (extensionId, what, host) => {
          const developer = (
            globalThis as unknown as {
              chrome: {
                developerPrivate: {
                  updateExtensionConfiguration(update: object): Promise<void>;
                  addHostPermission(id: string, host: string): Promise<void>;
                  removeHostPermission(id: string, host: string): Promise<void>;
                };
              };
            }
          ).chrome.developerPrivate;
          if (what === 'remove') return developer.removeHostPermission(extensionId, host);
          await developer.updateExtensionConfiguration({ extensionId, hostAccess: 'ON_SPECIFIC_SITES' });
          return developer.addHostPermission(extensionId, host);
        },
        this.extensionId,
        change,
        pattern,
      );
    } finally {
      await page.close();
    }
  }

  /** The match patterns of the registered click-to-call script, `undefined` when none is registered. */
  async clickToCallMatches(): Promise<string[] | undefined> {
    const worker = await this.worker();
    return worker.evaluate(
      async () => (await chrome.scripting.getRegisteredContentScripts({ ids: ['click-to-call'] }))[0]?.matches,
    );
  }

  /** Ids of the content scripts the extension has registered at run time (`scripting`). */
  async registeredContentScripts(): Promise<string[]> {
    const worker = await this.worker();
    return worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).map((script) => script.id));
  }

  /** The extension's service worker (woken and re-found after it was stopped). */
  async worker(): Promise<WebWorker> {
    const target = await this.chromium.browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${this.extensionId}/`),
      { timeout: 15_000 },
    );
    const worker = await target.worker();
    if (!worker) throw new Error('service worker target without worker');
    return worker;
  }

  /** Stops the extension's service worker the way Chrome does when it is idle (CDP). */
  async stopServiceWorker(): Promise<void> {
    const browser = this.chromium.browser;
    const target = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${this.extensionId}/`),
      { timeout: 15_000 },
    );
    const worker = await target.worker();
    if (!worker) throw new Error('service worker target without worker');
    // Chrome stops only a worker that has started: closing one still loading its script leaves its
    // target listed with a dead DevTools session, and the next `worker()` would find that one.
    await worker.evaluate(() => true);
    const stopped = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        browser.off('targetdestroyed', onDestroyed);
        reject(new Error('the service worker was asked to stop and is still running 10 s later'));
      }, 10_000);
      const onDestroyed = (destroyed: unknown) => {
        if (destroyed !== target) return;
        clearTimeout(timer);
        browser.off('targetdestroyed', onDestroyed);
        resolve();
      };
      browser.on('targetdestroyed', onDestroyed);
    });
    // Closing the worker's target stops it; puppeteer also detaches its DevTools session, which would
    // otherwise keep the worker alive (an attached debugger prevents the idle stop).
    await worker.close();
    await stopped;
  }

  /** Whether a service worker of the extension is running right now. */
  serviceWorkerRunning(): boolean {
    return this.chromium.browser
      .targets()
      .some((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${this.extensionId}/`));
  }

  openPanel(): Promise<SidePanelPage> {
    return SidePanelPage.open(this.chromium.browser, this.extensionId);
  }

  openOptions(): Promise<OptionsPage> {
    return OptionsPage.open(this.chromium.browser, this.extensionId);
  }

  async openFarEnd(user: string, password = `pw${user}`): Promise<FarEnd> {
    const farEnd = await FarEnd.open(this.chromium.browser, this.pages.url);
    await farEnd.register({ wsUrl: this.kamailio.wsUrl, user, password, domain: this.kamailio.domain });
    return farEnd;
  }

  /** The offscreen document running the phone engine. */
  async offscreen(): Promise<Page> {
    const target = await this.chromium.browser.waitForTarget(
      (t) => t.url() === `chrome-extension://${this.extensionId}/offscreen.html`,
      { timeout: 15_000 },
    );
    const page = await target.asPage();
    return page;
  }

  /** RTP counters of a call in the extension's engine (from its RTCPeerConnection's getStats). */
  engineStats(callId: string): Promise<FarEndStats> {
    return extensionEngineStats(this.chromium.browser, this.extensionId, callId);
  }

  /** The tone the engine plays now (`ringtone`, `call-waiting`, `ringback`, `none`). */
  async engineTone(): Promise<string> {
    return (await extensionEngineLines(this.chromium.browser, this.extensionId)).tone;
  }

  /** What each conference call sends, as the engine wired it; `null` when no conference is mixed. */
  async conferenceWiring(): Promise<EngineConferenceWiring | null> {
    return (await extensionEngineLines(this.chromium.browser, this.extensionId)).conference;
  }

  /**
   * Pins the extension's microphone permission to `setting` (CDP Browser.setPermission), or removes the
   * pin (`undefined`). With --use-fake-ui-for-media-stream Chromium reads the permission as granted from
   * the start; pinning `prompt` gives the state of a real profile where nobody has allowed it yet. While
   * pinned, a grant through the (fake) prompt is not remembered.
   */
  async pinMicrophonePermission(setting: 'granted' | 'denied' | 'prompt' | undefined): Promise<void> {
    // Chromium drops a session's permission overrides when the session detaches: keep it open.
    this.browserSession ??= await this.chromium.browser.target().createCDPSession();
    const origin = `chrome-extension://${this.extensionId}`;
    if (setting === undefined) await this.browserSession.send('Browser.resetPermissions');
    else await this.browserSession.send('Browser.setPermission', { permission: { name: 'microphone' }, setting, origin });
  }

  /** Number of extension contexts of a type (e.g. OFFSCREEN_DOCUMENT), asked from the worker. */
  async contexts(type: string): Promise<number> {
    const worker = await this.worker();
    return worker.evaluate(
      async (t) => (await chrome.runtime.getContexts({ contextTypes: [t as chrome.runtime.ContextType] })).length,
      type,
    );
  }

  /**
   * Starts noting the text of every notification the background raises from now on (until the
   * worker stops): Chrome lets an extension read back only the ids of its notifications.
   */
  async recordNotificationTexts(): Promise<void> {
    const worker = await this.worker();
    await worker.evaluate(() => {
      const g = globalThis as unknown as { shownNotifications?: string[] };
      if (g.shownNotifications) return;
      g.shownNotifications = [];
      const api = chrome.notifications as unknown as { create: (...args: unknown[]) => unknown };
      const create = api.create.bind(api);
      api.create = (...args: unknown[]) => {
        const options = args.find((a) => typeof a === 'object' && a !== null) as { message?: string } | undefined;
        g.shownNotifications?.push(options?.message ?? '');
        return create(...args);
      };
    });
  }

  /** The texts noted since {@link recordNotificationTexts}. */
  async notificationTexts(): Promise<string[]> {
    const worker = await this.worker();
    return worker.evaluate(() => (globalThis as unknown as { shownNotifications?: string[] }).shownNotifications ?? []);
  }

  async notificationIds(): Promise<string[]> {
    const worker = await this.worker();
    return worker.evaluate(async () => Object.keys(await chrome.notifications.getAll()));
  }

  /** The extension's alarm `name` (`chrome.alarms.get`), or undefined when none is set. */
  async alarm(name: string): Promise<{ name: string; scheduledTime: number } | undefined> {
    const worker = await this.worker();
    return worker.evaluate(async (n) => {
      const found = await chrome.alarms.get(n);
      return found ? { name: found.name, scheduledTime: found.scheduledTime } : undefined;
    }, name);
  }

  /** Every row of the extension's `tasks` table (callbacks and other follow-ups), from IndexedDB. */
  async taskRecords(): Promise<Record<string, unknown>[]> {
    const worker = await this.worker();
    return worker.evaluate(
      () =>
        new Promise<Record<string, unknown>[]>((resolve, reject) => {
          const open = indexedDB.open('crm-softphone-history');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const read = open.result.transaction('tasks').objectStore('tasks').getAll();
            read.onerror = () => reject(read.error);
            read.onsuccess = () => {
              open.result.close();
              resolve(read.result as Record<string, unknown>[]);
            };
          };
        }),
    );
  }

  /** The history row (`CallRecord`) of engine call `callId`, read from the extension's IndexedDB. */
  async callRecord(callId: string): Promise<Record<string, unknown> | undefined> {
    const worker = await this.worker();
    return worker.evaluate(
      (id) =>
        new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
          const open = indexedDB.open('crm-softphone-history');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const read = open.result.transaction('calls').objectStore('calls').getAll();
            read.onerror = () => reject(read.error);
            read.onsuccess = () => {
              open.result.close();
              resolve((read.result as Record<string, unknown>[]).find((row) => row.callId === id));
            };
          };
        }),
      callId,
    );
  }

  /** The calls in the engine's own snapshot (asked from the offscreen document). */
  async engineCalls(): Promise<CallFacts[]> {
    const offscreen = await this.offscreen();
    return offscreen.evaluate(() => {
      const engine = (globalThis as unknown as { phoneEngine: { snapshot(): { calls: Record<string, unknown>[] } } })
        .phoneEngine;
      return engine
        .snapshot()
        .calls.map((call) => ({ id: String(call.id), state: String(call.state), reconnecting: call.reconnecting === true }));
    });
  }

  /** The calls in the snapshot the background mirrors into `storage.session` (what panels and the badge read). */
  async mirroredCalls(): Promise<CallFacts[]> {
    const worker = await this.worker();
    return worker.evaluate(async () => {
      const { phoneSnapshot } = await chrome.storage.session.get('phoneSnapshot');
      const calls = ((phoneSnapshot as { calls?: Record<string, unknown>[] } | undefined)?.calls ?? []);
      return calls.map((call) => ({ id: String(call.id), state: String(call.state), reconnecting: call.reconnecting === true }));
    });
  }

  async badgeText(): Promise<string> {
    const worker = await this.worker();
    return worker.evaluate(() => chrome.action.getBadgeText({}));
  }

  async close(): Promise<void> {
    await this.chromium.close().catch(() => undefined);
    await this.proxy?.stop().catch(() => undefined);
    await this.pages.stop().catch(() => undefined);
    await this.kamailio.stop().catch(() => undefined);
  }
}

/** Polls `read` until `accept` holds; returns the last value (the caller asserts on it). */
/**
 * The extension's settings with the agent's account (1001) as the options page would save them, on
 * either browser: `account` overrides fields of the account, `extra` adds top-level fields.
 */
export function agentSettingsFor(options: {
  wsServer: string;
  domain: string;
  password: string;
  account?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    accounts: [
      {
        id: 'main',
        enabled: true,
        wsServer: options.wsServer,
        sipUri: `${AGENT.user}@${options.domain}`,
        authUser: '',
        password: options.password,
        displayName: 'Agent',
        iceServers: [],
        ...options.account,
      },
    ],
    defaultCountry: 'RU',
    dialFormat: 'e164',
    declineCode: 486,
    ...options.extra,
  };
}

export async function pollUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
