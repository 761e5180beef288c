import { storage } from '#imports';

/** The latest message journaled, as {@link messageFeedItem} holds it. */
export interface LatestMessage {
  /** The history id of the message (`MessageRecord.id`). */
  id: string;
  /** Whose timeline it belongs to. */
  numberKey: string;
}

/**
 * The latest message the background journaled (received or sent), in session storage: an open
 * panel watches it and refreshes the timeline it shows when a message for that number comes in.
 * The message itself stays in the database; this only says "something new for this number".
 */
export const messageFeedItem = storage.defineItem<LatestMessage | null>('session:latestMessage', {
  fallback: null,
});
