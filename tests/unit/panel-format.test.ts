import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DIALPAD_KEYS, isDialpadChar } from '@/lib/panel/dialpad-keys';
import { formatDuration } from '@/lib/panel/format-duration';
import { pickSnapshot } from '@/lib/panel/pick-snapshot';
import { EMPTY_SNAPSHOT, type PhoneSnapshot } from '@/lib/phone/phone-snapshot';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('formatDuration', () => {
  it.each([
    [0, '00:00'],
    [999, '00:00'],
    [1_000, '00:01'],
    [65_000, '01:05'],
    [3_599_999, '59:59'],
    [3_600_000, '01:00:00'],
    [36_000_000 + 61_000, '10:01:01'],
    [-5_000, '00:00'],
  ])('%i ms reads %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('pickSnapshot', () => {
  const of = (engineId: string, seq: number): PhoneSnapshot => ({ ...EMPTY_SNAPSHOT, engineId, seq });

  it.each([
    ['a higher seq of the same engine', of('e1', 2), of('e1', 3), 3],
    ['a lower seq of the same engine', of('e1', 3), of('e1', 2), 3],
    ['the same seq again', of('e1', 3), of('e1', 3), 3],
    ['a new engine with a lower seq', of('e1', 30), of('e2', 1), 1],
    ['anything over the empty snapshot', EMPTY_SNAPSHOT, of('e1', 0), 0],
    ['the empty snapshot over a real one', of('e1', 4), EMPTY_SNAPSHOT, 4],
  ])('keeps the right one for %s', (_case, current, candidate, expectedSeq) => {
    expect(pickSnapshot(current, candidate).seq).toBe(expectedSeq);
  });

  it('returns the current object itself when nothing changes, so callers can tell', () => {
    const current = of('e1', 3);
    expect(pickSnapshot(current, of('e1', 1))).toBe(current);
  });

  it('refuses a change of engine when told to', () => {
    expect(pickSnapshot(of('e2', 1), of('e1', 9), { allowEngineChange: false }).engineId).toBe('e2');
    expect(pickSnapshot(EMPTY_SNAPSHOT, of('e1', 9), { allowEngineChange: false }).engineId).toBe('e1');
  });
});

describe('DIALPAD_KEYS', () => {
  it('is the twelve-key telephone pad in order', () => {
    expect(DIALPAD_KEYS.map((key) => key.char).join('')).toBe('123456789*0#');
    expect(DIALPAD_KEYS.find((key) => key.char === '7')?.letters).toBe('PQRS');
  });

  it.each([
    ['5', true],
    ['#', true],
    ['+', true],
    ['a', false],
    ['Enter', false],
  ])('%s is typed into the number: %s', (char, expected) => {
    expect(isDialpadChar(char)).toBe(expected);
  });
});
