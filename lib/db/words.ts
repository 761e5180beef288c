/** Longest word kept in a `words` index; longer ones are cut (a prefix search still finds them). */
const MAX_WORD_LENGTH = 32;
/** Most distinct words indexed for one row, so a pasted essay cannot bloat the index. */
const MAX_WORDS = 100;

/**
 * The search words of some texts: lower-cased, split on anything that is not a letter or digit,
 * with diacritics folded (`ё`→`е`, `й`→`и`, `é`→`e`) so that people who type without them still
 * find the row. Stored in the multiEntry `words` indexes of calls and notes; a query is cut into
 * words the same way and each query word must be a **prefix** of some row word.
 */
export function toWords(...texts: readonly (string | undefined)[]): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
    for (const word of folded.split(/[^\p{L}\p{N}]+/u)) {
      if (word.length === 0) continue;
      words.add(word.slice(0, MAX_WORD_LENGTH));
      if (words.size >= MAX_WORDS) return [...words];
    }
  }
  return [...words];
}

/** Whether every query word is a prefix of one of the row's words. */
export function matchesAllWords(rowWords: readonly string[], queryWords: readonly string[]): boolean {
  return queryWords.every((query) => rowWords.some((word) => word.startsWith(query)));
}
