import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import type { KamailioServer } from './harness/kamailio.ts';
import type { OptionsPage } from './pages/options-page.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { AGENT, PhoneRig, pollUntil, unpackedExtensionId } from './support/phone-rig.ts';

declare global {
  namespace chrome.storage {
    /** The administrator's values (read-only for the extension). */
    const managed: Area;
  }
}

/**
 * Where Chromium reads machine policy. isolated.sh mounts a private tmpfs on /etc/chromium (in the
 * test run's own mount namespace) and exports its empty policies/managed/ here.
 */
const POLICY_DIR = process.env.CHROMIUM_POLICY_DIR;
const POLICY_FILE = 'crm-softphone-test.json';

/** Refuses to write anywhere but a private mount on /etc/chromium: the real /etc is off limits. */
function privatePolicyDir(): string {
  if (!POLICY_DIR) {
    throw new Error(
      'CHROMIUM_POLICY_DIR is not set: run the end-to-end tests through tests/e2e/harness/isolated.sh, ' +
        'which gives Chromium a private, writable /etc/chromium',
    );
  }
  const mountPoints = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4]);
  if (!POLICY_DIR.startsWith('/etc/chromium/') || !mountPoints.includes('/etc/chromium')) {
    throw new Error(`${POLICY_DIR} is not inside a private mount on /etc/chromium; not writing policy there`);
  }
  return POLICY_DIR;
}

/**
 * An administrator provisions the phone through enterprise policy: the SIP account and the dialing
 * rules arrive in `storage.managed`, without anyone opening the options page.
 */
// Without namespaces (a user whose kernel refuses them; see isolated.sh) there is no private
// /etc/chromium to write policy into, and the real one is never touched: the scenario cannot run.
describe.skipIf(process.env.HARNESS_ISOLATED === '0')('provisioned by the administrator through enterprise policy', () => {
  let rig: PhoneRig | undefined;
  let panel: SidePanelPage;
  let launchedAt = 0;
  let policyFile: string | undefined;
  const extensionId = unpackedExtensionId();

  /** What the administrator's policy sets for the extension. */
  function policyFor(kamailio: KamailioServer): Record<string, unknown> {
    return {
      wsServer: kamailio.wsUrl,
      sipUri: `${AGENT.user}@${kamailio.domain}`,
      password: AGENT.password,
      displayName: 'Agent',
      defaultCountry: 'RU',
      dialFormat: 'e164',
      // The team's callback SLA; the other after-call rules stay the agent's.
      afterCall: { callbackDueMinutes: 5 },
    };
  }

  beforeAll(async () => {
    const dir = privatePolicyDir();
    rig = await PhoneRig.start({
      unconfigured: true,
      beforeLaunch: async (kamailio) => {
        policyFile = path.join(dir, POLICY_FILE);
        const policy = { '3rdparty': { extensions: { [extensionId]: policyFor(kamailio) } } };
        await writeFile(policyFile, JSON.stringify(policy, null, 2));
        launchedAt = Date.now();
      },
    });
    // The policy is keyed by the id computed before launch; a different id would leave it unused.
    expect(rig.extensionId).toBe(extensionId);
  });

  afterAll(async () => {
    await rig?.close();
    // Later test files in this run share the mount: leave no policy behind for them.
    if (policyFile) await rm(policyFile, { force: true });
  });

  function started(): PhoneRig {
    if (!rig) throw new Error('the rig did not start');
    return rig;
  }

  it('with no settings of its own, the extension registers the provisioned account by itself', async () => {
    const rig = started();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered', 20_000);
    console.log(`[policy] registered ${Date.now() - launchedAt} ms after the browser was launched`);

    const worker = await rig.worker();
    const managed = await worker.evaluate(() => chrome.storage.managed.get());
    expect(managed).toMatchObject({ sipUri: `${AGENT.user}@${rig.kamailio.domain}`, dialFormat: 'e164' });
    // Nothing was written as the user's own settings: the account lives in the policy only.
    expect(await worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings)).toBeUndefined();
    expect(rig.kamailio.log()).toMatch(/HARNESS-REGISTERED user=1001/);
    expect(await panel.page.$('[data-testid="no-account"]')).toBeNull();
    expect(await pollUntil(() => rig.badgeText(), (text) => text === 'ON')).toBe('ON');
  });

  it('the options page shows the administrator\'s account read-only, and the dialing rules and the callback SLA locked', async () => {
    const options: OptionsPage = await started().openOptions();
    await options.waitFor('policy-account');
    expect(await options.has('policy-account-locked')).toBe(true);
    expect(await options.value('policy-account-sipUri')).toBe(`${AGENT.user}@${started().kamailio.domain}`);
    expect(await options.value('policy-account-wsServer')).toBe(started().kamailio.wsUrl);
    expect(await options.attribute('policy-account-sipUri', 'readonly')).not.toBeNull();
    // The password is the administrator's: never shown.
    const password = await options.value('policy-account-password');
    expect(password).toMatch(/Set by your administrator/);
    expect(password).not.toContain(AGENT.password);

    // Fields the policy sets are shown with its value, disabled, with a note; the others stay editable.
    for (const field of ['defaultCountry', 'dialFormat']) {
      expect(await options.has(`${field}-locked`), `${field} locked`).toBe(true);
      expect(await options.attribute(field, 'disabled'), `${field} disabled`).not.toBeNull();
    }
    expect(await options.value('defaultCountry')).toBe('RU');
    expect(await options.value('dialFormat')).toBe('e164');
    expect(await options.has('declineCode-locked')).toBe(false);
    expect(await options.attribute('declineCode', 'disabled')).toBeNull();
    // After-call rules are locked one by one: the SLA the policy fixes, not the rules it leaves out.
    expect(await options.has('callbackDueMinutes-locked')).toBe(true);
    expect(await options.attribute('callbackDueMinutes', 'disabled')).not.toBeNull();
    expect(await options.value('callbackDueMinutes')).toBe('5');
    expect(await options.has('callbackTask-locked')).toBe(false);
    expect(await options.attribute('callbackTask', 'disabled')).toBeNull();
    console.log(`[policy] after-call rule locked: callbackDueMinutes = ${await options.value('callbackDueMinutes')} min`);
    // The user may still add accounts of their own (the policy does not forbid it).
    expect(await options.has('add-account')).toBe(true);
    expect(await options.has('accounts-empty')).toBe(false);

    const outcome = await options.testPolicyAccount();
    console.log(`[policy] test of the administrator's account: ${outcome.state}: ${outcome.text}`);
    expect(outcome.state).toBe('ok');
    await options.close();
  });

  it('calls go out on the provisioned account: the agent calls 1002, with audio both ways', async () => {
    const rig = started();
    const customer: FarEnd = await rig.openFarEnd('1002');
    try {
      await panel.dial('1002');
      const callId = await panel.waitForCall('ringing', 'outbound');
      await customer.waitForState('ringing-in');
      expect(await customer.lastInvite()).toMatch(/^From: "Agent" <sip:1001@demo\.local>/im);
      await customer.answer();
      await panel.waitForCall('established', 'outbound');
      const stats = await pollUntil(
        () => rig.engineStats(callId),
        (s) => s.bytesSent > 4000 && s.bytesReceived > 4000,
      );
      console.log(`[policy call] agent sent ${stats.bytesSent} B / received ${stats.bytesReceived} B`);
      expect(stats.bytesSent).toBeGreaterThan(4000);
      expect(stats.bytesReceived).toBeGreaterThan(4000);
      await panel.hangup(callId);
      await customer.waitForState('terminated');
      expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    } finally {
      await customer.close();
    }
  });
});
