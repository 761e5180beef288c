import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { HoldFailedError } from '@/lib/background/hold-error';
import { LineMoveFailedError, wordLineError } from '@/lib/background/line-error';
import { setLocale } from '@/lib/i18n/i18n';
import { RemoteError } from '@/lib/messaging/protocol';
import { HoldNotPossibleError, HoldRefusedError } from '@/lib/phone/call-hold';
import { ConferenceMixError } from '@/lib/phone/conference-mixer';
import { IllegalLineMoveError, type LineRefusal } from '@/lib/phone/line-coordinator';
import { NotFoundError } from '@/lib/util/exception';

beforeEach(() => {
  fakeBrowser.reset();
  setLocale('en');
});

afterEach(() => {
  setLocale(undefined);
});

/** What crosses from the offscreen document: only the name and the message. */
const remote = (error: Error): RemoteError => new RemoteError(error.name, error.message);

describe('wordLineError', () => {
  it.each<{ reason: LineRefusal; words: RegExp }>([
    { reason: 'other-connecting', words: /still being connected/ },
    { reason: 'nothing-to-swap', words: /one call in progress and one on hold/ },
    { reason: 'hold-changing', words: /going on or off hold/ },
    { reason: 'in-conference', words: /split it or hang up one/ },
    { reason: 'too-many', words: /Two calls are up already/ },
    { reason: 'wrong-call', words: /cannot do this any more/ },
  ])('words a refused move ($reason), from the engine in either browser', ({ reason, words }) => {
    const error = new IllegalLineMoveError('swap', reason);
    for (const arriving of [error, remote(error)]) {
      const worded = wordLineError(arriving);
      expect(worded).toBeInstanceOf(LineMoveFailedError);
      expect((worded as Error).message).toMatch(words);
    }
  });

  it('speaks Russian to a Russian user', () => {
    setLocale('ru');
    expect((wordLineError(remote(new IllegalLineMoveError('dial', 'too-many'))) as Error).message).toBe(
      'Уже идут два звонка: завершите один из них, прежде чем звонить ещё.',
    );
  });

  it('words the hold and the resume of a swap apart, with the far end’s code', () => {
    const hold = wordLineError(remote(new HoldRefusedError(true, 488))) as Error;
    const resume = wordLineError(remote(new HoldRefusedError(false, 403))) as Error;
    expect(hold).toBeInstanceOf(HoldFailedError);
    expect(hold.message).toBe('The call could not be put on hold: the other side refused (488).');
    expect(resume.message).toBe('The call could not be taken off hold: the other side refused (403). It stays on hold.');
    expect((wordLineError(new HoldRefusedError(true)) as Error).message).toMatch(/refused \(no answer\)/);
  });

  it('words a hold change still on its way, and a mix that failed', () => {
    expect((wordLineError(remote(new HoldNotPossibleError('busy'))) as Error).message).toMatch(/still changing its hold/);
    expect((wordLineError(remote(new ConferenceMixError('InvalidStateError'))) as Error).message).toBe(
      'The calls could not be joined (InvalidStateError); the second call is back on hold.',
    );
  });

  it('passes anything else through unchanged', () => {
    const error = remote(new NotFoundError('no such call: c9'));
    expect(wordLineError(error)).toBe(error);
  });
});
