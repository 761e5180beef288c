/** One key of the telephone keypad: the character it types and the letters printed under it (ITU E.161). */
export interface DialpadKey {
  char: string;
  letters: string;
}

/** The twelve keys in keypad order, three per row. */
export const DIALPAD_KEYS: readonly DialpadKey[] = [
  { char: '1', letters: '' },
  { char: '2', letters: 'ABC' },
  { char: '3', letters: 'DEF' },
  { char: '4', letters: 'GHI' },
  { char: '5', letters: 'JKL' },
  { char: '6', letters: 'MNO' },
  { char: '7', letters: 'PQRS' },
  { char: '8', letters: 'TUV' },
  { char: '9', letters: 'WXYZ' },
  { char: '*', letters: '' },
  { char: '0', letters: '+' },
  { char: '#', letters: '' },
];

/** Whether a typed character is one the keypad has (or `+`, which the `0` key carries). */
export function isDialpadChar(char: string): boolean {
  return char === '+' || DIALPAD_KEYS.some((key) => key.char === char);
}
