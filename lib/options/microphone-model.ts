import { signal, type ReadonlySignal } from '@preact/signals';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('options');

/**
 * Microphone access as the options page sees it.
 *
 * ```text
 *  unknown ──► prompt ──► granted
 *                 │  ▲       │
 *                 ▼  └───────┘   (the user changes it in the site settings)
 *               denied
 *  dismissed: the prompt was closed without an answer (the permission is still `prompt`)
 *  no-device: getUserMedia found no microphone · unsupported: no mediaDevices on this page
 * ```
 */
export type MicrophoneState =
  | 'unknown'
  | 'prompt'
  | 'granted'
  | 'denied'
  | 'dismissed'
  | 'no-device'
  | 'unsupported';

/** The browser APIs the model uses (injected so tests can fake them). */
export interface MicrophoneModelDeps {
  mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined;
  permissions: Pick<Permissions, 'query'> | undefined;
  /** Tells the phone engine to check the microphone again (`OptionsToBackground.microphoneChanged`). */
  notifyChanged: () => Promise<unknown>;
}

export interface MicrophoneModel {
  readonly state: ReadonlySignal<MicrophoneState>;
  /** The browser prompt is open. */
  readonly requesting: ReadonlySignal<boolean>;
  /** Reads the permission and follows its changes. */
  start(): Promise<void>;
  /** Asks for the microphone (shows the browser prompt) and releases it at once. */
  request(): Promise<void>;
  dispose(): void;
}

/**
 * The phone engine runs in an offscreen document (Chrome) that cannot show a permission prompt, so the
 * grant has to happen on a visible extension page; this is that page's part.
 */
export function createMicrophoneModel(deps: MicrophoneModelDeps): MicrophoneModel {
  const state = signal<MicrophoneState>(deps.mediaDevices ? 'unknown' : 'unsupported');
  const requesting = signal(false);
  let status: PermissionStatus | undefined;

  /** Moves to `next`; the engine hears about every change into or out of `granted`. */
  function setState(next: MicrophoneState): void {
    const previous = state.value;
    if (next === previous) return;
    state.value = next;
    if (next === 'granted' || previous === 'granted') {
      deps.notifyChanged().catch((error: unknown) => log.warn('microphoneChanged not delivered', error));
    }
  }

  const onPermissionChange = (): void => {
    if (status) setState(status.state);
  };

  return {
    state,
    requesting,

    async start() {
      if (!deps.mediaDevices || !deps.permissions) return;
      try {
        // 'microphone' is not a PermissionName in every browser's list (Firefox < 131 rejects it).
        status = await deps.permissions.query({ name: 'microphone' as PermissionName });
      } catch (error) {
        log.debug('microphone permission cannot be queried', error);
        return;
      }
      status.addEventListener('change', onPermissionChange);
      // Only the page's own view so far: no need to tell the engine what it can read itself.
      state.value = status.state;
    },

    async request() {
      if (!deps.mediaDevices || requesting.value) return;
      requesting.value = true;
      try {
        const stream = await deps.mediaDevices.getUserMedia({ audio: true });
        for (const track of stream.getTracks()) track.stop();
        setState('granted');
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        log.info('microphone request failed', name);
        if (name === 'NotFoundError' || name === 'OverconstrainedError') setState('no-device');
        // Closing the prompt also rejects with NotAllowedError, but the permission stays 'prompt'.
        else if (name === 'NotAllowedError' && status?.state === 'prompt') setState('dismissed');
        else setState('denied');
      } finally {
        requesting.value = false;
      }
    },

    dispose() {
      status?.removeEventListener('change', onPermissionChange);
      status = undefined;
    },
  };
}
