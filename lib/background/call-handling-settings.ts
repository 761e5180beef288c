import { normalizeDialTarget, toSipUri } from '@/lib/numbers/normalize-dial-target';
import type { CallHandling } from '@/lib/phone/call-handling';
import { splitSipAddress, type Settings } from '@/lib/settings/settings-schema';

/**
 * The engine's {@link CallHandling} from the settings and the Do not disturb toggle. The redirect
 * target is read like a number the agent dials (default country, dial format) and put in each
 * account's domain, so the 302's Contact is the URI the PBX itself would route (a voicemail
 * number `*97` becomes `sip:*97@pbx`); a target that cannot be read leaves the accounts without
 * one, and the engine answers 486 instead of a 302 to nowhere.
 */
export function callHandlingFor(settings: Settings, doNotDisturb: boolean): CallHandling {
  const redirect: Record<string, string> = {};
  const target = settings.dndRedirectTarget.trim();
  const parsed = target === '' ? undefined : normalizeDialTarget(target, settings);
  if (parsed?.ok) {
    for (const account of settings.accounts) {
      redirect[account.id] = toSipUri(parsed.target, splitSipAddress(account.sipUri).host);
    }
  }
  return {
    doNotDisturb,
    dndResponse: settings.dndResponse,
    dndRedirect: redirect,
    autoAnswer: settings.autoAnswer,
    autoAnswerDelaySeconds: settings.autoAnswerDelaySeconds,
    intercom: settings.intercomAutoAnswer,
  };
}
