/**
 * Benchmarks of the phone foundation, on real parts: Kamailio on loopback, Chromium running the
 * built extension, a SIP.js far end. Prints figures; asserts nothing (targets are read, not enforced).
 *
 *   npm run bench            (builds, then runs in the loopback-only network namespace)
 *   BENCH_ROUNDS=20 npm run bench
 */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { AGENT, PhoneRig, pollUntil, sleep } from '../tests/e2e/support/phone-rig.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

interface Series {
  name: string;
  values: number[];
}

function summarize({ name, values }: Series): string {
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `${name.padEnd(44)} n=${String(sorted.length).padStart(3)}  median ${pick(0.5).toFixed(0).padStart(5)} ms  p95 ${pick(0.95).toFixed(0).padStart(5)} ms  mean ${mean.toFixed(0).padStart(5)} ms  max ${(sorted.at(-1) ?? NaN).toFixed(0).padStart(5)} ms`;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

function bundleSizes(): string[] {
  const lines: string[] = [];
  for (const target of ['chrome-mv3', 'firefox-mv2']) {
    const root = path.resolve('.output', target);
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(js|html|css)$/.test(entry)) files.push(full);
      }
    };
    try {
      walk(root);
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      const raw = readFileSync(file);
      lines.push(
        `${path.relative('.output', file).padEnd(52)} ${(raw.length / 1024).toFixed(1).padStart(7)} kB  gzip ${(gzipSync(raw).length / 1024).toFixed(1).padStart(6)} kB`,
      );
    }
  }
  return lines;
}

async function main(): Promise<void> {
  const series: Series[] = [];
  const add = (name: string, value: number): void => {
    const existing = series.find((s) => s.name === name);
    if (existing) existing.values.push(value);
    else series.push({ name, values: [value] });
  };

  const rig = await PhoneRig.start({ unconfigured: true });
  try {
    // Screen pop: the far end is a local contact, so every inbound call below has a card in the cache.
    // Imported before anything holds the worker's DevTools session (the wake test below closes it).
    const contacts = path.join(mkdtempSync(path.join(tmpdir(), 'bench-')), 'contacts.csv');
    writeFileSync(contacts, 'name,company,phone\nBench Customer,Acme,1002\n');
    const options = await rig.openOptions();
    await options.importContacts(contacts);
    await options.close();

    const worker = await rig.worker();
    const panel = await rig.openPanel();
    const customer = await rig.openFarEnd('1002');

    // Registration: settings saved → panel shows "registered" (includes creating the engine the first time).
    for (let i = 0; i < Math.min(ROUNDS, 5); i++) {
      const settings = rig.agentSettings() as { accounts: { enabled: boolean }[] };
      settings.accounts[0]!.enabled = false;
      await worker.evaluate(async (v) => chrome.storage.local.set({ settings: v, settings$: { v: 1 } }), settings);
      await panel.waitForRegistration('none').catch(() => undefined);
      settings.accounts[0]!.enabled = true;
      add(
        i === 0 ? 'registration, first (engine start)' : 'registration (settings saved → registered)',
        await timed(async () => {
          await worker.evaluate(async (v) => chrome.storage.local.set({ settings: v, settings$: { v: 1 } }), settings);
          await panel.waitForRegistration('registered');
        }),
      );
    }

    for (let i = 0; i < ROUNDS; i++) {
      // Outbound: click Call → far end rings (INVITE delivered) → panel shows remote ringing (180).
      const dialStart = performance.now();
      await panel.dial('1002');
      await customer.waitForState('ringing-in');
      add('outbound: Call click → far end rings', performance.now() - dialStart);
      const callId = await panel.waitForCall('ringing', 'outbound');
      add('outbound: Call click → panel shows ringing', performance.now() - dialStart);
      const answerStart = performance.now();
      await customer.answer();
      await panel.waitForCall('established', 'outbound');
      add('outbound: far end answers → panel in call', performance.now() - answerStart);
      await pollUntil(() => rig.engineStats(callId), (s) => s.bytesReceived > 0, 10_000);
      add('outbound: far end answers → first audio in', performance.now() - answerStart);
      await panel.hangup(callId);
      await customer.waitForState('terminated');
      await panel.waitForNoCalls();

      // Inbound: far end sends INVITE → panel shows the incoming call.
      await panel.watchCallerCard();
      const invitedAt = Date.now();
      const inviteStart = performance.now();
      await customer.call(AGENT.user);
      const inbound = await panel.waitForCall('incoming', 'inbound');
      add('inbound: INVITE sent → panel rings', performance.now() - inviteStart);
      // Target: INVITE→card ≤ 100 ms at p95 from the cache.
      const pop = await panel.screenPopTimes();
      add('inbound: INVITE sent → caller card (target ≤ 100 ms p95)', pop.cardAt - invitedAt);
      add('inbound: panel rings → caller card', pop.cardAt - pop.ringAt);
      const pickUp = performance.now();
      await panel.answer(inbound);
      await customer.waitForState('established');
      add('inbound: Answer click → far end connected', performance.now() - pickUp);
      await customer.hangup();
      await panel.waitForNoCalls();
    }

    // Worker wake: the service worker is stopped; a panel opened afterwards shows the registration.
    for (let i = 0; i < Math.min(ROUNDS, 5); i++) {
      await rig.stopServiceWorker();
      await pollUntil(async () => rig.serviceWorkerRunning(), (running) => !running, 5000);
      await sleep(200);
      add(
        'stopped worker: open panel → status shown',
        await timed(async () => {
          const reopened = await rig.openPanel();
          await reopened.waitForRegistration('registered');
          await reopened.close();
        }),
      );
    }
  } finally {
    await rig.close();
  }

  console.log(`\nPhone foundation benchmark (${ROUNDS} rounds; Kamailio on loopback, headless Chromium, SIP.js far end)\n`);
  for (const s of series) console.log(summarize(s));
  console.log('\nBuilt files (raw, gzip)');
  for (const line of bundleSizes()) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
