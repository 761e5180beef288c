import { tBackground } from '@/lib/i18n/background-messages';
import { RemoteError } from '@/lib/messaging/protocol';
import { HoldNotPossibleError, HoldRefusedError } from '@/lib/phone/call-hold';
import { Exception } from '@/lib/util/exception';

/** A hold or resume that did not happen, worded for the agent. */
export class HoldFailedError extends Exception {}

/**
 * The engine's hold errors as sentences for the panel. They arrive as `RemoteError`s from the
 * offscreen document (only the name and message cross) or as themselves from Firefox's in-process
 * engine; anything else passes through unchanged.
 */
export function wordHoldError(error: unknown, hold: boolean): unknown {
  const name = error instanceof RemoteError ? error.remoteName : error instanceof Error ? error.name : '';
  if (name === HoldNotPossibleError.name) return new HoldFailedError(tBackground('error.holdBusy'));
  if (name !== HoldRefusedError.name) return error;
  const code =
    error instanceof HoldRefusedError ? error.code : Number(/with (\d{3})/.exec((error as Error).message)?.[1]) || undefined;
  const key = hold ? 'error.holdRefused' : 'error.resumeRefused';
  return new HoldFailedError(tBackground(key, { code: code === undefined ? tBackground('error.noResponse') : String(code) }));
}
