import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { DomWalk, type DomWalkVisitor } from '@/lib/click-to-call/dom-walk';
import { MarkStore, coveredSources } from '@/lib/click-to-call/mark-store';
import type { FoundNumber, TextRun, TextSegment } from '@/lib/detect/text-run';

/** A run over the text nodes of `block`, and a FoundNumber for `text.slice(start, end)` of it. */
function runOf(block: Element): TextRun {
  const segments: TextSegment[] = [];
  let text = '';
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        const data = (child as Text).data;
        segments.push({ start: text.length, end: text.length + data.length, source: child as Text, sourceOffset: 0 });
        text += data;
      } else walk(child);
    }
  };
  walk(block);
  return { text, context: {}, segments };
}

function found(run: TextRun, start: number, end: number, e164: string): FoundNumber {
  const at = (offset: number, isEnd: boolean) => {
    const segment = run.segments.find((s) => (isEnd ? offset > s.start && offset <= s.end : offset >= s.start && offset < s.end))!;
    return { source: segment.source, offset: offset - segment.start + segment.sourceOffset };
  };
  const first = at(start, false);
  const last = at(end, true);
  return {
    e164,
    text: run.text.slice(start, end),
    run,
    startSource: first.source,
    startOffset: first.offset,
    endSource: last.source,
    endOffset: last.offset,
  };
}

function page(html: string) {
  return parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;
}

describe('coveredSources', () => {
  it('lists the text nodes a split number spans, in order', () => {
    const document = page('<p id="p">Тел: <span>+7</span> <span>(916)</span> <span>123-45-67</span>, звоните</p>');
    const p = document.getElementById('p')!;
    const run = runOf(p);
    const start = run.text.indexOf('+7');
    const number = found(run, start, run.text.indexOf(','), '+79161234567');
    expect(number.text).toBe('+7 (916) 123-45-67');
    expect(coveredSources(number).map((node) => node.textContent)).toEqual(['+7', ' ', '(916)', ' ', '123-45-67']);
  });

  it('falls back to the start and end sources when the run does not hold them', () => {
    const document = page('<p id="p">+7 916 123-45-67</p>');
    const p = document.getElementById('p')!;
    const number = found(runOf(p), 0, 16, '+79161234567');
    const stray = { ...number, run: { text: '', context: {}, segments: [] } };
    expect(coveredSources(stray)).toEqual([p.firstChild]);
  });
});

describe('MarkStore', () => {
  const setup = () => {
    const document = page(
      '<table><tbody id="rows">' +
        '<tr><td id="a">+7 916 123-45-67</td><td id="inn">7707083893</td></tr>' +
        '<tr><td id="b"><span>8 (495)</span> 222-33-44 и +7 921 555-12-34</td></tr>' +
        '</tbody></table>',
    );
    const a = document.getElementById('a')!;
    const b = document.getElementById('b')!;
    const runA = runOf(a);
    const runB = runOf(b);
    const numberA = found(runA, 0, runA.text.length, '+79161234567');
    const numberB1 = found(runB, 0, runB.text.indexOf(' и'), '+74952223344');
    const numberB2 = found(runB, runB.text.indexOf('+7'), runB.text.length, '+79215551234');
    const store = new MarkStore();
    store.replace(a, [numberA]);
    store.replace(b, [numberB1, numberB2]);
    return { document, a, b, numberA, numberB1, numberB2, store };
  };

  it('keeps one mark per occurrence, by block and by source node', () => {
    const { a, b, numberA, numberB1, numberB2, store } = setup();
    expect(store.size).toBe(3);
    expect(store.inBlock(b).map((mark) => mark.found)).toEqual([numberB1, numberB2]);
    expect(store.atSource(a.firstChild!).map((mark) => mark.found)).toEqual([numberA]);
    // "8 (495)" is in a span, " 222-33-44 и +7 921 555-12-34" is one text node holding two numbers' parts.
    const shared = b.lastChild!;
    expect(store.atSource(shared).map((mark) => mark.found.e164)).toEqual(['+74952223344', '+79215551234']);
  });

  it('replaces a block’s marks at once, and forgets the old ones everywhere', () => {
    const { b, numberB2, store } = setup();
    const change = store.replace(b, [numberB2]);
    expect(change.removed.map((mark) => mark.found.e164)).toEqual(['+74952223344', '+79215551234']);
    expect(change.added.map((mark) => mark.found)).toEqual([numberB2]);
    expect(store.size).toBe(2);
    expect(store.atSource(b.firstChild!.firstChild!)).toEqual([]);
    expect(store.atSource(b.lastChild!).map((mark) => mark.found.e164)).toEqual(['+79215551234']);
  });

  it('answers "what is marked under this node", one entry per occurrence', () => {
    const { document, a, b, store } = setup();
    const all = (root: Node) => store.under(root).map((mark) => mark.found.e164);
    expect(all(document)).toEqual(['+79161234567', '+74952223344', '+79215551234']);
    expect(all(document.getElementById('rows')!)).toHaveLength(3);
    expect(all(a)).toEqual(['+79161234567']);
    expect(all(document.getElementById('inn')!)).toEqual([]);
    // A node inside a block: only the numbers that start in it.
    expect(all(b.firstChild!)).toEqual(['+74952223344']);
  });

  it('drops the marks of blocks that left the page, in one pass', () => {
    const { a, b, store } = setup();
    a.parentNode!.parentNode!.removeChild(a.parentNode!);
    const removed = store.dropDisconnected();
    expect(removed.map((mark) => mark.found.e164)).toEqual(['+79161234567']);
    expect(store.size).toBe(2);
    expect([...store.blocks()]).toEqual([b]);
  });

  it('clears everything', () => {
    const { store } = setup();
    expect(store.clear()).toHaveLength(3);
    expect(store.size).toBe(0);
  });
});

describe('DomWalk', () => {
  const collect = () => {
    const seen: string[] = [];
    const visitor: DomWalkVisitor = {
      text: (node) => seen.push(`text:${node.data.trim()}`),
      element: (element) => seen.push(`element:${element.tagName.toLowerCase()}`),
      shadowRoot: () => seen.push('shadow'),
      frame: () => seen.push('frame'),
    };
    return { seen, visitor };
  };

  const html =
    '<div><p>Звоните: +7 916 123-45-67</p><p>без цифр</p>' +
    '<script>var phone = "+7 999 000-00-00";</script><style>.a{width:10px}</style>' +
    '<template><p>+7 999 000-00-01</p></template>' +
    '<input value="8 903 765-43-21"><input value="имя"><input type="password" value="12345678">' +
    '<a href="tel:+74951234567">позвонить</a><a href="/page/2">2</a>' +
    '<textarea>+7 999 000-00-02</textarea><iframe src="frame.html"></iframe></div>';

  it('reports text with digits, number-bearing elements and frames; skips scripts, styles, templates, textareas', () => {
    const document = page(html);
    const { seen, visitor } = collect();
    const walk = new DomWalk(document, visitor);
    while (walk.advance(1000));
    expect(seen).toEqual([
      'text:Звоните: +7 916 123-45-67',
      'element:input',
      'element:a',
      'text:2',
      'frame',
    ]);
  });

  it('works a few nodes at a time and ends where a single pass ends', () => {
    const document = page(html);
    const whole = collect();
    const walk = new DomWalk(document, whole.visitor);
    while (walk.advance(1000));
    const sliced = collect();
    const slow = new DomWalk(document, sliced.visitor);
    let steps = 0;
    while (slow.advance(2)) steps++;
    expect(steps).toBeGreaterThan(5);
    expect(sliced.seen).toEqual(whole.seen);
    expect(slow.done).toBe(true);
  });

  it('walks only the subtree it was given', () => {
    const document = page('<p>+7 916 123-45-67</p><div id="added"><span>8 800 555-35-35</span></div><p>+7 921 555-12-34</p>');
    const { seen, visitor } = collect();
    const walk = new DomWalk(document.getElementById('added')!, visitor);
    while (walk.advance(1));
    expect(seen).toEqual(['text:8 800 555-35-35']);
  });

  it('starts again when the node it stopped at was removed', () => {
    const document = page('<ul id="list"><li>+7 916 111-11-11</li><li id="gone">+7 916 222-22-22</li><li>+7 916 333-33-33</li></ul>');
    const { seen, visitor } = collect();
    const walk = new DomWalk(document.getElementById('list')!, visitor);
    // list → li → text → li#gone: stop there, then remove it.
    walk.advance(3);
    document.getElementById('gone')!.remove();
    while (walk.advance(100));
    expect(walk.restarts).toBe(1);
    expect(seen).toEqual(['text:+7 916 111-11-11', 'text:+7 916 111-11-11', 'text:+7 916 333-33-33']);
  });
});
