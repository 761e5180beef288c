/**
 * `npm run demo`: the softphone extension working against a real PBX on this machine, with nothing to
 * set up by hand.
 *
 * It starts Kamailio on 127.0.0.1 with two accounts — the agent (1001, the extension) and a customer
 * (1002, a plain SIP.js softphone page) — launches Chromium with the built extension configured for the
 * agent, and opens two tabs: the side panel (as a tab) and the customer's phone.
 *
 * - With a display (`DISPLAY` set) the browser is visible and the demo waits for you: call 1001 from the
 *   customer tab, dial 1002 from the panel; Ctrl+C stops everything.
 * - Without one (or with `--headless`) it plays a scripted walk-through: the customer calls the agent,
 *   the agent answers in the panel, then the agent calls the customer; for each call it prints how many
 *   bytes of RTP audio went each way, and it saves a screenshot of the panel to demo-panel.png.
 *
 * The servers and the browser come from the end-to-end test harness (tests/e2e/harness/), so the demo
 * runs exactly what the tests run. Run by Node 24 directly (type stripping): erasable TypeScript only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'puppeteer-core';
import { CHROMIUM_PATH, launchChromium, waitForExtension, type LaunchedChromium } from '../tests/e2e/harness/chromium.ts';
import { startFarEndServer, type FarEndApi, type FarEndState, type FarEndStats } from '../tests/e2e/harness/far-end.ts';
import { startKamailio, type KamailioServer } from '../tests/e2e/harness/kamailio.ts';
import { extensionEngineStats } from '../tests/e2e/harness/engine-stats.ts';
import { grantedExtensionCopy } from '../tests/e2e/harness/granted-extension.ts';
import { nonLoopbackAddresses } from '../tests/e2e/harness/process.ts';
import type { StaticServer } from '../tests/e2e/harness/static-server.ts';
import { ALL_SITES_ORIGINS } from '../lib/settings/page-access.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const EXTENSION_DIR = path.join(ROOT, '.output', 'chrome-mv3');
const ISOLATED_SH = path.join(ROOT, 'tests', 'e2e', 'harness', 'isolated.sh');
const SCREENSHOT = path.join(ROOT, 'demo-panel.png');
const KAMAILIO_BIN = '/usr/sbin/kamailio';

const AGENT = { user: '1001', password: 'pw1001', name: 'Agent' } as const;
const CUSTOMER = { user: '1002', password: 'pw1002', name: 'Customer' } as const;
/** How long each call carries audio before the RTP counters are read. */
const AUDIO_SECONDS = 3;
/** Generous limit for each step of the walk-through (a busy two-core machine included). */
const STEP_TIMEOUT_MS = 20_000;

const headless = process.argv.includes('--headless') || !process.env.DISPLAY;

// ---- console output -------------------------------------------------------------------------------

/** When the demo started; a re-run inside the network namespace continues the same clock. */
const startedAt = Number(process.env.DEMO_STARTED_AT) || Date.now();

function elapsed(): string {
  return `${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s`;
}

/** One line of the story, stamped with the time since the demo started. */
function say(text: string): void {
  console.log(`[${elapsed()}] ${text}`);
}

function heading(text: string): void {
  console.log(`\n${text}\n${'─'.repeat(text.length)}`);
}

/** Runs `work`, then says `done(result)` with how long it took. */
async function step<T>(work: () => Promise<T>, done: (result: T) => string): Promise<T> {
  const began = performance.now();
  const result = await work();
  say(`${done(result)}  (${((performance.now() - began) / 1000).toFixed(2)} s)`);
  return result;
}

function bytes(value: number): string {
  return `${value.toLocaleString('en-US')} B`;
}

// ---- preparation: prerequisites, build, network isolation ---------------------------------------

function checkPrerequisites(): void {
  const missing = [CHROMIUM_PATH, KAMAILIO_BIN].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    console.error(`demo: ${missing.join(' and ')} not found. Install everything with: bash scripts/setup.sh`);
    process.exit(1);
  }
}

/** Builds the Chrome extension when there is no build yet; says which build is used. */
function ensureBuild(): void {
  const manifest = path.join(EXTENSION_DIR, 'manifest.json');
  if (!existsSync(manifest)) {
    say('no build in .output/chrome-mv3 yet: running npx wxt build');
    const build = spawnSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0 || !existsSync(manifest)) {
      console.error('demo: the build failed (see above)');
      process.exit(1);
    }
  }
  const built = statSync(manifest).mtimeMs;
  say(`extension: .output/chrome-mv3, built ${new Date(built).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  if (newestSourceChange() > built) {
    say('         the sources changed since: run npm run build to see those changes in the demo');
  }
}

/** Latest modification time of the extension's sources (what `wxt build` reads). */
function newestSourceChange(): number {
  let newest = 0;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else newest = Math.max(newest, statSync(file).mtimeMs);
    }
  };
  for (const dir of ['entrypoints', 'components', 'lib', 'public']) {
    if (existsSync(path.join(ROOT, dir))) visit(path.join(ROOT, dir));
  }
  for (const file of ['wxt.config.ts', 'package-lock.json']) {
    if (existsSync(path.join(ROOT, file))) newest = Math.max(newest, statSync(path.join(ROOT, file)).mtimeMs);
  }
  return newest;
}

/**
 * WebRTC gathers ICE candidates on every network interface. As root, the demo re-runs itself through
 * tests/e2e/harness/isolated.sh, in a network namespace that has only the loopback interface, so no
 * media can go anywhere but 127.0.0.1. Returns true when the re-run happened (this process then only
 * waits for it).
 */
function runIsolatedIfPossible(): boolean {
  if (process.env.HARNESS_ISOLATED === '1') {
    say('network: loopback-only namespace (every packet stays on 127.0.0.1)');
    return false;
  }
  const reason = isolationUnavailable();
  if (reason) {
    const others = nonLoopbackAddresses();
    say(`network: not isolated — ${reason}`);
    if (others.length > 0) {
      say(`         other addresses here: ${others.join(', ')}; media stays on 127.0.0.1 anyway, because`);
      say('         Kamailio removes every other ICE candidate from the SDP it relays');
    }
    return false;
  }
  say('network: re-running inside a loopback-only network namespace (tests/e2e/harness/isolated.sh)');
  const child = spawn('sh', [ISOLATED_SH, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, DEMO_STARTED_AT: String(startedAt), DEMO_PREPARED: '1' },
  });
  // Ctrl+C reaches the child too (same process group); it cleans up, this process reports its status.
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  return true;
}

/** Why the loopback-only namespace cannot be used, or undefined when it can. */
function isolationUnavailable(): string | undefined {
  if (!headless) {
    // An X display reached over TCP (ssh -X: DISPLAY=localhost:10.0) or X's abstract socket lives in
    // the current network namespace; a new one would cut the visible browser off from the screen.
    return 'a visible browser needs the display server, which a new network namespace can cut off';
  }
  if (process.getuid?.() !== 0) return 'a network namespace needs root (run as root to get one)';
  const probe = spawnSync('unshare', ['--net', 'true'], { stdio: 'ignore' });
  if (probe.status !== 0) return 'unshare --net is not permitted here (a container without CAP_SYS_ADMIN?)';
  return undefined;
}

// ---- the running demo -----------------------------------------------------------------------------

interface Running {
  kamailio?: KamailioServer;
  pages?: StaticServer;
  chromium?: LaunchedChromium;
}

const running: Running = {};
let shuttingDown: Promise<never> | undefined;

/** Stops the browser, then the page server, then Kamailio (each even if another fails), and exits. */
function shutdown(code: number): Promise<never> {
  shuttingDown ??= (async () => {
    heading('Cleaning up');
    const stops: [string, (() => Promise<void>) | undefined][] = [
      ['Chromium', running.chromium && (() => running.chromium!.close())],
      ['customer page server', running.pages && (() => running.pages!.stop())],
      ['Kamailio', running.kamailio && (() => running.kamailio!.stop())],
    ];
    for (const [name, stop] of stops) {
      if (!stop) continue;
      try {
        await step(stop, () => `${name} stopped`);
      } catch (error) {
        say(`${name} did not stop cleanly: ${String(error)}`);
      }
    }
    process.exit(code);
  })();
  return shuttingDown;
}

function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown) {
    // A second Ctrl+C: leave now (the daemons die with this process: parent-death signal).
    process.exit(130);
  }
  console.log(`\n${signal}: stopping`);
  void shutdown(130);
}

/** The tab that shows the extension's side panel page. */
async function openPanel(browser: Browser, extensionId: string): Promise<Page> {
  // Reuse the blank tab Chromium starts with, so the window holds only the two demo tabs.
  const blank = (await browser.pages()).find((page) => page.url() === 'about:blank');
  const page = blank ?? (await browser.newPage());
  if (headless) await page.setViewport({ width: 400, height: 720 });
  await page.goto(`chrome-extension://${extensionId}/sidepanel.html`);
  return page;
}

/** Writes the agent's account into the extension's storage, exactly as the options page saves it. */
async function configureAgent(browser: Browser, extensionId: string, kamailio: KamailioServer): Promise<void> {
  const { worker } = await waitForExtension(browser, { extensionId });
  const settings = {
    accounts: [
      {
        id: 'main',
        enabled: true,
        wsServer: kamailio.wsUrl,
        sipUri: `${AGENT.user}@${kamailio.domain}`,
        authUser: '',
        password: AGENT.password,
        displayName: AGENT.name,
        iceServers: [],
      },
    ],
    defaultCountry: 'RU',
    dialFormat: 'e164',
    declineCode: 486,
  };
  await worker.evaluate(async (value) => {
    // `settings$` is WXT's metadata of the versioned storage item (schema version 1).
    await chrome.storage.local.set({ settings: value, settings$: { v: 1 } });
  }, settings);
}

async function waitForRegistration(panel: Page): Promise<void> {
  await panel.waitForFunction(
    () => document.querySelector('[data-testid="registration-status"]')?.getAttribute('data-state') === 'registered',
    // Poll on a timer: a background tab gets no animation frames (puppeteer's default polling).
    { timeout: STEP_TIMEOUT_MS, polling: 200 },
  );
}

/** The customer's page, registered as 1002 and answering calls by itself (its form is filled from the URL). */
async function openCustomer(browser: Browser, baseUrl: string, kamailio: KamailioServer): Promise<Page> {
  const query = new URLSearchParams({
    ws: kamailio.wsUrl,
    domain: kamailio.domain,
    user: CUSTOMER.user,
    password: CUSTOMER.password,
    name: CUSTOMER.name,
    register: '1',
    autoAnswer: '1',
  });
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/?${query.toString()}`);
  await page.waitForFunction(
    () => (window as unknown as { farEnd?: FarEndApi }).farEnd?.registration() === 'registered',
    { timeout: STEP_TIMEOUT_MS, polling: 200 },
  );
  return page;
}

/** What the customer page puts on `window` (see tests/e2e/far-end/far-end.js). */
type FarEndWindow = Window & { farEnd: FarEndApi };

async function customerState(customer: Page, state: FarEndState): Promise<void> {
  await customer.waitForFunction((wanted) => (window as unknown as FarEndWindow).farEnd.state() === wanted, {
    timeout: STEP_TIMEOUT_MS,
    polling: 200,
  }, state);
}

/** Waits for a call card in the panel; returns the call id. */
async function panelCall(panel: Page, state: string, direction: 'inbound' | 'outbound'): Promise<string> {
  const card = await panel.waitForSelector(
    `[data-testid^="call-"][data-state="${state}"][data-direction="${direction}"]`,
    { timeout: STEP_TIMEOUT_MS },
  );
  const testId = (await card!.evaluate((element) => element.getAttribute('data-testid'))) ?? '';
  return testId.replace(/^call-/, '');
}

/** Clicks a button of a call card, with the panel in front (background tabs get no frames). */
async function clickInCall(panel: Page, callId: string, control: 'call-answer' | 'call-hangup'): Promise<void> {
  await panel.bringToFront();
  await panel.click(`[data-testid="call-${callId}"] [data-testid="${control}"]`);
}

async function panelDial(panel: Page, target: string): Promise<void> {
  await panel.bringToFront();
  const input = await panel.waitForSelector('[data-testid="dial-input"]');
  await input!.click({ count: 3 });
  await input!.press('Backspace');
  await input!.type(target);
  await panel.waitForSelector('[data-testid="dial-call"]:not([disabled])');
  await panel.click('[data-testid="dial-call"]');
}

async function waitForNoCalls(panel: Page): Promise<string> {
  await panel.waitForFunction(() => document.querySelectorAll('[data-testid^="call-"][data-state]').length === 0, {
    timeout: STEP_TIMEOUT_MS,
    polling: 200,
  });
  return panel
    .$eval('[data-testid="call-ended"]', (element) => element.getAttribute('data-reason') ?? '')
    .catch(() => '');
}

/** Lets audio flow, prints both sides' counters; false when any direction carried nothing. */
async function reportAudio(browser: Browser, extensionId: string, customer: Page, callId: string): Promise<boolean> {
  say(`talking for ${AUDIO_SECONDS} s (both sides send Chromium's fake microphone: a beep)…`);
  await sleep(AUDIO_SECONDS * 1000);
  const agent = await extensionEngineStats(browser, extensionId, callId, STEP_TIMEOUT_MS);
  const far = await customer.evaluate(() => (window as unknown as FarEndWindow).farEnd.stats());
  const row = (who: string, stats: FarEndStats): string =>
    `    ${who.padEnd(20)} sent ${bytes(stats.bytesSent).padStart(9)}   received ${bytes(stats.bytesReceived).padStart(9)} (${stats.packetsReceived} packets)`;
  say('RTP audio so far:');
  console.log(row('agent (extension)', agent));
  console.log(row('customer (page)', far));
  const flowing = [agent.bytesSent, agent.bytesReceived, far.bytesSent, far.bytesReceived].every((n) => n > 0);
  if (!flowing) say('NO AUDIO in at least one direction');
  return flowing;
}

async function walkThrough(browser: Browser, extensionId: string, panel: Page, customer: Page): Promise<boolean> {
  heading('Call 1 — the customer calls the agent');
  say(`customer dials ${AGENT.user}`);
  await customer.evaluate((target) => (window as unknown as FarEndWindow).farEnd.call(target), AGENT.user);
  const inbound = await step(
    () => panelCall(panel, 'incoming', 'inbound'),
    () => 'the panel rings (a ringtone plays, the card shows Answer / Decline)',
  );
  say('agent clicks Answer in the panel');
  await clickInCall(panel, inbound, 'call-answer');
  await step(
    async () => {
      await panelCall(panel, 'established', 'inbound');
      await customerState(customer, 'established');
    },
    () => 'call established on both sides',
  );
  const first = await reportAudio(browser, extensionId, customer, inbound);
  await panel.bringToFront();
  try {
    await panel.screenshot({ path: SCREENSHOT });
    say(`screenshot of the panel during the call: ${path.relative(process.cwd(), SCREENSHOT)}`);
  } catch (error) {
    say(`no screenshot (${error instanceof Error ? error.message : String(error)})`);
  }
  say('agent clicks Hang up');
  await clickInCall(panel, inbound, 'call-hangup');
  await step(
    async () => {
      await customerState(customer, 'terminated');
      return waitForNoCalls(panel);
    },
    (reason) => `call over on both sides (panel: ${reason || 'ended'})`,
  );

  heading('Call 2 — the agent calls the customer');
  say(`agent types ${CUSTOMER.user} into the panel's dial field and clicks Call`);
  await panelDial(panel, CUSTOMER.user);
  const outbound = await step(
    async () => {
      const id = await panelCall(panel, 'established', 'outbound');
      await customerState(customer, 'established');
      return id;
    },
    () => 'the customer page answers by itself (auto-answer): call established',
  );
  const second = await reportAudio(browser, extensionId, customer, outbound);
  say('agent clicks Hang up');
  await clickInCall(panel, outbound, 'call-hangup');
  await step(
    async () => {
      await customerState(customer, 'terminated');
      return waitForNoCalls(panel);
    },
    (reason) => `call over on both sides (panel: ${reason || 'ended'})`,
  );
  return first && second;
}

function printInstructions(extensionId: string, pagesUrl: string, kamailio: KamailioServer): void {
  heading('Your turn');
  console.log(`The Chromium window has two tabs:
  1. the agent's side panel, shown as a tab: chrome-extension://${extensionId}/sidepanel.html
     (registered as ${AGENT.user}@${kamailio.domain}; the extension's toolbar button opens the real side panel)
  2. the customer's phone: ${pagesUrl}/ (registered as ${CUSTOMER.user}, auto-answer on)

Try:
  - in the customer tab, type ${AGENT.user} and press Call: the panel rings, click Answer;
  - in the panel, dial ${CUSTOMER.user}: the customer tab answers by itself
    (untick its auto-answer to answer by hand).
Settings (what the demo filled in): chrome-extension://${extensionId}/options.html
Kamailio: ${kamailio.wsUrl} (domain ${kamailio.domain}); more accounts: 1003..1005 with passwords pw1003..pw1005.
Both tabs use Chromium's fake microphone (a beep), so nothing asks for permission.

Press Ctrl+C to stop.`);
}

async function main(): Promise<void> {
  // Inside the namespace the outer run has already checked and built.
  if (process.env.DEMO_PREPARED !== '1') {
    console.log('Softphone demo: the extension against a local PBX, on this machine only');
    checkPrerequisites();
    ensureBuild();
  }
  if (runIsolatedIfPossible()) return;
  say(`mode: ${headless ? 'headless, scripted walk-through' : `visible browser on DISPLAY=${process.env.DISPLAY}`}`);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  heading('Starting');
  const kamailio = await step(
    () => startKamailio(),
    (server) => `Kamailio (SIP registrar and proxy) on ${server.wsUrl}, domain ${server.domain}`,
  );
  running.kamailio = kamailio;
  const pages = await step(startFarEndServer, (server) => `customer softphone page served at ${server.url}/`);
  running.pages = pages;
  const chromium = await step(
    // Click-to-call's access to pages comes pre-granted, as if the user had pressed "Allow on all
    // sites" on the options page (the build itself asks for no host access at install).
    async () => launchChromium({ extensionDir: await grantedExtensionCopy(EXTENSION_DIR, ALL_SITES_ORIGINS), headless }),
    () => `Chromium started (${headless ? 'headless' : 'visible'}) with the extension, click-to-call allowed on all sites`,
  );
  running.chromium = chromium;
  const { browser } = chromium;
  const { id } = await waitForExtension(browser);
  say(`extension id ${id}`);

  await configureAgent(browser, id, kamailio);
  say(`agent account ${AGENT.user}@${kamailio.domain} / ${AGENT.password} saved in the extension's storage`);
  const panel = await openPanel(browser, id);
  await step(
    () => waitForRegistration(panel),
    () => `tab 1, side panel: registered as ${AGENT.user} (the engine runs in the offscreen document)`,
  );
  const customer = await step(
    () => openCustomer(browser, pages.url, kamailio),
    () => `tab 2, customer page: registered as ${CUSTOMER.user} (${CUSTOMER.password}), auto-answer on`,
  );

  if (!headless) {
    await panel.bringToFront();
    printInstructions(id, pages.url, kamailio);
    browser.once('disconnected', () => {
      // Ctrl+C reaches Chromium too (same process group): then the signal handler is already at it.
      if (shuttingDown) return;
      console.log('\nThe browser was closed: stopping');
      void shutdown(0);
    });
    await new Promise<never>(() => undefined);
  }

  try {
    const audio = await walkThrough(browser, id, panel, customer);
    heading(audio ? 'Demo finished: two calls, audio in both directions in both' : 'Demo finished WITHOUT audio');
    say('done');
    await shutdown(audio ? 0 : 1);
  } catch (error) {
    console.error(`\ndemo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const events = await customer.evaluate(() => (window as unknown as FarEndWindow).farEnd.events()).catch(() => []);
    if (events.length > 0) console.error(`\nlast customer page events:\n${events.slice(-12).join('\n')}`);
    console.error(`\nlast Kamailio output:\n${kamailio.log().trim().split('\n').slice(-20).join('\n')}`);
    await shutdown(1);
  }
}

main().catch(async (error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await shutdown(1);
});
