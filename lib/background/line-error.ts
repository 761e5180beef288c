import { wordHoldError } from '@/lib/background/hold-error';
import { tBackground } from '@/lib/i18n/background-messages';
import { RemoteError } from '@/lib/messaging/protocol';
import { HoldRefusedError } from '@/lib/phone/call-hold';
import { ConferenceMixError } from '@/lib/phone/conference-mixer';
import { IllegalLineMoveError, type LineRefusal } from '@/lib/phone/line-coordinator';
import { Exception } from '@/lib/util/exception';

/** A second-line move (answer and hold, swap, merge, split, a second call) that did not happen, worded. */
export class LineMoveFailedError extends Exception {}

const REFUSALS: readonly LineRefusal[] = [
  'wrong-call',
  'other-connecting',
  'nothing-to-swap',
  'hold-changing',
  'in-conference',
  'too-many',
];

/**
 * The engine's line errors as sentences for the panel. They arrive as `RemoteError`s from the
 * offscreen document (only the name and the message cross) or as themselves from Firefox's
 * in-process engine. Hold refusals are worded as hold errors (the message says whether it was
 * the hold or the resume); anything else passes through unchanged.
 */
export function wordLineError(error: unknown): unknown {
  const name = error instanceof RemoteError ? error.remoteName : error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : '';
  if (name === IllegalLineMoveError.name) {
    const reason =
      error instanceof IllegalLineMoveError
        ? error.reason
        : REFUSALS.find((candidate) => message.endsWith(`: ${candidate}`));
    return reason ? new LineMoveFailedError(tBackground(`error.line.${reason}`)) : error;
  }
  if (name === ConferenceMixError.name) {
    return new LineMoveFailedError(tBackground('error.line.mixFailed', { detail: message }));
  }
  if (name === HoldRefusedError.name) {
    const hold = error instanceof HoldRefusedError ? error.hold : !message.startsWith('resume');
    return wordHoldError(error, hold);
  }
  return wordHoldError(error, true);
}
