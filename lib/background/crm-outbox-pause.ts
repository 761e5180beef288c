import { storage } from '#imports';

/**
 * Why the CRM outbox stopped sending: the CRM refused our sign-in (`auth`, 401) or our rights
 * (`forbidden`, 403). Retrying would fail the same way, so the outbox waits until the connection in
 * the settings changes (`connection` is the connection it failed with) or the agent asks to retry.
 */
export interface CrmOutboxPause {
  kind: 'auth' | 'forbidden';
  /** The CRM's own words, for the log and the tooltip. */
  message: string;
  /** {@link crmConnectionKey} of the connection that was refused. */
  connection: string;
  at: number;
}

/** The outbox's pause, in `local:` storage: a stopped worker or a browser restart keeps it paused. */
export const crmOutboxPauseItem = storage.defineItem<CrmOutboxPause | null>('local:crmOutboxPause', {
  fallback: null,
});
