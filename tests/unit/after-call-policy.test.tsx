import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AfterCallSection } from '@/components/options/after-call-section';
import { createCallbackReminders } from '@/lib/background/callback-reminders';
import { createCrmOutboxService } from '@/lib/background/crm-outbox-service';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import { AppDb } from '@/lib/db/app-db';
import { callbackTaskId } from '@/lib/history/callback-tasks';
import { createOptionsModel, type OptionsModel } from '@/lib/options/options-model';
import type { AfterCallSettings } from '@/lib/settings/after-call-settings';
import { mergeSettings } from '@/lib/settings/effective-settings';
import { parseManagedPolicy } from '@/lib/settings/managed-policy';
import { DEFAULT_SETTINGS, type Settings } from '@/lib/settings/settings-schema';
import { loadAfterCallRules, loadLocalSettings, saveLocalSettings } from '@/lib/settings/settings-store';
import { setLogLevel } from '@/lib/util/logger';
import { startFakeAmoCrm, type FakeAmoCrm } from '../fakes/amocrm-server';
import { callRow, freshIndexedDb, T0 } from '../fixtures/db/test-db';

const MINUTE = 60_000;
const STRANGER = '+74991112233';

/** The agent's own rules: callbacks due in 15 minutes, notes on, unknown numbers to the inbox. */
const AGENT_RULES: AfterCallSettings = { callbackTask: true, callbackDueMinutes: 15, answeredNote: true, newNumber: 'lead' };
const STORED: Settings = { ...DEFAULT_SETTINGS, afterCall: AGENT_RULES };

beforeEach(() => {
  fakeBrowser.reset();
  setLogLevel('error');
});

describe('the after-call rules in the administrator policy', () => {
  it('reads each rule on its own: a bad rule is dropped, the good ones and the rest of the policy apply', () => {
    expect(
      parseManagedPolicy({
        dialFormat: 'e164',
        afterCall: { callbackDueMinutes: 5, newNumber: 'deal', callbackTask: 'yes', answeredNote: false, unknown: 1 },
      }),
    ).toEqual({ dialFormat: 'e164', afterCall: { callbackDueMinutes: 5, answeredNote: false } });
  });

  it.each([
    ['a negative delay', { callbackDueMinutes: -1 }],
    ['a delay over a week', { callbackDueMinutes: 7 * 24 * 60 + 1 }],
    ['a delay as text', { callbackDueMinutes: '5' }],
    ['an unknown new-number rule', { newNumber: 'deal' }],
    ['nothing at all', {}],
    ['a list instead of rules', [{ callbackDueMinutes: 5 }]],
    ['a number instead of rules', 5],
  ])('fixes nothing with %s', (_, afterCall) => {
    expect(parseManagedPolicy({ afterCall, declineCode: 603 })).toEqual({ declineCode: 603 });
  });

  it('accepts a fraction of a minute and 0 (due at once), as the form does', () => {
    expect(parseManagedPolicy({ afterCall: { callbackDueMinutes: 0.5 } })).toEqual({ afterCall: { callbackDueMinutes: 0.5 } });
    expect(parseManagedPolicy({ afterCall: { callbackDueMinutes: 0 } })).toEqual({ afterCall: { callbackDueMinutes: 0 } });
  });

  it('fixes only the rules it names, and locks each of them alone', () => {
    const merged = mergeSettings(STORED, parseManagedPolicy({ afterCall: { callbackDueMinutes: 5 } }));
    expect(merged.settings.afterCall).toEqual({ ...AGENT_RULES, callbackDueMinutes: 5 });
    expect([...merged.locked]).toEqual(['afterCall.callbackDueMinutes']);
    expect(STORED.afterCall.callbackDueMinutes).toBe(15);
  });

  it('fixes every rule when the policy names them all', () => {
    const fixed: AfterCallSettings = { callbackTask: false, callbackDueMinutes: 60, answeredNote: false, newNumber: 'contact' };
    const merged = mergeSettings(STORED, parseManagedPolicy({ afterCall: fixed }));
    expect(merged.settings.afterCall).toEqual(fixed);
    expect([...merged.locked].sort()).toEqual([
      'afterCall.answeredNote',
      'afterCall.callbackDueMinutes',
      'afterCall.callbackTask',
      'afterCall.newNumber',
    ]);
    expect(merged.policyErrors).toEqual([]);
  });

  it('is what the background reads: stored 15 minutes, policy 5, in force 5', async () => {
    await saveLocalSettings(STORED);
    await fakeBrowser.storage.managed.set({ afterCall: { callbackDueMinutes: 5 } });
    expect(await loadAfterCallRules()).toEqual({ ...AGENT_RULES, callbackDueMinutes: 5 });
    expect((await loadLocalSettings()).afterCall.callbackDueMinutes).toBe(15);
  });
});

describe('the background applies the policy rules, not the stored ones', () => {
  let fake: FakeAmoCrm;
  let db: AppDb;

  beforeEach(async () => {
    fake = await startFakeAmoCrm();
    db = new AppDb('test-history', freshIndexedDb());
    await saveLocalSettings(STORED);
  });

  afterEach(async () => {
    db.close();
    await fake.close();
  });

  const reminders = (now: number) =>
    createCallbackReminders({
      db,
      rules: loadAfterCallRules,
      notify: async () => undefined,
      clearReminder: async () => undefined,
      scheduleWake: async () => undefined,
      publish: async () => undefined,
      clock: () => now,
    });

  const outbox = (now: number) =>
    createCrmOutboxService({
      db,
      adapter: async () =>
        createAmoCrmAdapter({ host: fake.baseUrl, auth: { type: 'token', token: 'long-lived-token' }, region: 'RU' }),
      connectionKey: async () => 'amocrm',
      pause: { getValue: async () => null, setValue: async () => undefined },
      scheduleWake: async () => undefined,
      clock: () => now,
      random: () => 0.5,
      rules: loadAfterCallRules,
      wrapUpGraceMs: 0,
    });

  it('a stranger misses the agent under a 5-minute SLA: the callback and its amoCRM task are due in 5 minutes, though the agent chose 15', async () => {
    await fakeBrowser.storage.managed.set({ afterCall: { callbackDueMinutes: 5 } });
    const call = callRow({ callId: 'm1', numberKey: STRANGER, startedAt: T0 - 20_000, endedAt: T0, crmState: 'pending' });
    await db.calls.add(call);

    const list = await reminders(T0 + 1_000).afterJournal([call]);
    expect(list.entries).toMatchObject([{ id: callbackTaskId(call.id), dueAt: T0 + 5 * MINUTE }]);

    await outbox(T0 + 2_000).drain();
    expect(fake.state.tasks).toHaveLength(1);
    expect(fake.state.tasks[0]).toMatchObject({ complete_till: Math.floor((T0 + 5 * MINUTE) / 1000) });
    console.log(`[after-call policy] stored 15 min, policy 5 min → callback due ${(list.entries[0]!.dueAt! - T0) / MINUTE} min after the call`);
  });

  it('a policy that turns callbacks off wins over the agent who turned them on: no reminder, no amoCRM task', async () => {
    await fakeBrowser.storage.managed.set({ afterCall: { callbackTask: false } });
    const call = callRow({ callId: 'm2', numberKey: STRANGER, startedAt: T0 - 20_000, endedAt: T0, crmState: 'pending' });
    await db.calls.add(call);

    expect((await reminders(T0 + 1_000).afterJournal([call])).entries).toEqual([]);
    await outbox(T0 + 2_000).drain();
    // The call itself still reaches amoCRM (the stranger's number goes to the inbox), without a task.
    expect(fake.state.unsorted).toHaveLength(1);
    expect(await db.calls.get(call.id)).toMatchObject({ crmState: 'synced' });
    expect(fake.state.tasks).toEqual([]);
  });
});

describe('the options page with after-call rules fixed by policy', () => {
  let model: OptionsModel;
  let root: HTMLElement;
  const saved = globalThis.document;

  beforeEach(() => {
    const { document } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
    globalThis.document = document as unknown as Document;
    root = document.getElementById('root') as unknown as HTMLElement;
  });

  afterEach(() => {
    render(null, root);
    globalThis.document = saved;
    model.dispose();
  });

  async function open(): Promise<void> {
    model = createOptionsModel({ client: { testConnection: async () => ({ ok: true, elapsedMs: 1 }) }, language: 'en-GB' });
    await model.start();
  }

  const find = (testId: string) => root.querySelector(`[data-testid="${testId}"]`) as HTMLInputElement | HTMLSelectElement | null;

  it('the model marks the fixed rule locked with its value, and saving keeps the agent’s own value', async () => {
    await saveLocalSettings(STORED);
    await fakeBrowser.storage.managed.set({ afterCall: { callbackDueMinutes: 5 } });
    await open();

    expect([...model.policy.value.locked]).toEqual(['afterCall.callbackDueMinutes']);
    expect(model.policy.value.effective.afterCall.callbackDueMinutes).toBe(5);
    expect(model.draft.value.afterCall.callbackDueMinutes).toBe('15');

    // The agent changes a rule the policy leaves to them, and saves.
    model.setAfterCall('answeredNote', false);
    await model.save();
    expect((await loadLocalSettings()).afterCall).toEqual({ ...AGENT_RULES, answeredNote: false });
  });

  it('the section shows the fixed rule with the policy’s value, disabled, with the note; the other rules stay editable', async () => {
    await saveLocalSettings(STORED);
    await fakeBrowser.storage.managed.set({ afterCall: { callbackDueMinutes: 5, newNumber: 'off' } });
    await open();
    render(<AfterCallSection model={model} />, root);

    expect(find('callbackDueMinutes')?.value).toBe('5');
    expect(find('callbackDueMinutes')?.disabled).toBe(true);
    expect(find('callbackDueMinutes-locked')?.textContent).toBe('Set by your administrator');
    expect(find('newNumber')?.disabled).toBe(true);
    expect(find('newNumber-locked')).not.toBeNull();
    for (const rule of ['callbackTask', 'answeredNote']) {
      expect(find(rule)?.disabled, rule).toBe(false);
      expect(find(`${rule}-locked`), rule).toBeNull();
    }
  });

  it('a callback rule turned off by policy is shown off and locked', async () => {
    await saveLocalSettings(STORED);
    await fakeBrowser.storage.managed.set({ afterCall: { callbackTask: false } });
    await open();
    render(<AfterCallSection model={model} />, root);

    // linkedom keeps a checkbox's state as its attribute.
    expect(find('callbackTask')?.hasAttribute('checked')).toBe(false);
    expect(find('callbackTask')?.disabled).toBe(true);
    expect(find('callbackTask-locked')).not.toBeNull();
    // No callback, so no delay to set.
    expect(find('callbackDueMinutes')?.disabled).toBe(true);
    expect(find('callbackDueMinutes-locked')).toBeNull();
  });
});

describe('readers of the after-call rules', () => {
  /** Where the user's own rules may be read: the settings themselves and the options form. */
  const OWNERS = ['lib/settings/', 'lib/options/'];

  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sources(full);
      return /\.tsx?$/.test(entry.name) ? [full] : [];
    });
  }

  it('outside the settings and the options form, read them only through loadAfterCallRules (policy applied)', () => {
    const root = path.resolve(__dirname, '../..');
    const offenders = sources(path.join(root, 'lib'))
      .map((file) => path.relative(root, file).split(path.sep).join('/'))
      .filter((file) => !OWNERS.some((owner) => file.startsWith(owner)))
      // A property read, not a message key such as 'section.afterCall'.
      .filter((file) => /\.afterCall\b(?![\w.]*['"`])/.test(readFileSync(path.join(root, file), 'utf8')));
    expect(offenders, 'these read the stored rules and would bypass the administrator policy').toEqual([]);
  });
});
