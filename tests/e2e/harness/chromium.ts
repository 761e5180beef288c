/**
 * Debian's Chromium driven by puppeteer-core, set up for WebRTC tests on a loopback-only machine:
 * fake microphone, no permission prompts, no background network traffic, optional unpacked
 * extension.
 */
import puppeteer, { type Browser, type WebWorker } from 'puppeteer-core';
import { makeTempDir, removeDir } from './process.ts';

/** The real binary; /usr/bin/chromium is a shell wrapper that adds its own flags. */
export const CHROMIUM_PATH = '/usr/lib/chromium/chromium';

/**
 * Flags every test browser gets. Why each matters:
 * - no-sandbox: tests run as root in a VM/container, where the sandbox cannot start;
 * - disable-gpu / disable-dev-shm-usage: no GPU, small /dev/shm in CI;
 * - disable-quic, disable-background-networking, disable-component-update, disable-sync,
 *   no-first-run: no traffic to Google services (the machine only has loopback);
 * - use-fake-ui-for-media-stream / use-fake-device-for-media-stream: getUserMedia succeeds without a
 *   prompt and captures a synthetic beep, so RTP always carries audio;
 * - autoplay-policy: remote audio plays without a user gesture;
 * - allow-loopback-in-peer-connection: WebRTC normally ignores 127.0.0.1; the far-end page only
 *   signals loopback ICE candidates, so media must be able to use it.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
];

/** Options for {@link launchChromium}. */
export interface LaunchChromiumOptions {
  /** Unpacked extension to load (e.g. the WXT build in .output/chrome-mv3). */
  extensionDir?: string;
  /** Profile to use; a fresh temp dir when omitted. Pass the previous one to restart a browser. */
  userDataDir?: string;
  /** Headless (default true); false opens a window, e.g. for a demo under a display. */
  headless?: boolean;
  /** Extra command-line flags. */
  args?: string[];
  /** Milliseconds to wait for the browser to start; default 30000. */
  timeoutMs?: number;
}

/** A launched browser plus its profile. */
export interface LaunchedChromium {
  /** The puppeteer Browser. */
  readonly browser: Browser;
  /** The profile directory in use. */
  readonly userDataDir: string;
  /** True when launchChromium created the profile (then close() removes it by default). */
  readonly ownsUserDataDir: boolean;
  /**
   * Closes the browser (kills it if it does not exit within 5 s). Removes the profile when
   * `removeProfile` is true, which is the default for a profile launchChromium created; pass
   * false to relaunch on the same profile. Idempotent.
   */
  close(options?: { removeProfile?: boolean }): Promise<void>;
}

/**
 * Starts Chromium with {@link CHROMIUM_FLAGS} over a pipe (no debugging port on the network).
 *
 * @example
 * const chromium = await launchChromium({ extensionDir: '.output/chrome-mv3' });
 * const { id } = await waitForExtension(chromium.browser);
 * await (await chromium.browser.newPage()).goto(`chrome-extension://${id}/options.html`);
 * await chromium.close();
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<LaunchedChromium> {
  const ownsUserDataDir = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? (await makeTempDir('harness-chromium'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM_PATH,
      browser: 'chrome',
      headless: options.headless ?? true,
      userDataDir,
      pipe: true,
      args: [...CHROMIUM_FLAGS, ...(options.args ?? [])],
      enableExtensions: options.extensionDir ? [options.extensionDir] : false,
      timeout: options.timeoutMs ?? 30_000,
      // vitest owns the process signals; the harness closes the browser itself.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    if (ownsUserDataDir) await removeProfileDir(userDataDir);
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    browser,
    userDataDir,
    ownsUserDataDir,
    close(closeOptions = {}) {
      closing ??= (async () => {
        const child = browser.process();
        const closed = browser.close().catch(() => undefined);
        const timedOut = await Promise.race([
          closed.then(() => false),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 5000).unref()),
        ]);
        if (timedOut && child?.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
        if (child && child.exitCode === null && child.signalCode === null) {
          await new Promise<void>((resolve) => {
            child.once('exit', () => resolve());
            setTimeout(resolve, 3000).unref();
          });
        }
        if (closeOptions.removeProfile ?? ownsUserDataDir) await removeProfileDir(userDataDir);
      })();
      return closing;
    },
  };
}

/**
 * Removes a Chromium profile directory, retrying: a Chromium that is still exiting keeps writing
 * into it and rm fails with ENOTEMPTY/EBUSY.
 */
export async function removeProfileDir(dir: string): Promise<void> {
  await removeDir(dir, 15);
}

/** The extension's id and its service worker. */
export interface ExtensionWorker {
  /** The extension id (host of its chrome-extension:// URLs). */
  id: string;
  /** The background service worker, for evaluate(). */
  worker: WebWorker;
}

/**
 * Waits for an unpacked extension's MV3 service worker target. Needed because puppeteer-core's
 * `enableExtensions` neither waits for the install nor reports its errors.
 *
 * @param extensionId - wait for this id only (useful when several extensions are loaded)
 */
export async function waitForExtension(
  browser: Browser,
  options: { timeoutMs?: number; extensionId?: string } = {},
): Promise<ExtensionWorker> {
  const prefix = options.extensionId ? `chrome-extension://${options.extensionId}/` : 'chrome-extension://';
  const target = await browser.waitForTarget(
    (candidate) => candidate.type() === 'service_worker' && candidate.url().startsWith(prefix),
    { timeout: options.timeoutMs ?? 15_000 },
  );
  const worker = await target.worker();
  if (!worker) throw new Error(`service worker target ${target.url()} has no worker`);
  return { id: new URL(target.url()).host, worker };
}
