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

/** The caller's name and company from the contacts, when known (the screen pop's lookup). */
export type CallerNameLookup = (call: CallSnapshot) => Promise<{ name: string; company?: string } | undefined>;

function notificationOptions(
  call: CallSnapshot,
  known: { name: string; company?: string } | undefined,
): Browser.notifications.NotificationCreateOptions {
  const name = known ? [known.name, known.company].filter(Boolean).join(', ') : call.remoteName;
  const caller = name ? `${name} (${call.remoteNumber})` : call.remoteNumber;
  const base = {
    type: 'basic' as const,
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: tBackground('notification.incomingTitle'),
    message: tBackground('notification.incomingFrom', { caller }),
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
