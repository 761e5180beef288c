import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { blockOf, extractTextRuns, extractTextRunsFrom } from '@/lib/detect/extract-text-runs';
import type { TextRun } from '@/lib/detect/text-run';

function page(body: string): Document {
  return parseHTML(`<!doctype html><html><head><title>CRM 8 800 555-35-35</title></head><body>${body}</body></html>`)
    .document as unknown as Document;
}

const texts = (runs: TextRun[]) => runs.map((r) => r.text);

/** Every segment's slice of the run must be the very text of its source at its offset. */
function expectSegmentsMapBack(run: TextRun): void {
  let covered = 0;
  for (const s of run.segments) {
    const sourceText = 'data' in s.source ? s.source.data : ((s.source as HTMLInputElement).value ?? '');
    const slice = run.text.slice(s.start, s.end);
    const original = sourceText.slice(s.sourceOffset, s.sourceOffset + slice.length);
    // A collapsed stretch of blanks reads as one " " mapped to its first blank character.
    expect(original.length).toBe(slice.length);
    [...slice].forEach((ch, i) => expect(ch === original[i] || (ch === ' ' && /[\t\n\r\f]/.test(original[i]!))).toBe(true));
    expect(s.start).toBeGreaterThanOrEqual(covered);
    covered = s.end;
  }
}

describe('extractTextRuns', () => {
  describe('runs', () => {
    it.each([
      { body: '<p><span>+7</span> <span>916</span> 123-45-67</p>', runs: ['+7 916 123-45-67'] },
      { body: '<p>\n   +7\n   (916)\t123-45-67\n</p>', runs: ['+7 (916) 123-45-67'] },
      { body: '<p>8 (<b>495</b>) 123-45-67</p>', runs: ['8 (495) 123-45-67'] },
      { body: '<p>+7 916 <script>x = 1234567</script>123-45-67</p>', runs: ['+7 916 123-45-67'] },
      { body: '<p>+7 916 123-45-67<br>8 495 123-45-67</p>', runs: ['+7 916 123-45-67', '8 495 123-45-67'] },
      { body: '<div>+7 916 123-45-67<p>8 495 123-45-67</p>8 800 555-35-35</div>', runs: ['+7 916 123-45-67', '8 495 123-45-67', '8 800 555-35-35'] },
      { body: '<table><tr><td>12345</td><td>678901</td><td>1234567</td></tr></table>', runs: ['1234567'] },
      { body: '<ul><li>89161234567</li><li>84951234567</li></ul>', runs: ['89161234567', '84951234567'] },
      { body: '<pre>7707083893\t9161234567\n  12</pre>', runs: ['7707083893\t9161234567\n  12'] },
      { body: '<p>Всего 12 звонков</p>', runs: [] },
      { body: '<div><span class="name">Иван</span><span class="phone">89161234567</span></div>', runs: ['Иван 89161234567'] },
      { body: '<div><span>2024</span><span>89161234567</span></div>', runs: ['2024 89161234567'] },
      { body: '<p>+7 916 <mark>123-45</mark>-67</p>', runs: ['+7 916 123-45-67'] },
      { body: '<p><x-phone>+7 916 123-45-67</x-phone><x-phone>8 495 123-45-67</x-phone></p>', runs: ['+7 916 123-45-67', '8 495 123-45-67'] },
      { body: '<div role="row"><div role="gridcell">1234</div><div role="gridcell">5678901</div></div>', runs: ['5678901'] },
    ])('$body → $runs', ({ body, runs }) => {
      const found = extractTextRuns(page(body));
      expect(texts(found)).toEqual(runs);
      found.forEach(expectSegmentsMapBack);
    });

    it('maps a split number to each of its text nodes', () => {
      const doc = page('<p><span>+7</span> <span>916</span> 123-45-67</p>');
      const [run] = extractTextRuns(doc);
      expect(run!.segments.map((s) => [s.start, s.end, (s.source as Text).data, s.sourceOffset])).toEqual([
        [0, 2, '+7', 0],
        [2, 3, ' ', 0],
        [3, 6, '916', 0],
        [6, 16, ' 123-45-67', 0],
      ]);
    });

    it('leaves a soft break, which is in no segment, between glued boxes', () => {
      const [run] = extractTextRuns(page('<div><span>Иван</span><span>89161234567</span></div>'));
      expect(run!.segments.map((s) => [s.start, s.end])).toEqual([
        [0, 4],
        [5, 16],
      ]);
    });

    it('drops runs with fewer digits than minDigits', () => {
      const doc = page('<p>ext 12345</p><p>8 916 123 45 67</p>');
      expect(texts(extractTextRuns(doc))).toEqual(['8 916 123 45 67']);
      expect(texts(extractTextRuns(doc, { minDigits: 1 }))).toEqual(['ext 12345', '8 916 123 45 67']);
    });
  });

  describe('context', () => {
    const contexts = (body: string) => extractTextRuns(page(body)).map((r) => [r.text, r.context]);

    it.each([
      {
        why: 'column header from thead',
        body: '<table><thead><tr><th>ИНН</th><th>Телефон</th></tr></thead><tbody><tr><td>7707083893</td><td>9161234567</td></tr></tbody></table>',
        found: [['7707083893', { label: 'ИНН' }], ['9161234567', { label: 'Телефон' }]],
      },
      {
        why: 'column header from a first row of th, across a colspan',
        body: '<table><tr><th colspan="2">Клиент</th><th>Телефон</th></tr><tr><td>1</td><td>Иван</td><td>9161234567</td></tr></table>',
        found: [['9161234567', { label: 'Телефон' }]],
      },
      {
        why: 'row header',
        body: '<table><tr><th>Тел.</th><td>9161234567</td></tr></table>',
        found: [['9161234567', { label: 'Тел.' }]],
      },
      {
        why: 'label cell of a key-value row',
        body: '<table><tr><td>ИНН</td><td>7707083893</td></tr></table>',
        found: [['7707083893', { label: 'ИНН' }]],
      },
      {
        why: 'no label from the previous cell of a wide data row',
        body: '<table><tr><td>Иван</td><td>9161234567</td><td>Москва</td></tr></table>',
        found: [['9161234567', {}]],
      },
      {
        why: 'block inside a cell: its sibling label and the column header',
        body: '<table><tr><th>Контакты</th></tr><tr><td><div class="label">Моб.</div><div>9161234567</div></td></tr></table>',
        found: [['9161234567', { label: 'Моб. | Контакты' }]],
      },
      {
        why: 'dt before dd',
        body: '<dl><dt>Телефон</dt><dd>9161234567</dd></dl>',
        found: [['9161234567', { label: 'Телефон' }]],
      },
      {
        why: 'label-classed sibling (Bitrix24)',
        body: '<div><div class="crm-entity-widget-content-block-title">Телефон</div><div class="inner">9161234567</div></div>',
        found: [['9161234567', { label: 'Телефон' }]],
      },
      {
        why: 'no label from an ordinary paragraph before',
        body: '<p>Заказ оформлен</p><p>8 916 123-45-67</p>',
        found: [['8 916 123-45-67', {}]],
      },
      {
        why: 'schema.org itemprop',
        body: '<div itemprop="telephone">9161234567</div>',
        found: [['9161234567', { label: 'telephone' }]],
      },
    ])('$why', ({ body, found }) => {
      expect(contexts(body)).toEqual(found);
    });
  });

  describe('inputs', () => {
    it.each([
      { why: 'type=tel', body: '<input type="tel" value="9161234567">', value: '9161234567', label: 'tel' },
      { why: 'name says phone', body: '<input name="contactPhone" value="9161234567">', value: '9161234567', label: 'contact Phone' },
      { why: 'label for', body: '<label for="p">Телефон</label><input id="p" value="9161234567">', value: '9161234567', label: 'p | Телефон' },
      { why: 'wrapping label', body: '<label>Моб. <input value="9161234567"></label>', value: '9161234567', label: 'Моб.' },
      { why: 'formatted value, opaque name', body: '<input name="CFV[1]" value="+7 916 123-45-67">', value: '+7 916 123-45-67', label: 'CFV[1]' },
      { why: 'value kept as is, blanks included', body: '<input type="tel" value="  8 916 123 45 67 ">', value: '  8 916 123 45 67 ', label: 'tel' },
    ])('reads $why', ({ body, value, label }) => {
      const doc = page(body);
      const runs = extractTextRuns(doc);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.text).toBe(value);
      expect(runs[0]!.context).toEqual({ fromInput: true, label });
      expect(runs[0]!.segments).toEqual([{ start: 0, end: value.length, source: doc.querySelector('input'), sourceOffset: 0 }]);
    });

    it.each([
      { why: 'hidden', body: '<input type="hidden" name="phone" value="+79161234567">' },
      { why: 'password', body: '<input type="password" value="89161234567">' },
      { why: 'email', body: '<input type="email" value="89161234567@mail.ru">' },
      { why: 'date', body: '<input type="date" value="2024-03-12">' },
      { why: 'labelled INN', body: '<input name="inn" value="7707083893">' },
      { why: 'bare digits, opaque name', body: '<input name="f1" value="9161234567">' },
      { why: 'words around digits', body: '<input type="search" value="заказ 89161234567">' },
      { why: 'amount label', body: '<input name="price" value="1 500 000">' },
    ])('does not read $why', ({ body }) => {
      expect(extractTextRuns(page(body))).toEqual([]);
    });

    it('reads an input labelled by the block before it (amoCRM)', () => {
      const doc = page(
        '<div class="linked-form__field"><div class="linked-form__field__label">Раб. тел.</div>' +
          '<div class="linked-form__field__value"><input type="text" name="CFV[412345][0][VALUE]" value="9161234567"></div></div>',
      );
      expect(extractTextRuns(doc).map((r) => r.context)).toEqual([
        { fromInput: true, label: 'text | CFV[412345][0][VALUE] | Раб. тел.' },
      ]);
    });
  });

  describe('tel: and sip: links', () => {
    it('reads a link that shows its number as its text, with the href as a hint', () => {
      const runs = extractTextRuns(page('<p>Тел.: <a href="tel:+74951234567">+7 (495) 123-45-67</a>, пн–пт</p>'));
      expect(runs.map((r) => [r.text, r.context])).toEqual([
        ['+7 (495) 123-45-67', { fromTelLink: true, telTarget: '+74951234567' }],
      ]);
    });

    it('reads the href of a link that shows no number, mapped to the link', () => {
      const doc = page('<p><a href="tel:+7-495-123-45-67;ext=12">Позвонить</a></p>');
      const [run] = extractTextRuns(doc);
      expect(run!.text).toBe('+74951234567 ext. 12');
      expect(run!.context).toEqual({ fromTelLink: true });
      expect(run!.segments).toEqual([{ start: 0, end: run!.text.length, source: doc.querySelector('a'), sourceOffset: 0 }]);
    });

    it.each([
      { body: '<a href="tel:88005553535"><svg><text>8 800</text></svg></a>', runs: ['88005553535'] },
      { body: '<a href="sip:+74951234567@pbx.example.com">SIP</a>', runs: ['+74951234567'] },
      { body: '<a href="sip:alice@example.com">Alice, 8 916 123-45-67</a>', runs: ['Alice, 8 916 123-45-67'] },
      { body: '<a href="tel:+79161234567"><div>+7 916</div><div>123-45-67</div></a>', runs: ['+7 916123-45-67'] },
      { body: '<a href="https://example.com">8 916 123-45-67</a>', runs: ['8 916 123-45-67'] },
    ])('$body → $runs', ({ body, runs }) => {
      expect(texts(extractTextRuns(page(body)))).toEqual(runs);
    });

    it('does not vouch for the text of a SIP link to a name', () => {
      const [run] = extractTextRuns(page('<a href="sip:alice@example.com">Alice, 8 916 123-45-67</a>'));
      expect(run!.context).toEqual({});
    });
  });

  describe('left alone', () => {
    it.each([
      '<script>"+7 916 123-45-67"</script>',
      '<style>a::after{content:"+7 916 123-45-67"}</style>',
      '<noscript>+7 916 123-45-67</noscript>',
      '<template><p>+7 916 123-45-67</p></template>',
      '<textarea>+7 916 123-45-67</textarea>',
      '<select><option>+7 916 123-45-67</option></select>',
      '<div contenteditable="true"><p>+7 916 123-45-67</p></div>',
      '<div contenteditable><p>+7 916 123-45-67</p></div>',
      '<div contenteditable="plaintext-only">+7 916 123-45-67</div>',
      '<div data-crm-softphone-ui><span>+7 916 123-45-67</span></div>',
      '<svg><text>+7 916 123-45-67</text></svg>',
    ])('%s', (body) => {
      expect(extractTextRuns(page(body))).toEqual([]);
    });

    it('reads what is next to an editor, and what is inside contenteditable="false" nowhere', () => {
      const doc = page('<div><p>+7 495 123-45-67</p><div contenteditable="true"><span contenteditable="false">+7 916 123-45-67</span></div></div>');
      expect(texts(extractTextRuns(doc))).toEqual(['+7 495 123-45-67']);
    });

    it('ends the run at an editor, but not at a script', () => {
      const doc = page('<p>8 916 <span contenteditable>x</span>123-45-67</p>');
      expect(texts(extractTextRuns(doc, { minDigits: 1 }))).toEqual(['8 916', '123-45-67']);
    });

    it('honours another own-UI attribute', () => {
      const doc = page('<div data-other-ui><span>+7 916 123-45-67</span></div><div data-crm-softphone-ui>8 495 123-45-67</div>');
      expect(texts(extractTextRuns(doc, { ownUiAttribute: 'data-other-ui' }))).toEqual(['8 495 123-45-67']);
    });

    it('reads nothing in a document in design mode', () => {
      const doc = page('<p>+7 916 123-45-67</p>');
      (doc as { designMode: string }).designMode = 'on';
      expect(extractTextRuns(doc)).toEqual([]);
    });
  });

  describe('shadow roots and frames', () => {
    it('reads an open shadow root as a block of its own, before the light children', () => {
      const doc = page('<div id="host"><span>8 495 123-45-67</span></div>');
      const host = doc.getElementById('host')!;
      const shadow = host.attachShadow({ mode: 'open' });
      shadow.innerHTML = '<span>+7 916</span> <b>123-45-67</b>';
      const runs = extractTextRuns(doc);
      expect(texts(runs)).toEqual(['+7 916 123-45-67', '8 495 123-45-67']);
      expect((runs[0]!.segments[0]!.source as Text).parentNode!.parentNode).toBe(shadow);
    });

    it('reads nothing from the shadow root of our own UI, even when asked to read just that root', () => {
      const doc = page('<div data-crm-softphone-ui id="ui"></div>');
      const shadow = doc.getElementById('ui')!.attachShadow({ mode: 'open' });
      shadow.innerHTML = '<p>+7 916 123-45-67</p>';
      expect(extractTextRuns(doc)).toEqual([]);
      expect(extractTextRuns(shadow)).toEqual([]);
      expect(extractTextRunsFrom([shadow.firstChild!.firstChild!])).toEqual([]);
    });

    it('reads no shadow root when told not to', () => {
      const doc = page('<div id="host"></div>');
      doc.getElementById('host')!.attachShadow({ mode: 'open' }).innerHTML = '<p>+7 916 123-45-67</p>';
      expect(extractTextRuns(doc, { enterShadowRoots: false })).toEqual([]);
    });

    // linkedom loads no frames: the frame's document is stubbed, as a same-origin frame's would be.
    const withFrame = (frameBody: string, designMode = 'off') => {
      const doc = page('<p>До</p><iframe id="f"></iframe><p>После</p>');
      const inner = page(frameBody);
      (inner as { designMode: string }).designMode = designMode;
      Object.defineProperty(doc.getElementById('f')!, 'contentDocument', { value: inner });
      return doc;
    };

    it('reads a same-origin frame', () => {
      expect(texts(extractTextRuns(withFrame('<p>+7 916 123-45-67</p>')))).toEqual(['+7 916 123-45-67']);
    });

    it('reads no frame when told not to, nor one in design mode (an e-mail composer)', () => {
      expect(extractTextRuns(withFrame('<p>+7 916 123-45-67</p>'), { enterFrames: false })).toEqual([]);
      expect(extractTextRuns(withFrame('<p>+7 916 123-45-67</p>', 'on'))).toEqual([]);
    });

    it('reads nothing from a frame whose document is out of reach', () => {
      const doc = page('<iframe id="f"></iframe>');
      Object.defineProperty(doc.getElementById('f')!, 'contentDocument', {
        get() {
          throw new Error('SecurityError');
        },
      });
      expect(extractTextRuns(doc)).toEqual([]);
    });
  });
});

describe('blockOf', () => {
  it.each([
    { body: '<table><tr><td><span><b id="x">1</b></span></td></tr></table>', block: 'td' },
    { body: '<p>Тел.: <a href="tel:1" id="x">1</a></p>', block: 'p' },
    { body: '<ul><li><input id="x"></li></ul>', block: 'li' },
    { body: '<section><x-card><span id="x">1</span></x-card></section>', block: 'x-card' },
    { body: '<div role="gridcell"><span id="x">1</span></div>', block: 'div' },
    { body: '<span id="x">1</span>', block: 'body' },
  ])('$body → $block', ({ body, block }) => {
    const doc = page(body);
    const node = doc.getElementById('x')!.firstChild ?? doc.getElementById('x')!;
    expect(blockOf(node).localName).toBe(block);
  });

  it('looks through a shadow root to the host', () => {
    const doc = page('<p id="host"></p>');
    const shadow = doc.getElementById('host')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<span>+7 916</span>';
    expect(blockOf(shadow.firstChild!.firstChild!)).toBe(doc.getElementById('host'));
  });

  it('gives a detached node its topmost element', () => {
    const doc = page('');
    const span = doc.createElement('span');
    span.appendChild(doc.createTextNode('+7 916 123-45-67'));
    expect(blockOf(span.firstChild!)).toBe(span);
  });
});

describe('extractTextRunsFrom', () => {
  it('re-reads only the blocks of the changed nodes, each once', () => {
    const doc = page(
      '<div id="a"><p id="a1"><span id="s">+7 916 123-45-67</span></p><p id="a2">8 495 123-45-67</p></div><p id="b">8 800 555-35-35</p>',
    );
    const span = doc.getElementById('s')!;
    expect(texts(extractTextRunsFrom([span.firstChild!, span]))).toEqual(['+7 916 123-45-67']);
    expect(texts(extractTextRunsFrom([span, doc.getElementById('a')!]))).toEqual(['+7 916 123-45-67', '8 495 123-45-67']);
    expect(texts(extractTextRunsFrom([doc.getElementById('b')!.firstChild!]))).toEqual(['8 800 555-35-35']);
  });

  it('reads nothing inside what is left alone', () => {
    const doc = page('<div contenteditable="true"><p id="p">+7 916 123-45-67</p></div><div data-crm-softphone-ui><p id="q">8 495 123-45-67</p></div>');
    expect(extractTextRunsFrom([doc.getElementById('p')!.firstChild!, doc.getElementById('q')!])).toEqual([]);
  });

  it('keeps the column header when only a cell is re-read', () => {
    const doc = page('<table><tr><th>Телефон</th></tr><tr><td id="c">9161234567</td></tr></table>');
    expect(extractTextRunsFrom([doc.getElementById('c')!.firstChild!]).map((r) => r.context)).toEqual([{ label: 'Телефон' }]);
  });
});
