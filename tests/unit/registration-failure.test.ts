import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RegistrationFailureSchema } from '@/lib/phone/phone-snapshot';
import { classifyRegisterResponse } from '@/lib/phone/registration-failure';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('classifyRegisterResponse', () => {
  it.each([
    // Authentication failures are final: retrying would only be refused again (and may lock the account).
    { code: 401, reason: 'Unauthorized (after the digest answer)', failure: 'auth-rejected', retry: false },
    { code: 403, reason: 'Forbidden', failure: 'auth-rejected', retry: false },
    { code: 407, reason: 'Proxy Authentication Required (after the digest answer)', failure: 'auth-rejected', retry: false },
    { code: 408, reason: 'Request Timeout', failure: 'timeout', retry: true },
    { code: 0, reason: 'no status code at all', failure: 'server-error', retry: true },
    { code: 302, reason: 'Moved Temporarily', failure: 'server-error', retry: true },
    { code: 400, reason: 'Bad Request', failure: 'server-error', retry: true },
    { code: 404, reason: 'Not Found', failure: 'server-error', retry: true },
    { code: 423, reason: 'Interval Too Brief', failure: 'server-error', retry: true },
    { code: 480, reason: 'Temporarily Unavailable', failure: 'server-error', retry: true },
    { code: 500, reason: 'Server Internal Error', failure: 'server-error', retry: true },
    { code: 503, reason: 'Service Unavailable', failure: 'server-error', retry: true },
    { code: 504, reason: 'Server Time-out', failure: 'server-error', retry: true },
    { code: 603, reason: 'Decline', failure: 'server-error', retry: true },
  ])('classifies $code $reason as $failure, retry: $retry', ({ code, failure, retry }) => {
    expect(classifyRegisterResponse(code)).toEqual({ failure, retry });
  });

  const everyCode = Array.from({ length: 700 }, (_, code) => code);

  it('answers every status code with a failure the UI knows how to explain', () => {
    for (const code of everyCode) {
      expect(RegistrationFailureSchema.safeParse(classifyRegisterResponse(code).failure).success, `${code}`).toBe(true);
    }
  });

  it('gives up on its own only for authentication failures', () => {
    const final = everyCode.filter((code) => !classifyRegisterResponse(code).retry);
    expect(final).toEqual([401, 403, 407]);
    for (const code of everyCode) {
      const { failure, retry } = classifyRegisterResponse(code);
      expect(retry, `${code}`).toBe(failure !== 'auth-rejected');
    }
  });

  it('never blames the transport, the network or the microphone for a SIP response', () => {
    const failures = new Set(everyCode.map((code) => classifyRegisterResponse(code).failure));
    expect([...failures].sort()).toEqual(['auth-rejected', 'server-error', 'timeout']);
  });
});
