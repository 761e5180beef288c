import { browser } from '#imports';
import type { MessageRecord } from '@/lib/db/message-record';
import { tBackground } from '@/lib/i18n/background-messages';

const PREFIX = 'message:';

/** Longest preview of a message's text in a notification, in characters (an ellipsis follows). */
export const PREVIEW_CHARS = 120;

/** Notification id of a received message. */
export function messageNotificationId(messageId: string): string {
  return `${PREFIX}${messageId}`;
}

/** Whether a notification id is one of a received message. */
export function isMessageNotification(notificationId: string): boolean {
  return notificationId.startsWith(PREFIX);
}

/**
 * The text of a message as a notification shows it: whitespace (newlines too) folded into single
 * spaces and cut to {@link PREVIEW_CHARS} characters, whole code points only, with an ellipsis.
 */
export function messagePreview(body: string, limit: number = PREVIEW_CHARS): string {
  const folded = body.replace(/\s+/gu, ' ').trim();
  const chars = [...folded];
  if (chars.length <= limit) return folded;
  return `${chars.slice(0, limit).join('').trimEnd()}…`;
}

/**
 * Shows a desktop notification for a received message, with the sender and a preview of the text.
 * Notifications render their text as plain text, so an untrusted body cannot inject markup. The
 * caller decides whether one is wanted (not while the panel is open).
 */
export async function notifyMessage(message: MessageRecord): Promise<void> {
  const number = message.remoteE164 ?? message.remoteRaw;
  const sender = message.remoteName ? `${message.remoteName} (${number})` : number;
  await browser.notifications.create(messageNotificationId(message.id), {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: tBackground('notification.messageTitle', { sender }),
    message: messagePreview(message.body),
  });
}
