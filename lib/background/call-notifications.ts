import { browser, type Browser } from '#imports';
import { tBackground } from '@/lib/i18n/background-messages';
import { CallState } from '@/lib/phone/call-state';
import type { CallSnapshot, PhoneSnapshot } from '@/lib/phone/phone-snapshot';

const PREFIX = 'incoming:';

/** Notification id of a ringing call. */
export function notificationIdFor(callId: string): string {
  return `${PREFIX}${callId}`;
}

/** The call id of one of our notification ids, or `undefined`. */
export function callIdOfNotification(notificationId: string): string | undefined {
  return notificationId.startsWith(PREFIX) ? notificationId.slice(PREFIX.length) : undefined;
}

/**
 * Keeps desktop notifications in step with ringing calls: one per call that rings while the panel is
 * closed, removed as soon as the call stops ringing (answered anywhere, declined, cancelled).
 * Works from the snapshot alone, so a restarted worker converges to the same notifications.
 */
export async function syncCallNotifications(
  snapshot: PhoneSnapshot,
  panelOpen: boolean,
  callerOf?: CallerNameLookup,
): Promise<void> {
  const ringing = new Map(
    snapshot.calls.filter((c) => c.state === CallState.Incoming).map((c) => [notificationIdFor(c.id), c]),
  );
  const shown = Object.keys(await browser.notifications.getAll()).filter((id) => id.startsWith(PREFIX));
  await Promise.all(shown.filter((id) => !ringing.has(id)).map((id) => browser.notifications.clear(id)));
  if (panelOpen) return;
  for (const [id, call] of ringing) {
    if (shown.includes(id)) continue;
    // The contact cache answers in milliseconds; a failed lookup still rings with the bare number.
    const known = await callerOf?.(call).catch(() => undefined);
    await browser.notifications.create(id, notificationOptions(call, known));
  }
}

/** What the notification of a ringing call says about the caller: the card's name, company and open deals. */
export interface CallerFacts {
  name: string;
  company?: string;
  openDeals?: ReadonlyArray<{ name: string; pipeline?: string; stage?: string }>;
}

/** The caller's card from the contacts, when known (the screen pop's lookup). */
export type CallerNameLookup = (call: CallSnapshot) => Promise<CallerFacts | undefined>;

/**
 * Rewrites the notification of ringing call `call` with its caller's card, when it is still shown:
 * the CRM's answer after a cold cache arrives once the notification is already up.
 */
export async function updateCallNotification(call: CallSnapshot, known: CallerFacts | undefined): Promise<void> {
  const id = notificationIdFor(call.id);
  if (!known || !(id in (await browser.notifications.getAll()))) return;
  // Firefox has no notifications.update; creating with the same id replaces the notification there.
  if (typeof browser.notifications.update !== 'function') {
    await browser.notifications.create(id, notificationOptions(call, known));
    return;
  }
  await browser.notifications.update(id, { message: notificationMessage(call, known) });
}

/** "From Name, Company (number)", then the open deals as the panel's card words them ("Deal — Pipeline · Stage"). */
function notificationMessage(call: CallSnapshot, known: CallerFacts | undefined): string {
  const name = known ? [known.name, known.company].filter(Boolean).join(', ') : call.remoteName;
  const caller = name ? `${name} (${call.remoteNumber})` : call.remoteNumber;
  const deals = (known?.openDeals ?? []).map((deal) => {
    const stage = [deal.pipeline, deal.stage].filter(Boolean).join(' · ');
    return stage ? `${deal.name} — ${stage}` : deal.name;
  });
  return [tBackground('notification.incomingFrom', { caller }), ...deals].join('\n');
}

function notificationOptions(call: CallSnapshot, known: CallerFacts | undefined): Browser.notifications.NotificationCreateOptions {
  const base = {
    type: 'basic' as const,
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: tBackground('notification.incomingTitle'),
    message: notificationMessage(call, known),
  };
  // Firefox supports neither buttons nor requireInteraction; a click there opens the sidebar.
  if (import.meta.env.FIREFOX) return base;
  return {
    ...base,
    requireInteraction: true,
    priority: 2,
    buttons: [{ title: tBackground('notification.answer') }, { title: tBackground('notification.decline') }],
  };
}
