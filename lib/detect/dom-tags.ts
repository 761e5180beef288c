/**
 * Static tag lists that stand in for computed style (too slow on 10,000-row pages and absent in
 * `linkedom`): which elements start a new block of text, which hold no page text, which keep
 * their whitespace. All names are `localName`s, lower case.
 */

/**
 * Elements laid out as blocks (or table parts, list items, form controls with their own box) by
 * browsers' default style sheets: their text never runs into a neighbour's. Table cells are here, so
 * adjacent cells never join.
 *
 * @see https://html.spec.whatwg.org/multipage/rendering.html#the-css-user-agent-style-sheet-and-presentational-hints
 */
export const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'button', 'caption', 'center', 'dd', 'details',
  'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frameset',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'listing', 'main',
  'menu', 'nav', 'ol', 'optgroup', 'option', 'p', 'plaintext', 'pre', 'search', 'section', 'summary',
  'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'xmp',
]);

/** ARIA roles of grid and table parts: `<div role="gridcell">` lists are laid out like tables. */
export const BLOCK_ROLES: ReadonlySet<string> = new Set([
  'cell', 'gridcell', 'columnheader', 'rowheader', 'row', 'rowgroup', 'listitem', 'table', 'grid', 'treegrid',
]);

/**
 * Elements whose content is not page text a reader sees as such: code, styles, fallbacks, inert
 * templates, metadata, graphics. Skipped without ending the current run (a `<script>` between two
 * halves of a number does not split what the reader sees).
 */
export const INVISIBLE_TAGS: ReadonlySet<string> = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'base', 'svg', 'math', 'canvas',
  'object', 'embed', 'audio', 'video', 'picture', 'img', 'map', 'param', 'source', 'track', 'noembed', 'noframes',
]);

/** Form controls with their own box whose text is user input or choices: skipped, and they end the run. */
export const BOXED_CONTROL_TAGS: ReadonlySet<string> = new Set(['textarea', 'select', 'datalist']);

/**
 * Inline elements that style words inside a line of text (`8 (<b>495</b>) 123-45-67`,
 * `+7 916 <mark>123-45</mark>-67`). Other inline elements glued to each other without a blank
 * (`<span>Иван</span><span>89161234567</span>`, as frameworks render flex and grid items) are
 * separate boxes on screen, and get a soft break between them.
 */
export const FORMATTING_TAGS: ReadonlySet<string> = new Set([
  'b', 'strong', 'i', 'em', 'u', 'mark', 'font', 'small', 'big', 's', 'strike', 'ins', 'del', 'abbr', 'sup', 'sub',
  'q', 'cite', 'dfn', 'var', 'kbd', 'samp', 'code', 'tt', 'wbr', 'bdi', 'bdo', 'nobr',
]);

/** Elements that keep their whitespace as written (`white-space: pre` by default). */
export const PRE_TAGS: ReadonlySet<string> = new Set(['pre', 'listing', 'plaintext', 'xmp']);

/**
 * Whether an element starts its own block of text. Custom elements (`<x-card>`) count as blocks: they
 * are nearly always components with their own layout. So does `<slot>`: the scanner does not follow
 * slot assignment (see {@link extractTextRuns}), so text is never joined across one.
 */
export function isBlockElement(element: Element): boolean {
  const tag = element.localName;
  if (BLOCK_TAGS.has(tag) || tag.includes('-') || tag === 'slot') return true;
  const role = element.getAttribute('role');
  return role !== null && BLOCK_ROLES.has(role);
}
