import { browser, type Browser } from '#imports';
import type { Envelope, Reply } from '@/lib/messaging/protocol';

/** Sends an envelope to the other extension contexts with `runtime.sendMessage`. */
export function sendRuntimeMessage(envelope: Envelope): Promise<unknown> {
  return browser.runtime.sendMessage(envelope);
}

/** The sender as `runtime.onMessage` reports it. */
export type RuntimeSender = Browser.runtime.MessageSender;

/**
 * Adds a `runtime.onMessage` listener built with `createHandler`; returning `undefined` leaves the
 * message to other listeners. Returns a function that removes it.
 */
export function listenRuntimeMessages(
  handler: (message: unknown, sender: RuntimeSender) => Promise<Reply> | undefined,
): () => void {
  const listener = (message: unknown, sender: RuntimeSender): Promise<Reply> | undefined =>
    handler(message, sender);
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

/** Whether `sender` is a page of this extension (not a content script, not another extension). */
export function isOwnExtensionPage(sender: RuntimeSender, path?: string): boolean {
  if (sender.id !== browser.runtime.id || !sender.url) return false;
  const origin = browser.runtime.getURL('/');
  if (!sender.url.startsWith(origin)) return false;
  return path === undefined || new URL(sender.url).pathname === path;
}
