import { startFakeAmoCrm, type FakeAmoCrm, type FakeAmoOptions } from '../../fakes/amocrm-server.ts';
import { selfSignedCertificate } from './self-signed-certificate.ts';

/** The account host the extension is connected to in the scenarios (a real amoCRM domain). */
export const TEST_AMO_HOST = 'test.amocrm.ru';

/** The long-lived token the fake accepts and the extension is configured with. */
export const TEST_AMO_TOKEN = 'long-lived-token';

/** The fake amoCRM account behind `https://test.amocrm.ru`, and how to point a browser at it. */
export interface AmoCrmOverTls {
  readonly fake: FakeAmoCrm;
  readonly host: string;
  /**
   * Test-only Chromium flags: resolve the account host to the fake's loopback port, and accept its
   * throwaway certificate. The extension itself keeps calling `https://test.amocrm.ru` as it would
   * call a real account, so no test address ever reaches the product's code.
   */
  readonly chromiumArgs: string[];
  /**
   * Test-only Firefox prefs for the same: `network.dns.localDomains` makes Firefox resolve the
   * account host to loopback itself (no resolver, no /etc/hosts). Firefox has no way to map a host
   * to another port, so they only reach the fake when it listens on 443 (`startAmoCrmOverTls({ port: 443 })`,
   * fine inside isolated.sh's own network namespace); its certificate is accepted through the
   * WebDriver session's `acceptInsecureCerts` (see `launchFirefox`).
   */
  readonly firefoxPrefs: Record<string, unknown>;
  /** The extension's `crm` settings for this account (long-lived token). */
  readonly crmSettings: object;
  close(): Promise<void>;
}

/**
 * Starts the fake amoCRM ({@link startFakeAmoCrm}) over HTTPS on loopback for an end-to-end rig:
 * Chromium started with {@link AmoCrmOverTls.chromiumArgs} sends the extension's requests for
 * `https://test.amocrm.ru` to it.
 */
export async function startAmoCrmOverTls(options: Omit<FakeAmoOptions, 'tls'> = {}): Promise<AmoCrmOverTls> {
  const host = TEST_AMO_HOST;
  const fake = await startFakeAmoCrm({ tokens: [TEST_AMO_TOKEN], ...options, tls: await selfSignedCertificate([host]) });
  return {
    fake,
    host,
    chromiumArgs: [`--host-resolver-rules=MAP ${host}:443 127.0.0.1:${fake.port}`, '--ignore-certificate-errors'],
    firefoxPrefs: { 'network.dns.localDomains': host },
    crmSettings: { kind: 'amocrm', amocrm: { host, auth: { type: 'token', token: TEST_AMO_TOKEN } } },
    close: () => fake.close(),
  };
}
