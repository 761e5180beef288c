import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { crmAdapterFor, type ConnectedCrmSource } from '@/lib/background/crm-adapters';
import type { CrmSettings } from '@/lib/settings/crm-settings';
import { openTestDb } from '../fixtures/db/test-db';

const AMO: CrmSettings = { kind: 'amocrm', amocrm: { host: 'romashka.amocrm.ru', auth: { type: 'token', token: 't1' } } };

function source(crm: CrmSettings, granted: boolean): ConnectedCrmSource & { crm: CrmSettings; granted: boolean } {
  const state = {
    crm,
    granted,
    loadCrm: async () => state.crm,
    saveCrm: async (next: CrmSettings) => {
      state.crm = next;
    },
    hasOrigin: async () => state.granted,
  };
  return state;
}

beforeEach(() => fakeBrowser.reset());

describe('crmAdapterFor', () => {
  const region = async () => 'RU';

  it('uses the local contacts while no CRM is connected', async () => {
    const adapter = crmAdapterFor(openTestDb(), region, source({ kind: 'none' }, true));
    expect((await adapter()).kind).toBe('local');
  });

  it('uses the local contacts while the amoCRM host permission is not granted', async () => {
    const adapter = crmAdapterFor(openTestDb(), region, source(AMO, false));
    expect((await adapter()).kind).toBe('local');
  });

  it('uses amoCRM once connected, the same adapter while the connection stays, a new one when it changes', async () => {
    const connected = source(AMO, true);
    const adapter = crmAdapterFor(openTestDb(), region, connected);
    const first = await adapter();
    expect(first.kind).toBe('amocrm');
    expect(await adapter()).toBe(first);
    connected.crm = { ...AMO, amocrm: { ...AMO.amocrm!, auth: { type: 'token', token: 't2' } } };
    const second = await adapter();
    expect(second.kind).toBe('amocrm');
    expect(second).not.toBe(first);
    connected.crm = { kind: 'none' };
    expect((await adapter()).kind).toBe('local');
  });
});
