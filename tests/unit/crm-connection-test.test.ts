import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCrmConnection, type CrmConnectionTestDeps } from '@/lib/background/crm-connection-test';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import type { AmoCrmConnection } from '@/lib/settings/crm-settings';
import { startFakeAmoCrm, type FakeAmoCrm } from '../fakes/amocrm-server';

const CONNECTION: AmoCrmConnection = { host: 'romashka.amocrm.ru', auth: { type: 'token', token: 'long-lived-token' } };

describe('testCrmConnection (background, Test connection of the CRM section)', () => {
  let fake: FakeAmoCrm;
  let origins: string[];
  let deps: CrmConnectionTestDeps;

  beforeEach(async () => {
    fake = await startFakeAmoCrm();
    origins = [];
    deps = {
      hasOrigin: async (origin) => {
        origins.push(origin);
        return true;
      },
      // The fake stands in for the account's host.
      connectionInfo: (connection) =>
        createAmoCrmAdapter({ host: fake.baseUrl, auth: connection.auth, region: 'RU' }).connectionInfo(),
    };
  });

  afterEach(async () => {
    await fake.close();
  });

  it('answers the account and user names', async () => {
    expect(await testCrmConnection(CONNECTION, deps)).toEqual({ ok: true, accountName: 'Ромашка', userName: 'Ольга Смирнова' });
    expect(origins).toEqual(['https://romashka.amocrm.ru/*']);
  });

  it('a wrong token is auth, with the detail', async () => {
    const result = await testCrmConnection({ ...CONNECTION, auth: { type: 'token', token: 'wrong' } }, deps);
    expect(result).toMatchObject({ ok: false, failure: 'auth' });
  });

  it('without the host permission nothing is sent', async () => {
    const result = await testCrmConnection(CONNECTION, { ...deps, hasOrigin: async () => false });
    expect(result).toEqual({ ok: false, failure: 'permission' });
    expect(fake.requests).toEqual([]);
  });

  it('amoCRM down: server', async () => {
    fake.failWith(502);
    expect(await testCrmConnection(CONNECTION, deps)).toMatchObject({ ok: false, failure: 'server' });
  });
});
