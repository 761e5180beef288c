import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort } from './harness/process.ts';
import type { AccountField, OptionsPage } from './pages/options-page.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { AGENT, PhoneRig, pollUntil } from './support/phone-rig.ts';

/**
 * A new agent sets the phone up on the options page: a fresh install has no account, they type in
 * what their PBX administrator gave them, test it, get their mistakes explained, save, and the side
 * panel registers by itself. The scenarios build on each other, like the agent's first morning.
 */
describe('setting up the phone on the options page', () => {
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let options: OptionsPage;

  beforeAll(async () => {
    rig = await PhoneRig.start({ unconfigured: true });
  });

  afterAll(async () => {
    await rig?.close();
  });

  /** What the extension keeps in chrome.storage.local under `settings` (undefined: nothing saved). */
  async function storedSettings(): Promise<StoredSettings | undefined> {
    const worker = await rig.worker();
    return worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings) as Promise<
      StoredSettings | undefined
    >;
  }

  /** The account the agent was given by the administrator. */
  function agentAccount(password: string = AGENT.password): Partial<Record<AccountField, string>> {
    return {
      wsServer: rig.kamailio.wsUrl,
      sipUri: `${AGENT.user}@${rig.kamailio.domain}`,
      password,
      displayName: 'Agent Smith',
    };
  }

  it('a fresh install has no account: the panel says so and the options page offers to add one', async () => {
    panel = await rig.openPanel();
    await panel.page.waitForSelector('[data-testid="no-account"]');
    expect(await panel.registrationState()).toBe('none');

    options = await rig.openOptions();
    expect(await options.has('accounts-empty')).toBe(true);
    expect(await options.has('account-0')).toBe(false);
    expect(await storedSettings()).toBeUndefined();
    expect(rig.kamailio.registerCount()).toBe(0);
  });

  it('the agent types in the account and "Test connection" registers with the server and says how long it took', async () => {
    expect(await options.addAccount()).toBe(0);
    await options.fillAccount(0, agentAccount());

    const before = rig.kamailio.registerCount(AGENT.user);
    const outcome = await options.testConnection(0);
    console.log(`[test connection] ${outcome.state}: ${outcome.text}`);
    expect(outcome.state).toBe('ok');
    const ms = Number(/registered in (\d+) ms/.exec(outcome.text)?.[1]);
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(10_000);
    // It really went to the server: a challenge round, then (the test cleans up) an un-REGISTER.
    expect(rig.kamailio.registerCount(AGENT.user) - before).toBeGreaterThanOrEqual(2);
    await rig.kamailio.waitForLog(/HARNESS-REGISTERED user=1001/, 1000);

    // A test is only a test: nothing was saved and the panel still has no account.
    expect(await storedSettings()).toBeUndefined();
    expect(await panel.registrationState()).toBe('none');
  });

  it('with a wrong password the test says the server rejected the user name or password', async () => {
    await options.fillAccount(0, { password: 'not-the-password' });
    const outcome = await options.testConnection(0);
    console.log(`[test connection, wrong password] ${outcome.state}: ${outcome.text}`);
    expect(outcome.state).toBe('failed');
    expect(outcome.text).toMatch(/The server rejected the user name or password\./);
    expect(outcome.text).toMatch(/SIP 401/);
  });

  it('with a server that is not listening the test says it cannot reach the SIP server', async () => {
    const closedPort = await freeTcpPort();
    await options.fillAccount(0, { wsServer: `ws://127.0.0.1:${closedPort}`, password: AGENT.password });
    const startedAt = Date.now();
    const outcome = await options.testConnection(0);
    console.log(`[test connection, closed port] ${outcome.state} after ${Date.now() - startedAt} ms: ${outcome.text}`);
    expect(outcome.state).toBe('failed');
    expect(outcome.text).toMatch(/Cannot reach the SIP server\. Check the address/);
  });

  it('invalid fields are explained under each field, and nothing is saved', async () => {
    await options.fillAccount(0, { wsServer: 'https://pbx.example.org', sipUri: 'agent', password: '' });
    // Testing an account that does not validate sends nothing and points at the fields.
    expect((await options.testConnection(0)).state).toBe('invalid');

    expect(await options.save()).toBe('invalid');
    expect(await options.text('save-status')).toMatch(/Not saved: correct the highlighted fields \(3\)/);
    expect(await options.fieldError('account-0-wsServer')).toMatch(/Enter a ws:\/\/ or wss:\/\/ address/);
    expect(await options.fieldError('account-0-sipUri')).toMatch(/Enter a SIP address like/);
    expect(await options.fieldError('account-0-password')).toMatch(/This field is required/);
    expect(await options.fieldError('account-0-displayName')).toBeUndefined();
    expect(await options.attribute('account-0-wsServer', 'aria-invalid')).toBe('true');
    expect(await storedSettings()).toBeUndefined();
    expect(await panel.registrationState()).toBe('none');
  });

  it('Save: the panel that was already open registers by itself', async () => {
    const before = rig.kamailio.registerCount(AGENT.user);
    await options.fillAccount(0, agentAccount());
    await options.select('declineCode', '603');
    const savedAt = Date.now();
    expect(await options.save()).toBe('saved');
    expect(await options.fieldError('account-0-wsServer')).toBeUndefined();

    const saved = await storedSettings();
    expect(saved?.accounts).toHaveLength(1);
    expect(saved?.accounts[0]).toMatchObject({
      enabled: true,
      wsServer: rig.kamailio.wsUrl,
      sipUri: `${AGENT.user}@${rig.kamailio.domain}`,
      password: AGENT.password,
      displayName: 'Agent Smith',
      iceServers: [],
    });
    expect(saved?.declineCode).toBe(603);

    await panel.waitForRegistration('registered');
    console.log(`[save] the open panel showed "registered" ${Date.now() - savedAt} ms after Save`);
    expect(await panel.page.$('[data-testid="no-account"]')).toBeNull();
    expect(await panel.page.$('[data-testid="mic-warning"]')).toBeNull();
    expect(rig.kamailio.registerCount(AGENT.user) - before).toBe(2);
    expect(await pollUntil(() => rig.badgeText(), (text) => text === 'ON')).toBe('ON');
  });

  it('the saved decline code is what a caller hears when the agent declines', async () => {
    const customer = await rig.openFarEnd('1002');
    try {
      await customer.call(AGENT.user);
      const callId = await panel.waitForCall('incoming', 'inbound');
      await panel.decline(callId);
      await customer.waitForState('terminated');
      expect((await customer.events()).join('\n')).toMatch(/\b603\b/);
      expect(await panel.waitForEndedReason(callId)).toBe('declined');
    } finally {
      await customer.close();
    }
  });

  it('the microphone is blocked, then allowed again in the browser\'s site settings: the panel warns, then stops warning', async () => {
    // No options page is open to pass the change on: the phone engine (which reads the permission when
    // it starts and when the options page reports a change) has to notice it by itself.
    await options.close();
    await rig.pinMicrophonePermission('denied');
    try {
      const warned = await pollUntil(
        async () => (await panel.page.$('[data-testid="mic-warning"]')) !== null,
        (shown) => shown,
        5000,
      );
      expect(warned, 'the panel warns that the microphone is blocked').toBe(true);
    } finally {
      await rig.pinMicrophonePermission(undefined);
    }
    const cleared = await pollUntil(
      async () => (await panel.page.$('[data-testid="mic-warning"]')) === null,
      (gone) => gone,
      5000,
    );
    expect(cleared, 'the warning goes once the microphone is allowed').toBe(true);
  });

  it('"Allow microphone" asks for the microphone and says it is granted', async () => {
    options = await rig.openOptions();
    // Chromium runs with --use-fake-ui-for-media-stream, which reads as "granted" from the start and
    // answers every prompt with Allow. Pin the state of a profile where nobody has allowed it yet.
    await rig.pinMicrophonePermission('prompt');
    try {
      await options.reload();
      await options.waitForState('microphone-status', 'prompt');
      expect(await options.text('microphone-status')).toMatch(/Microphone access is not granted yet/);
      expect(await options.allowMicrophone()).toBe('granted');
      expect(await options.text('microphone-status')).toMatch(/Microphone access is granted/);
    } finally {
      await rig.pinMicrophonePermission(undefined);
    }
  });
});

interface StoredSettings {
  accounts: Record<string, unknown>[];
  defaultCountry: string;
  dialFormat: string;
  declineCode: number;
}
