import { messageFeedItem } from '@/lib/history/message-feed-item';
import type { MessageFeed } from '@/lib/panel/history-model';

/** The background's announcements of new messages ({@link messageFeedItem}), for the history model. */
export function createMessageFeed(): MessageFeed {
  return {
    watch: (callback) =>
      messageFeedItem.watch((latest) => {
        // Written by this version of the background; still checked, as any stored value should be.
        if (latest && typeof latest.numberKey === 'string') callback(latest.numberKey);
      }),
  };
}
