import { Registerer, RegistererState } from 'sip.js';
import type { ConnectionTestResult, RegistrationFailure } from '@/lib/phone/phone-snapshot';
import { classifyRegisterResponse } from '@/lib/phone/registration-failure';
import { CONNECTION_TIMEOUT_S, createUserAgent } from '@/lib/phone/sip-user-agent-factory';
import type { Account } from '@/lib/settings/settings-schema';
import { withTimeout } from '@/lib/util/with-timeout';

/** How long a test may take in all before it reports a timeout. */
const TEST_TIMEOUT_MS = (CONNECTION_TIMEOUT_S + 6) * 1000;

/**
 * "Test connection": registers once with a throw-away UserAgent, reports the outcome in user terms,
 * then unregisters. It never touches the account's real registration.
 */
export async function testConnection(account: Account, now: () => number = Date.now): Promise<ConnectionTestResult> {
  const startedAt = now();
  const ua = createUserAgent(account, {});
  const result = (failure: RegistrationFailure | undefined, detail?: string): ConnectionTestResult => ({
    ok: failure === undefined,
    ...(failure ? { failure } : {}),
    ...(detail ? { detail } : {}),
    elapsedMs: now() - startedAt,
  });
  try {
    try {
      await ua.start();
    } catch (error) {
      return result('unreachable', error instanceof Error ? error.message : String(error));
    }
    const registerer = new Registerer(ua, { expires: 60 });
    const outcome = new Promise<ConnectionTestResult>((resolve) => {
      registerer.stateChange.addListener((state) => {
        if (state === RegistererState.Registered) resolve(result(undefined));
      });
      void registerer
        .register({
          requestDelegate: {
            onReject: (response) => {
              const code = response.message.statusCode ?? 0;
              resolve(
                result(classifyRegisterResponse(code).failure, `SIP ${code} ${response.message.reasonPhrase}`),
              );
            },
          },
        })
        .catch((error: unknown) => resolve(result('connection-lost', String(error))));
    });
    let answer: ConnectionTestResult;
    try {
      answer = await withTimeout(outcome, TEST_TIMEOUT_MS, 'registration');
    } catch {
      answer = result('timeout');
    }
    if (registerer.state === RegistererState.Registered) {
      await withTimeout(registerer.unregister(), 2000).catch(() => undefined);
    }
    return answer;
  } finally {
    await withTimeout(ua.stop(), 2000).catch(() => undefined);
  }
}
