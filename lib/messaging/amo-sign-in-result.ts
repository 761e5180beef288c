import { z } from 'zod';
import { CrmConnectionTestResultSchema } from '@/lib/messaging/crm-connection-test-result';

/**
 * Why "Sign in with amoCRM" did not connect the account. In the order the flow meets them:
 * - `unavailable`: the browser has no `identity.launchWebAuthFlow`;
 * - `permission`: host access to the account was refused;
 * - `cancelled`: the sign-in window was closed (or could not load) before amoCRM redirected;
 * - `access-denied`: the user refused access on amoCRM's page (`error=access_denied`);
 * - `refused`: amoCRM redirected with another error;
 * - `state-mismatch`: the redirect carries a `state` we did not send;
 * - `no-code`: the redirect carries no code;
 * - `wrong-host`: `referer` is not an amoCRM/Kommo account host;
 * - `wrong-account`: the user picked another account than the one entered;
 * - `client-rejected`: the token endpoint refused the client id or secret (401);
 * - `code-rejected`: it refused the code: expired, used, or another redirect URI (400);
 * - `rate-limited`, `server`, `network`: the token endpoint was busy, failing, or unreachable.
 */
export const AmoSignInFailureSchema = z.enum([
  'unavailable',
  'permission',
  'cancelled',
  'access-denied',
  'refused',
  'state-mismatch',
  'no-code',
  'wrong-host',
  'wrong-account',
  'client-rejected',
  'code-rejected',
  'rate-limited',
  'server',
  'network',
]);
export type AmoSignInFailure = z.infer<typeof AmoSignInFailureSchema>;

/**
 * What the background answers once it has the code: signed in (the tokens are stored, and the
 * connection test's answer comes along), or why not (nothing stored).
 */
export const AmoSignInResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), test: CrmConnectionTestResultSchema }),
  z.object({ ok: z.literal(false), failure: AmoSignInFailureSchema, detail: z.string().optional() }),
]);
export type AmoSignInResult = z.infer<typeof AmoSignInResultSchema>;
