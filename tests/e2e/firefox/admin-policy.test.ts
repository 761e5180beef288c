import { readFileSync, realpathSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from '../harness/far-end.ts';
import { GECKO_ID } from '../harness/firefox.ts';
import type { KamailioServer } from '../harness/kamailio.ts';
import type { SidePanelPage } from '../pages/side-panel-page.ts';
import { FirefoxPhoneRig, rmsOf } from '../support/firefox-phone-rig.ts';
import { AGENT, pollUntil } from '../support/phone-rig.ts';

/**
 * Where Firefox reads enterprise policy. isolated.sh mounts a private tmpfs over Firefox's
 * distribution/ folder (in the test run's own mount namespace) and exports it here.
 */
const POLICY_DIR = process.env.FIREFOX_POLICY_DIR;

/** Refuses to write anywhere but a private mount over Firefox's distribution/ folder. */
function privatePolicyDir(): string {
  if (!POLICY_DIR) {
    throw new Error(
      'FIREFOX_POLICY_DIR is not set: run the end-to-end tests through tests/e2e/harness/isolated.sh, ' +
        "which gives Firefox a private, writable distribution/ folder",
    );
  }
  // Debian links distribution/ into /usr/share: the mount sits on the link's target.
  const mountPoint = realpathSync(POLICY_DIR);
  const mountPoints = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4]);
  if (!mountPoints.includes(mountPoint)) {
    throw new Error(`${POLICY_DIR} is not a private mount; not writing policy there`);
  }
  return POLICY_DIR;
}

/**
 * An administrator provisions the phone on Firefox through `policies.json`
 * (`3rdparty.Extensions.<add-on id>`): the SIP account and the dialing rules arrive in
 * `storage.managed` (Firefox has no managed schema), without anyone opening the options page.
 */
// Without namespaces there is no private distribution/ folder, and the real one is never touched.
describe.skipIf(process.env.HARNESS_ISOLATED === '0')('Firefox: provisioned by the administrator through policies.json', () => {
  let rig: FirefoxPhoneRig | undefined;
  let panel: SidePanelPage;
  let policyFile: string | undefined;
  let policyWrittenAt = 0;

  function policyFor(kamailio: KamailioServer): Record<string, unknown> {
    return {
      wsServer: kamailio.wsUrl,
      sipUri: `${AGENT.user}@${kamailio.domain}`,
      password: AGENT.password,
      displayName: 'Agent',
      defaultCountry: 'RU',
      dialFormat: 'e164',
      // Not a valid value: dropped on its own, the rest of the policy still applies.
      declineCode: 999,
      // The callback SLA fixed for the team; the unknown `newNumber` choice is dropped on its own.
      afterCall: { callbackDueMinutes: 5, newNumber: 'deal' },
    };
  }

  beforeAll(async () => {
    const dir = privatePolicyDir();
    rig = await FirefoxPhoneRig.start({
      unconfigured: true,
      beforeLaunch: async (kamailio) => {
        policyFile = path.join(dir, 'policies.json');
        const policies = { policies: { '3rdparty': { Extensions: { [GECKO_ID]: policyFor(kamailio) } } } };
        await writeFile(policyFile, JSON.stringify(policies, null, 2));
        policyWrittenAt = Date.now();
      },
    });
  });

  afterAll(async () => {
    await rig?.close();
    // Later test files in this run share the mount: leave no policy behind for them.
    if (policyFile) await rm(policyFile, { force: true });
  });

  function started(): FirefoxPhoneRig {
    if (!rig) throw new Error('the rig did not start');
    return rig;
  }

  it('with no settings of its own, the add-on registers the provisioned account by itself', async () => {
    const rig = started();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered', 20_000);
    console.log(
      `[firefox policy] registered ${Date.now() - policyWrittenAt} ms after the policy was written ` +
        '(Chromium for the far ends and Firefox launched in between)',
    );

    const managed = await rig.managedStorage();
    expect(managed.value).toMatchObject({ sipUri: `${AGENT.user}@${rig.kamailio.domain}`, dialFormat: 'e164' });
    // Nothing was written as the user's own settings: the account lives in the policy only.
    expect(await rig.storedSettings()).toBeUndefined();
    expect(rig.kamailio.log()).toMatch(/HARNESS-REGISTERED user=1001/);
    expect(await panel.page.$('[data-testid="no-account"]')).toBeNull();
    expect(await pollUntil(() => rig.badgeText(), (text) => text === 'ON')).toBe('ON');
  });

  it("the options page shows the administrator's account read-only, the dialing rules and the callback SLA locked", async () => {
    const options = await started().openOptions();
    await options.waitFor('policy-account');
    expect(await options.has('policy-account-locked')).toBe(true);
    expect(await options.value('policy-account-sipUri')).toBe(`${AGENT.user}@${started().kamailio.domain}`);
    expect(await options.value('policy-account-wsServer')).toBe(started().kamailio.wsUrl);
    expect(await options.attribute('policy-account-sipUri', 'readonly')).not.toBeNull();
    const password = await options.value('policy-account-password');
    expect(password).toMatch(/Set by your administrator/);
    expect(password).not.toContain(AGENT.password);

    for (const field of ['defaultCountry', 'dialFormat']) {
      expect(await options.has(`${field}-locked`), `${field} locked`).toBe(true);
      expect(await options.attribute(field, 'disabled'), `${field} disabled`).not.toBeNull();
    }
    expect(await options.value('defaultCountry')).toBe('RU');
    expect(await options.value('dialFormat')).toBe('e164');
    // The invalid decline code was ignored: the field stays the user's.
    expect(await options.has('declineCode-locked')).toBe(false);
    expect(await options.attribute('declineCode', 'disabled')).toBeNull();
    // After-call rules are locked one by one, from the nested object policies.json gives.
    expect(await options.has('callbackDueMinutes-locked')).toBe(true);
    expect(await options.attribute('callbackDueMinutes', 'disabled')).not.toBeNull();
    expect(await options.value('callbackDueMinutes')).toBe('5');
    expect(await options.has('newNumber-locked')).toBe(false);
    expect(await options.has('add-account')).toBe(true);

    const outcome = await options.testPolicyAccount();
    console.log(`[firefox policy] test of the administrator's account: ${outcome.state}: ${outcome.text}`);
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
      const agent = await pollUntil(
        () => rig.engineStats(callId),
        (s) => s.bytesSent > 4000 && s.bytesReceived > 4000 && s.rms > 0.001,
      );
      const far = await pollUntil(() => customer.stats(), (s) => s.bytesReceived > 4000 && rmsOf(s) > 0.001);
      console.log(
        `[firefox policy call] agent sent ${agent.bytesSent} B / received ${agent.bytesReceived} B (RMS ${agent.rms.toFixed(4)}); ` +
          `customer received ${far.bytesReceived} B (RMS ${rmsOf(far).toFixed(4)})`,
      );
      expect(agent.bytesSent).toBeGreaterThan(4000);
      expect(agent.rms).toBeGreaterThan(0.001);
      expect(rmsOf(far)).toBeGreaterThan(0.001);
      await panel.hangup(callId);
      await customer.waitForState('terminated');
      expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    } finally {
      await customer.close();
    }
  });
});
