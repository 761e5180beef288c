import type { RegistrationFailure } from '@/lib/phone/phone-snapshot';

/**
 * Classifies a REGISTER final response. Authentication failures are final (retrying would only be
 * refused again and could lock the account on servers with fail2ban-style protection); everything
 * else is worth retrying with backoff.
 */
export function classifyRegisterResponse(statusCode: number): {
  failure: RegistrationFailure;
  retry: boolean;
} {
  if (statusCode === 401 || statusCode === 403 || statusCode === 407) {
    return { failure: 'auth-rejected', retry: false };
  }
  if (statusCode === 408) return { failure: 'timeout', retry: true };
  return { failure: 'server-error', retry: true };
}
