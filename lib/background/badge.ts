import { browser } from '#imports';
import { tBackground } from '@/lib/i18n/background-messages';
import { tPhone } from '@/lib/i18n/phone-messages';
import { CallState } from '@/lib/phone/call-state';
import type { PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';

export interface BadgeLook {
  text: string;
  color: string;
  title: string;
}

/** What the toolbar badge shows for a snapshot: calls first, then the first account's registration. */
export function badgeFor(snapshot: PhoneSnapshot): BadgeLook {
  if (snapshot.calls.some((c) => c.state === CallState.Incoming)) {
    // A second call ringing during a call still rings the badge; the tooltip says it is waiting.
    const waiting = snapshot.calls.some((c) => c.state !== CallState.Incoming && c.state !== CallState.Ending);
    return {
      text: 'RING',
      color: '#1565c0',
      title: tBackground(waiting ? 'badge.title.callWaiting' : 'badge.title.incoming'),
    };
  }
  if (snapshot.calls.length > 0) {
    return { text: 'CALL', color: '#1565c0', title: tBackground('badge.title.inCall') };
  }
  const account = snapshot.accounts[0];
  if (!account) return { text: '', color: '#757575', title: tBackground('badge.title.noAccount') };
  switch (account.state) {
    case RegistrationState.Registered:
      return { text: 'ON', color: '#2e7d32', title: tBackground('badge.title.registered', { aor: account.aor }) };
    case RegistrationState.Failed:
    case RegistrationState.Waiting:
      return {
        text: '!',
        color: '#c62828',
        title: tBackground('badge.title.failed', {
          reason: account.failure ? tPhone(`failure.${account.failure}`) : '',
        }),
      };
    default:
      return { text: '…', color: '#f9a825', title: tBackground('badge.title.connecting') };
  }
}

/** Applies {@link badgeFor} to the toolbar button (`action` on MV3, `browserAction` on MV2). */
export async function showBadge(snapshot: PhoneSnapshot): Promise<void> {
  const action = browser.action ?? browser.browserAction;
  const look = badgeFor(snapshot);
  await Promise.all([
    action.setBadgeText({ text: look.text }),
    action.setBadgeBackgroundColor({ color: look.color }),
    action.setTitle({ title: look.title }),
  ]);
}
