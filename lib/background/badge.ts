import { browser } from '#imports';
import { missedCallsItem } from '@/lib/history/missed-calls-item';
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

/** What besides the snapshot the badge shows. */
export interface BadgeExtras {
  /** Missed calls to handle. */
  missed?: number;
  /** The count is a floor (older missed calls were not counted). */
  missedMore?: boolean;
}

const BLUE = '#1565c0';
const RED = '#c62828';
const ORANGE = '#e65100';
const PURPLE = '#6a1b9a';

/** The badge holds four characters; more missed calls than this show as `99+`. */
const MAX_SHOWN_COUNT = 99;

/**
 * What the toolbar badge shows, most urgent first:
 * 1. `RING` while a call rings here, `CALL` while one is up;
 * 2. `!` when the first account's registration is in trouble (calls cannot come in);
 * 3. the number of missed calls to handle (purple while Do not disturb is on, orange otherwise);
 * 4. `DND` while Do not disturb is on;
 * 5. the first account's registration: `ON`, or `…` while connecting.
 */
export function badgeFor(snapshot: PhoneSnapshot, extras: BadgeExtras = {}): BadgeLook {
  if (snapshot.calls.some((c) => c.state === CallState.Incoming)) {
    // A second call ringing during a call still rings the badge; the tooltip says it is waiting.
    const waiting = snapshot.calls.some((c) => c.state !== CallState.Incoming && c.state !== CallState.Ending);
    return {
      text: 'RING',
      color: BLUE,
      title: tBackground(waiting ? 'badge.title.callWaiting' : 'badge.title.incoming'),
    };
  }
  if (snapshot.calls.length > 0) {
    return { text: 'CALL', color: BLUE, title: tBackground('badge.title.inCall') };
  }
  const account = snapshot.accounts[0];
  if (account?.state === RegistrationState.Failed || account?.state === RegistrationState.Waiting) {
    return {
      text: '!',
      color: RED,
      title: tBackground('badge.title.failed', {
        reason: account.failure ? tPhone(`failure.${account.failure}`) : '',
      }),
    };
  }
  const dnd = snapshot.doNotDisturb === true;
  const missed = extras.missed ?? 0;
  if (missed > 0) {
    const text = missed > MAX_SHOWN_COUNT || extras.missedMore ? `${MAX_SHOWN_COUNT}+` : String(missed);
    const title = tBackground('badge.title.missed', { count: extras.missedMore ? `${missed}+` : missed });
    return {
      text,
      color: dnd ? PURPLE : ORANGE,
      title: dnd ? `${title} · ${tBackground('badge.title.alsoDoNotDisturb')}` : title,
    };
  }
  if (dnd) return { text: 'DND', color: PURPLE, title: tBackground('badge.title.doNotDisturb') };
  if (!account) return { text: '', color: '#757575', title: tBackground('badge.title.noAccount') };
  if (account.state === RegistrationState.Registered) {
    return { text: 'ON', color: '#2e7d32', title: tBackground('badge.title.registered', { aor: account.aor }) };
  }
  return { text: '…', color: '#f9a825', title: tBackground('badge.title.connecting') };
}

/**
 * Applies {@link badgeFor} to the toolbar button (`action` on MV3, `browserAction` on MV2). Without
 * `extras`, the missed calls are read from what the background last counted (`missedCallsItem`).
 */
export async function showBadge(snapshot: PhoneSnapshot, extras?: BadgeExtras): Promise<void> {
  const action = browser.action ?? browser.browserAction;
  const look = badgeFor(snapshot, extras ?? (await storedExtras()));
  await Promise.all([
    action.setBadgeText({ text: look.text }),
    action.setBadgeBackgroundColor({ color: look.color }),
    action.setTitle({ title: look.title }),
  ]);
}

async function storedExtras(): Promise<BadgeExtras> {
  const summary = await missedCallsItem.getValue();
  return { missed: summary.count, missedMore: summary.more };
}
