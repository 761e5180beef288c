/**
 * Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi, set up for WebRTC tests on a
 * loopback-only machine: fake microphone, no permission prompts, no background traffic, the built
 * add-on installed as a temporary add-on under a fixed moz-extension:// host.
 */
import puppeteer, { TimeoutError, type Browser, type Page } from 'puppeteer-core';
import { startSoundServer, type SoundServer } from './sound-server.ts';

/** The real binary; /usr/bin/firefox-esr is a shell wrapper. */
export const FIREFOX_PATH = '/usr/lib/firefox-esr/firefox-esr';

/** The add-on's gecko id (wxt.config.ts `browser_specific_settings.gecko.id`). */
export const GECKO_ID = 'softphone@crm-softphone.org';

/**
 * The host of the add-on's moz-extension:// URLs in every test profile. Firefox picks a random one
 * per profile unless the pref `extensions.webextensions.uuids` names it, so tests can open the
 * add-on's pages (and write policy for it) before asking the browser anything.
 */
export const EXTENSION_UUID = '6b0f7d1e-3c51-4c9a-9a55-2f3d2b8e5a01';

/**
 * Prefs every test browser gets. Why each matters:
 * - media.navigator.streams.fake / permission.disabled: getUserMedia succeeds without a prompt and
 *   captures a synthetic tone, so RTP always carries audio;
 * - permissions.default.microphone 1: the microphone is allowed for good, as the options page's
 *   Allow microphone leaves it for a real user (the panel's "microphone is blocked" warning reads
 *   this permission). It also matters to ICE: without a lasting grant Firefox gathers candidates
 *   only on the default route's interface (RFC 8828 §5.2, mode 2), and the loopback-only test
 *   namespace has no default route, so it would gather none;
 * - media.peerconnection.ice.loopback: Firefox gathers no 127.0.0.1 candidates otherwise, and the
 *   test network namespace has nothing else;
 * - media.peerconnection.ice.obfuscate_host_addresses: signal host candidates as addresses, not
 *   mDNS names nobody on loopback can resolve;
 * - media.autoplay.default 0: the far end's audio plays without a user gesture;
 * - the rest keep Firefox off the network (the machine only has loopback) and out of first-run pages.
 */
export const FIREFOX_PREFS: Readonly<Record<string, unknown>> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'permissions.default.microphone': 1,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.autoplay.default': 0,
  'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'extensions.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
};

/** Options for {@link launchFirefox}. */
export interface LaunchFirefoxOptions {
  /** Built add-on to install as a temporary add-on (e.g. .output/firefox-mv2). */
  extensionDir?: string;
  /** Headless (default true). */
  headless?: boolean;
  /** Extra prefs, over {@link FIREFOX_PREFS}. */
  prefs?: Record<string, unknown>;
  /** Milliseconds to wait for the browser to start; default 30000. */
  timeoutMs?: number;
  /**
   * The WebDriver session capability `acceptInsecureCerts`: Firefox's remote agent then overrides
   * certificate errors for the whole browser, the add-on's background page included (default false).
   */
  acceptInsecureCerts?: boolean;
  /**
   * Whether the browser gets an audio output: a private PulseAudio daemon with a silent sink
   * (default true). Without one, Firefox's Web Audio never runs (see sound-server.ts), as on a
   * computer with no sound device.
   */
  audioOutput?: boolean;
}

/** A launched Firefox and the add-on it runs. */
export interface LaunchedFirefox {
  readonly browser: Browser;
  /** The add-on's moz-extension:// origin, e.g. `moz-extension://<uuid>`. */
  readonly extensionOrigin: string;
  /** The browser's audio output, when it has one ({@link LaunchFirefoxOptions.audioOutput}). */
  readonly soundServer: SoundServer | undefined;
  /** Closes the browser (kills it if it does not exit within 5 s); puppeteer removes its profile. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts Firefox ESR on a fresh profile with {@link FIREFOX_PREFS} and, when asked, installs the
 * add-on. `--remote-allow-system-access` lets BiDi reach moz-extension:// pages at all.
 */
export async function launchFirefox(options: LaunchFirefoxOptions = {}): Promise<LaunchedFirefox> {
  const soundServer = (options.audioOutput ?? true) ? await startSoundServer() : undefined;
  const browser = await puppeteer
    .launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: options.headless ?? true,
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: { ...FIREFOX_PREFS, ...(options.prefs ?? {}) },
      timeout: options.timeoutMs ?? 30_000,
      acceptInsecureCerts: options.acceptInsecureCerts ?? false,
      // vitest owns the process signals; the harness closes the browser itself.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      // Without PULSE_SERVER, Firefox would look for the machine's own sound server (and find none).
      env: { ...process.env, ...(soundServer ? { PULSE_SERVER: soundServer.address } : {}) },
    })
    .catch(async (error: unknown) => {
      await soundServer?.stop();
      throw error;
    });
  const launched: LaunchedFirefox = {
    browser,
    extensionOrigin: `moz-extension://${EXTENSION_UUID}`,
    soundServer,
    close: closer(browser, soundServer),
  };
  if (options.extensionDir) {
    try {
      const id = await browser.installExtension(options.extensionDir);
      if (id !== GECKO_ID) throw new Error(`installed add-on has id ${id}, expected ${GECKO_ID}`);
    } catch (error) {
      await launched.close();
      throw error;
    }
  }
  return launched;
}

function closer(browser: Browser, soundServer: SoundServer | undefined): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      const child = browser.process();
      const closed = browser.close().catch(() => undefined);
      const timedOut = await Promise.race([
        closed.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 5000).unref()),
      ]);
      if (timedOut && child?.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
      await soundServer?.stop();
    })();
    return closing;
  };
}

/**
 * Opens one of the add-on's pages (e.g. `sidepanel.html`) in a new tab and waits for `selector`.
 *
 * An awaited `page.goto()` to a moz-extension:// URL never settles over BiDi (puppeteer keeps
 * reporting about:blank), so the navigation is started without waiting and the page's own
 * content is awaited instead.
 */
export async function openExtensionPage(
  firefox: LaunchedFirefox,
  pagePath: string,
  selector: string,
  timeoutMs = 15_000,
): Promise<Page> {
  const page = await firefox.browser.newPage();
  page.goto(`${firefox.extensionOrigin}/${pagePath}`).catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await page.waitForSelector(selector, { timeout: Math.max(deadline - Date.now(), 1) });
      return page;
    } catch (error) {
      // The wait can start in about:blank and be cut by the switch to the add-on's document: BiDi
      // then fails the evaluation with a protocol error (not a timeout). Wait again in the new one.
      if (error instanceof TimeoutError || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
