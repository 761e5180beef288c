import { afterEach, describe, expect, it } from 'vitest';
import { freeTcpPort } from './harness/process.ts';
import { AGENT, PhoneRig, pollUntil, sleep } from './support/phone-rig.ts';

/** Registration against Kamailio with digest authentication, and what happens when things go wrong. */
describe('registration', () => {
  let rig: PhoneRig | undefined;

  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('registers by itself once configured; the panel and the badge say so', async () => {
    rig = await PhoneRig.start();
    const panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    expect(await rig.badgeText()).toBe('ON');
    // One challenge round: the first REGISTER is answered 401, the second carries the digest.
    expect(rig.kamailio.registerCount(AGENT.user)).toBe(2);
  });

  it('keeps exactly one registration however many panels, options pages and worker restarts there are', async () => {
    rig = await PhoneRig.start();
    const first = await rig.openPanel();
    await first.waitForRegistration('registered');
    const registersAfterStart = rig.kamailio.registerCount(AGENT.user);

    const panels = [first, await rig.openPanel(), await rig.openPanel()];
    for (let round = 0; round < 2; round++) {
      await rig.stopServiceWorker();
      // A panel re-opened after the stop wakes the worker, which reconciles with the running engine.
      panels.push(await rig.openPanel());
      await panels.at(-1)!.waitForRegistration('registered');
    }
    await rig.chromium.browser.newPage().then((page) => page.goto(`chrome-extension://${rig!.extensionId}/options.html`));
    await sleep(2000);

    expect(await rig.contexts('OFFSCREEN_DOCUMENT')).toBe(1);
    expect(rig.kamailio.registerCount(AGENT.user)).toBe(registersAfterStart);
    for (const panel of panels) expect(await panel.registrationState()).toBe('registered');
  });

  it('a wrong password shows why, and the server is not hammered', async () => {
    rig = await PhoneRig.start({ agentPassword: 'wrong-password' });
    const panel = await rig.openPanel();
    await panel.waitForRegistration('failed');
    expect(await panel.failureText()).toMatch(/user name or password/i);
    expect(await rig.badgeText()).toBe('!');
    await sleep(6000);
    // The challenge and one answer with the wrong digest: no retry loop against the server.
    expect(rig.kamailio.registerCount(AGENT.user)).toBe(2);
    expect(await panel.registrationState()).toBe('failed');
  });

  it('an unreachable server is reported with a retry countdown, and retried with growing delays', async () => {
    rig = await PhoneRig.start({ unconfigured: true });
    const closedPort = await freeTcpPort();
    const settings = rig.agentSettings() as { accounts: { wsServer: string }[] };
    settings.accounts[0]!.wsServer = `ws://127.0.0.1:${closedPort}`;
    const worker = await rig.worker();
    await worker.evaluate(async (value) => {
      await chrome.storage.local.set({ settings: value, settings$: { v: 1 } });
    }, settings);
    const panel = await rig.openPanel();
    await panel.waitForRegistration('waiting');
    expect(await panel.failureText()).toMatch(/cannot reach the sip server/i);

    await sleep(6000);
    const snapshot = (await worker.evaluate(async () => (await chrome.storage.session.get('phoneSnapshot')).phoneSnapshot)) as {
      accounts: { attempts: number; retryAt?: number; failure?: string }[];
    };
    const account = snapshot.accounts[0]!;
    console.log(`[unreachable] ${account.attempts} attempts in ~6 s, next retry in ${(account.retryAt ?? 0) - Date.now()} ms`);
    // Delays of 0.5–1 s, 1–2 s, 2–4 s, 4–8 s: at most four attempts fit in the first ~6 s.
    expect(account.attempts).toBeGreaterThanOrEqual(2);
    expect(account.attempts).toBeLessThanOrEqual(4);
    expect(account.failure).toBe('unreachable');
  });

  it('Kamailio restarts: the extension re-registers by itself and takes calls again', async () => {
    rig = await PhoneRig.start();
    const panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    const before = rig.kamailio.registerCount(AGENT.user);
    const restartedAt = Date.now();
    await rig.kamailio.restart();

    await pollUntil(async () => rig!.kamailio.registerCount(AGENT.user), (n) => n >= before + 2, 20_000);
    await panel.waitForRegistration('registered');
    console.log(`[kamailio restart] re-registered ${Date.now() - restartedAt} ms after the restart began`);
    expect(rig.kamailio.registerCount(AGENT.user)).toBeGreaterThanOrEqual(before + 2);

    // The new registration is routable: a customer's call reaches the panel.
    const customer = await rig.openFarEnd('1002');
    await customer.call(AGENT.user);
    const callId = await panel.waitForCall('incoming', 'inbound');
    await panel.decline(callId);
    await customer.waitForState('terminated');
  });
});
