import { boundedText, DOCUMENT_FRAGMENT_NODE, DOCUMENT_NODE } from '@/lib/detect/dom-nodes';

/** Longest text taken as a label ("Рабочий телефон:", "Номер заказа"); longer text is content. */
const MAX_LABEL = 40;
/** Longest column header kept (long headers are cut, not dropped: they are labels by position). */
const MAX_HEADER = 60;

/**
 * Finds the label text around a block or an input: the `<th>` heading its table column, the label
 * cell or `<th>` of its row, a `<dt>`/`<label>`/"label"-classed sibling before it, and for inputs
 * their own attributes and `<label>`s. What the labels mean is decided later ({@link classifyLabel}).
 *
 * One finder serves one extraction: it remembers each table's column headers, so a 10,000-row table
 * has its header read once.
 */
export class LabelFinder {
  private readonly headers = new WeakMap<Element, string[]>();
  private readonly labelsByFor = new WeakMap<Node, Map<string, string>>();

  /** Label text for a run in `block`, `undefined` when nothing labels it. */
  labelOfBlock(block: Element): string | undefined {
    const parts: string[] = [];
    const itemprop = block.getAttribute('itemprop');
    if (itemprop) parts.push(itemprop);
    const cell = enclosingCell(block);
    if (cell !== block) pushDefined(parts, this.siblingLabel(block));
    if (cell) {
      pushDefined(parts, this.columnHeader(cell));
      pushDefined(parts, this.rowLabel(cell));
    }
    return parts.length > 0 ? parts.join(' | ') : undefined;
  }

  /**
   * Label text for an input: its type, name, id, autocomplete, inputmode, placeholder, ARIA label,
   * title and class (camelCase split, so `contactPhone` reads as "contact Phone"), its `<label>`s,
   * and whatever labels its block.
   */
  labelOfInput(input: Element, block: Element): string {
    const parts: string[] = [];
    for (const name of INPUT_LABEL_ATTRIBUTES) {
      const value = input.getAttribute(name);
      if (value) parts.push(splitWords(value));
    }
    pushDefined(parts, this.labelElementsText(input));
    pushDefined(parts, this.labelOfBlock(block));
    return parts.join(' | ');
  }

  private siblingLabel(block: Element): string | undefined {
    const previous = block.previousElementSibling;
    if (!previous || !looksLikeLabelElement(previous)) return undefined;
    return labelText(previous);
  }

  /** The `<th>` text heading the cell's column, from the table's `<thead>` or its all-`<th>` first row. */
  private columnHeader(cell: Element): string | undefined {
    if (cell.localName === 'th') return undefined;
    const row = cell.parentElement;
    const table = tableOf(row);
    if (!row || !table) return undefined;
    let headers = this.headers.get(table);
    if (!headers) {
      headers = readHeaders(table);
      this.headers.set(table, headers);
    }
    if (headers.length === 0) return undefined;
    let column = 0;
    for (let c = cell.previousElementSibling; c; c = c.previousElementSibling) column += span(c);
    return headers[column] || undefined;
  }

  /** A row's label: its `<th>`, or in a key–value table (two cells, or a label ending in ":") the cell before. */
  private rowLabel(cell: Element): string | undefined {
    const previous = cell.previousElementSibling;
    if (!previous) return undefined;
    const row = cell.parentElement;
    const first = row?.firstElementChild;
    if (first && first !== cell && first.localName === 'th') return labelText(first);
    const text = labelText(previous);
    if (text === undefined) return undefined;
    const twoCells = previous.previousElementSibling === null && cell.nextElementSibling === null;
    return twoCells || text.endsWith(':') ? text : undefined;
  }

  private labelElementsText(input: Element): string | undefined {
    const parts: string[] = [];
    // Not `input.labels`: Chromium answers it by walking the whole document (≈1.4 ms per input on a
    // 10,000-row page). A wrapping <label>, and <label for> from a per-root map built once, say the same.
    for (let p = input.parentElement; p; p = p.parentElement) {
      if (p.localName === 'label') {
        pushDefined(parts, labelText(p));
        break;
      }
    }
    const id = input.getAttribute('id');
    if (id) pushDefined(parts, this.labelsFor(rootOf(input)).get(id));
    return parts.length > 0 ? parts.join(' ') : undefined;
  }

  private labelsFor(root: Node): Map<string, string> {
    let map = this.labelsByFor.get(root);
    if (map) return map;
    map = new Map();
    const query = (root as ParentNode).querySelectorAll?.bind(root as ParentNode);
    if (query) {
      for (const label of Array.from(query('label[for]'))) {
        const text = labelText(label);
        const target = label.getAttribute('for');
        if (target && text) map.set(target, text);
      }
    }
    this.labelsByFor.set(root, map);
    return map;
  }
}

const INPUT_LABEL_ATTRIBUTES = [
  'type', 'name', 'id', 'autocomplete', 'inputmode', 'placeholder', 'aria-label', 'title', 'class', 'data-type',
];

// Elements that introduce the value after them: definition terms, labels, legends, header cells, and
// the "…label"/"…title" blocks CRMs put before a field's value.
const LABEL_TAGS = new Set(['dt', 'label', 'legend', 'th']);
const LABEL_CLASS = /label|title|caption|name|key|head|field-?name/i;

function looksLikeLabelElement(element: Element): boolean {
  if (LABEL_TAGS.has(element.localName)) return true;
  const className = element.getAttribute('class');
  if (className && LABEL_CLASS.test(className)) return true;
  const text = labelText(element);
  return text !== undefined && text.endsWith(':');
}

/** Short text with a letter and hardly any digits; `undefined` for anything else. */
function labelText(element: Element): string | undefined {
  const text = boundedText(element, MAX_LABEL);
  if (!text || !/\p{L}/u.test(text)) return undefined;
  let digits = 0;
  for (const ch of text) if (ch >= '0' && ch <= '9') digits += 1;
  return digits > 2 ? undefined : text;
}

function enclosingCell(block: Element): Element | undefined {
  for (let e: Element | null = block; e; e = e.parentElement) {
    const tag = e.localName;
    if (tag === 'td' || tag === 'th') return e;
    if (tag === 'table' || tag === 'body') return undefined;
  }
  return undefined;
}

function tableOf(row: Element | null): Element | undefined {
  const parent = row?.parentElement;
  if (!parent) return undefined;
  if (parent.localName === 'table') return parent;
  const grand = parent.parentElement;
  return grand?.localName === 'table' ? grand : undefined;
}

function readHeaders(table: Element): string[] {
  let headerRow: Element | undefined;
  let firstRow: Element | undefined;
  for (let child = table.firstElementChild; child && !headerRow; child = child.nextElementSibling) {
    if (child.localName === 'thead') {
      headerRow = lastChildNamed(child, 'tr');
    } else if (child.localName === 'tr') {
      firstRow ??= child;
    } else if ((child.localName === 'tbody' || child.localName === 'tfoot') && !firstRow) {
      firstRow = firstChildNamed(child, 'tr');
    }
    if (firstRow && !headerRow) break;
  }
  if (!headerRow && firstRow && allCellsAreHeaders(firstRow)) headerRow = firstRow;
  if (!headerRow) return [];
  const headers: string[] = [];
  for (let cell = headerRow.firstElementChild; cell; cell = cell.nextElementSibling) {
    const text = boundedText(cell, MAX_HEADER * 4)?.slice(0, MAX_HEADER) ?? '';
    for (let k = span(cell); k > 0; k -= 1) headers.push(text);
  }
  return headers;
}

function allCellsAreHeaders(row: Element): boolean {
  let any = false;
  for (let cell = row.firstElementChild; cell; cell = cell.nextElementSibling) {
    if (cell.localName !== 'th') return false;
    any = true;
  }
  return any;
}

function span(cell: Element): number {
  const value = Number.parseInt(cell.getAttribute('colspan') ?? '', 10);
  return Number.isFinite(value) && value > 0 ? Math.min(value, 1000) : 1;
}

function firstChildNamed(parent: Element, name: string): Element | undefined {
  for (let c = parent.firstElementChild; c; c = c.nextElementSibling) if (c.localName === name) return c;
  return undefined;
}

function lastChildNamed(parent: Element, name: string): Element | undefined {
  for (let c = parent.lastElementChild; c; c = c.previousElementSibling) if (c.localName === name) return c;
  return undefined;
}

function rootOf(node: Node): Node {
  let current = node;
  while (current.parentNode) {
    current = current.parentNode;
    if (current.nodeType === DOCUMENT_NODE || current.nodeType === DOCUMENT_FRAGMENT_NODE) break;
  }
  return current;
}

function splitWords(value: string): string {
  return value.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2');
}

function pushDefined(parts: string[], value: string | undefined): void {
  if (value) parts.push(value);
}
