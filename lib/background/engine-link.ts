import type { BackgroundToEngine } from '@/lib/messaging/background-to-engine';
import type { Client } from '@/lib/messaging/protocol';

/**
 * How the background reaches the phone engine: through the offscreen document on Chrome, by direct
 * (still validated) calls on Firefox where the engine shares the background page.
 */
export interface EngineLink {
  /** Makes sure the engine exists (creating its document if needed) and returns its client. */
  connect(): Promise<Client<(typeof BackgroundToEngine)['methods']>>;
}
