/** An extension written after a number: its digits and where the written extension ends. */
export interface ExtensionSuffix {
  ext: string;
  end: number;
}

// "доб. 123", "доб 1234", "добавочный 12", "вн. 12", "внутр. 45", "доп. 7", "ext. 123", "extension 12",
// "x123", "x 123", "х123" (Cyrillic х, typed on a Russian layout), "#123", each optionally after a
// comma and inside brackets: "+7 495 123-45-67, доб. 12", "(доб. 123)". At most six digits: more is
// another number, not an extension. Sticky, so it only matches right at the number's end.
const EXTENSION =
  /[ ]?,?[ ]?(?:\([ ]?)?(?:доб(?:авочн\p{L}*)?|вн(?:утр\p{L}*)?|доп|ext(?:ension)?|x|х|#)[.:]{0,2}[ ]?(?:№[ ]?)?(\d{1,6})(?![\d\p{L}])(?:[ ]?\))?/iuy;

/**
 * Reads an extension that starts right at `end` in folded text (see {@link foldSeparators}).
 *
 * @returns the extension digits and the index just past what was read, or `undefined`.
 */
export function readExtension(folded: string, end: number): ExtensionSuffix | undefined {
  EXTENSION.lastIndex = end;
  const m = EXTENSION.exec(folded);
  if (!m) return undefined;
  return { ext: m[1]!, end: end + m[0].length };
}
