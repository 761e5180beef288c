import { describe, expect, it } from 'vitest';
import { readExtension } from '@/lib/detect/extension-suffix';

describe('readExtension', () => {
  // Each text is a number's tail: the extension is read from index 2, just past "67".
  it.each([
    { tail: '67 доб. 123', ext: '123', rest: '' },
    { tail: '67 доб 4567 — секретарь', ext: '4567', rest: ' — секретарь' },
    { tail: '67, доб. 12', ext: '12', rest: '' },
    { tail: '67 (доб. 215) офис', ext: '215', rest: ' офис' },
    { tail: '67, добавочный 7', ext: '7', rest: '' },
    { tail: '67 вн. 34', ext: '34', rest: '' },
    { tail: '67 внутр. 101', ext: '101', rest: '' },
    { tail: '67 доп. 8', ext: '8', rest: '' },
    { tail: '67 ext. 215', ext: '215', rest: '' },
    { tail: '67 EXT 12', ext: '12', rest: '' },
    { tail: '67 extension 42', ext: '42', rest: '' },
    { tail: '67x345', ext: '345', rest: '' },
    { tail: '67 x 345', ext: '345', rest: '' },
    { tail: '67 х123', ext: '123', rest: '' },
    { tail: '67 #501', ext: '501', rest: '' },
    { tail: '67#501', ext: '501', rest: '' },
    { tail: '67, доб.: 3', ext: '3', rest: '' },
    { tail: '67 доб. № 44', ext: '44', rest: '' },
  ])('reads "$tail" as extension $ext', ({ tail, ext, rest }) => {
    const found = readExtension(tail, 2);
    expect(found?.ext).toBe(ext);
    expect(tail.slice(found!.end)).toBe(rest);
  });

  it.each([
    { tail: '67 доб. 1234567', why: 'seven digits are a number, not an extension' },
    { tail: '67 добавить', why: 'a word that starts like доб' },
    { tail: '67 x', why: 'no digits' },
    { tail: '67 xbox 360', why: 'x inside a word' },
    { tail: '67 доб. 12abc', why: 'digits glued to letters' },
    { tail: '67 и 8 800', why: 'another number' },
    { tail: '67   доб. 1', why: 'too far from the number' },
  ])('reads no extension from "$tail" ($why)', ({ tail }) => {
    expect(readExtension(tail, 2)).toBeUndefined();
  });
});
