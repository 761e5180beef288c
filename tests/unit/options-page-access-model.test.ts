import { describe, expect, it, vi } from 'vitest';
import { createPageAccessModel, type PageAccessPermissions } from '@/lib/options/page-access-model';

function fakePermissions(initial: boolean, answer: boolean | Error = true, crmOrigins: string[] = []) {
  let granted = initial;
  let others = [...crmOrigins];
  const listeners: (() => void)[] = [];
  const permissions: PageAccessPermissions & {
    setGranted(value: boolean): void;
    requests: number;
    reasked: string[];
    removed: string[];
  } = {
    requests: 0,
    contains: () => Promise.resolve(granted),
    request() {
      permissions.requests += 1;
      if (answer instanceof Error) return Promise.reject(answer);
      granted = answer;
      return Promise.resolve(answer);
    },
    remove() {
      granted = false;
      // Like Chrome: narrower grants inside the removed patterns go too.
      others = [];
      return Promise.resolve(true);
    },
    removeOrigins(origins) {
      permissions.removed.push(...origins);
      others = others.filter((origin) => !origins.includes(origin));
      return Promise.resolve(true);
    },
    removed: [] as string[],
    grantedOrigins: () => Promise.resolve([...(granted ? ['http://*/*', 'https://*/*'] : []), ...others]),
    requestOrigins(origins) {
      permissions.reasked.push(...origins);
      if (answer === true) others.push(...origins);
      return Promise.resolve(answer === true);
    },
    reasked: [] as string[],
    watch(callback) {
      listeners.push(callback);
      return () => listeners.splice(listeners.indexOf(callback), 1);
    },
    setGranted(value) {
      granted = value;
      for (const listener of listeners) listener();
    },
  };
  return permissions;
}

describe('PageAccessModel', () => {
  it('shows no access until the user allows all sites, then shows access', async () => {
    const permissions = fakePermissions(false);
    const model = createPageAccessModel(permissions);
    expect(model.state.value).toBe('unknown');
    await model.start();
    expect(model.state.value).toBe('none');
    await model.allowAllSites();
    expect(permissions.requests).toBe(1);
    expect(model.state.value).toBe('all');
    expect(model.problem.value).toBeUndefined();
  });

  it('says so when the user declines the browser prompt', async () => {
    const model = createPageAccessModel(fakePermissions(false, false));
    await model.start();
    await model.allowAllSites();
    expect(model.state.value).toBe('none');
    expect(model.problem.value).toBe('c2c.access.refused');
  });

  it('says so when the browser fails the request', async () => {
    const model = createPageAccessModel(fakePermissions(false, new Error('not a user gesture')));
    await model.start();
    await model.allowAllSites();
    expect(model.state.value).toBe('none');
    expect(model.problem.value).toBe('c2c.access.failed');
  });

  it('gives the access back', async () => {
    const model = createPageAccessModel(fakePermissions(true));
    await model.start();
    expect(model.state.value).toBe('all');
    await model.revoke();
    expect(model.state.value).toBe('none');
  });

  it('asks again for the CRM host the browser took away with all sites, and says so when refused', async () => {
    const kept = fakePermissions(true, true, ['https://acme.amocrm.ru/*']);
    const model = createPageAccessModel(kept);
    await model.start();
    await model.revoke();
    expect(kept.reasked).toEqual(['https://acme.amocrm.ru/*']);
    expect(await kept.grantedOrigins()).toEqual(['https://acme.amocrm.ru/*']);
    // Click-to-call keeps running on the CRM account's pages, which the CRM connection was granted.
    expect(model.state.value).toBe('some');
    expect(model.sites.value).toEqual([{ host: 'acme.amocrm.ru', crm: true }]);
    expect(model.problem.value).toBeUndefined();

    const refused = fakePermissions(true, false, ['https://acme.amocrm.ru/*']);
    const other = createPageAccessModel(refused);
    await other.start();
    await other.revoke();
    expect(other.problem.value).toBe('c2c.access.crmLost');
  });

  it('follows changes made elsewhere (the browser’s site-access settings)', async () => {
    const permissions = fakePermissions(true);
    const model = createPageAccessModel(permissions);
    await model.start();
    permissions.setGranted(false);
    await vi.waitFor(() => expect(model.state.value).toBe('none'));
    model.dispose();
  });
  it('allows one site the user typed, for both schemes and every port, and lists it', async () => {
    const permissions = fakePermissions(false);
    const model = createPageAccessModel(permissions);
    await model.start();
    expect(await model.allowSite('  https://CRM.Example.com:8443/deals?id=1 ')).toBe(true);
    expect(permissions.reasked).toEqual(['http://crm.example.com/*', 'https://crm.example.com/*']);
    expect(model.state.value).toBe('some');
    expect(model.sites.value).toEqual([{ host: 'crm.example.com', crm: false }]);
    expect(await model.allowSite('*.intranet.example')).toBe(true);
    expect(model.sites.value.map((site) => site.host)).toEqual(['crm.example.com', '*.intranet.example']);
  });

  it.each(['', 'not a site', 'http://', '*.com', 'crm..example.com', 'exa_mple.com', `${'a'.repeat(64)}.com`])(
    'refuses %j in words and asks the browser for nothing',
    async (input) => {
      const permissions = fakePermissions(false);
      const model = createPageAccessModel(permissions);
      await model.start();
      expect(await model.allowSite(input)).toBe(false);
      expect(model.problem.value).toBe('c2c.access.siteInvalid');
      expect(permissions.reasked).toEqual([]);
      expect(model.state.value).toBe('none');
    },
  );

  it('a declined prompt for a site is said, and nothing is listed', async () => {
    const model = createPageAccessModel(fakePermissions(false, false));
    await model.start();
    expect(await model.allowSite('crm.example.com')).toBe(false);
    expect(model.problem.value).toBe('c2c.access.refused');
    expect(model.sites.value).toEqual([]);
  });

  it("removes a chosen site's patterns, never the CRM connection's host", async () => {
    const permissions = fakePermissions(false, true, ['https://*.amocrm.ru/*']);
    const model = createPageAccessModel(permissions);
    await model.start();
    expect(model.state.value).toBe('some');
    expect(model.sites.value).toEqual([{ host: '*.amocrm.ru', crm: true }]);
    await model.allowSite('crm.example.com');
    await model.removeSite('crm.example.com');
    expect(permissions.removed).toEqual(['http://crm.example.com/*', 'https://crm.example.com/*']);
    await model.removeSite('*.amocrm.ru');
    expect(permissions.removed).toHaveLength(2);
    expect(model.sites.value).toEqual([{ host: '*.amocrm.ru', crm: true }]);
  });
});
