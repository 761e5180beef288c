import { describe, expect, it } from 'vitest';
import { createClickToCallRegistration, pageMatches, type ContentScriptHost } from '@/lib/background/click-to-call-registration';

/** A browser whose grants the test sets, recording what the registration did. */
function fakeHost(granted: string[]): ContentScriptHost & { granted: string[]; matches: string[] | undefined; calls: string[] } {
  const host = {
    granted,
    matches: undefined as string[] | undefined,
    calls: [] as string[],
    grantedOrigins: () => Promise.resolve([...host.granted]),
    registeredMatches: () => Promise.resolve(host.matches),
    register(matches: readonly string[]) {
      if (host.matches) return Promise.reject(new Error('Duplicate script ID'));
      host.matches = [...matches];
      host.calls.push(`register ${matches.join(' ')}`);
      return Promise.resolve();
    },
    update(matches: readonly string[]) {
      host.matches = [...matches];
      host.calls.push(`update ${matches.join(' ')}`);
      return Promise.resolve();
    },
    unregister() {
      host.matches = undefined;
      host.calls.push('unregister');
      return Promise.resolve();
    },
  };
  return host;
}

describe('ClickToCallRegistration', () => {
  it('registers nothing while no page access is granted', async () => {
    const host = fakeHost([]);
    await createClickToCallRegistration(host).sync();
    expect(host.calls).toEqual([]);
  });

  it('registers the script for the granted origins, once, however often it syncs', async () => {
    const host = fakeHost(['http://*/*', 'https://*/*']);
    const registration = createClickToCallRegistration(host);
    // A background start and a permissions.onAdded arriving together.
    await Promise.all([registration.sync(), registration.sync(), registration.sync()]);
    expect(host.calls).toEqual(['register http://*/* https://*/*']);
  });

  it('unregisters when the user revokes access, and registers again when it is granted again', async () => {
    const host = fakeHost(['http://*/*', 'https://*/*']);
    const registration = createClickToCallRegistration(host);
    await registration.sync();
    host.granted = [];
    await registration.sync();
    expect(host.matches).toBeUndefined();
    host.granted = ['http://*/*', 'https://*/*'];
    await registration.sync();
    expect(host.calls).toEqual(['register http://*/* https://*/*', 'unregister', 'register http://*/* https://*/*']);
  });

  it('narrows the matches when only part of the access remains', async () => {
    const host = fakeHost(['http://*/*', 'https://*/*']);
    const registration = createClickToCallRegistration(host);
    await registration.sync();
    host.granted = ['https://*/*'];
    await registration.sync();
    expect(host.matches).toEqual(['https://*/*']);
    expect(host.calls.at(-1)).toBe('update https://*/*');
  });

  it('runs only on the sites the user chose, and follows each one added or removed', async () => {
    const host = fakeHost(['http://crm.example.com/*', 'https://crm.example.com/*']);
    const registration = createClickToCallRegistration(host);
    await registration.sync();
    expect(host.matches).toEqual(['http://crm.example.com/*', 'https://crm.example.com/*']);
    host.granted.push('http://*.intranet.local/*', 'https://*.intranet.local/*');
    await registration.sync();
    expect(host.matches).toEqual([
      'http://crm.example.com/*',
      'https://crm.example.com/*',
      'http://*.intranet.local/*',
      'https://*.intranet.local/*',
    ]);
    host.granted = [];
    await registration.sync();
    expect(host.calls.at(-1)).toBe('unregister');
  });

  it("the CRM account's host counts as page access: the script runs on the CRM's pages with nothing else granted", async () => {
    const host = fakeHost(['https://*.amocrm.ru/*']);
    await createClickToCallRegistration(host).sync();
    expect(host.calls).toEqual(['register https://*.amocrm.ru/*']);
  });

  it('all sites cover the narrower grants of the same scheme; other permissions are not pages', () => {
    expect(pageMatches(['https://*.amocrm.ru/*', 'http://*/*', 'https://*/*', 'http://crm.example.com/*'])).toEqual([
      'http://*/*',
      'https://*/*',
    ]);
    expect(pageMatches(['https://*/*', 'http://crm.example.com/*', 'https://crm.example.com/*'])).toEqual([
      'https://*/*',
      'http://crm.example.com/*',
    ]);
    expect(pageMatches(['chrome://favicon/*', 'file:///*', '<all_urls>', 'https://a.example/path/*'])).toEqual([]);
  });

  it('a failed sync does not block the next one', async () => {
    const host = fakeHost(['https://*/*']);
    const registration = createClickToCallRegistration(host);
    const original = host.register.bind(host);
    host.register = () => Promise.reject(new Error('browser busy'));
    await expect(registration.sync()).rejects.toThrow('browser busy');
    host.register = original;
    await registration.sync();
    expect(host.matches).toEqual(['https://*/*']);
  });
});
