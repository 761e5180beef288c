import { describe, expect, it } from 'vitest';
import { parseContactsCsv } from '@/lib/crm/local/contact-csv';
import { decodeContactFile, MAX_CONTACT_FILE_BYTES, MAX_CONTACT_ROWS } from '@/lib/crm/local/contact-file';
import { parseContactsVcard } from '@/lib/crm/local/contact-vcard';

const ok = (result: ReturnType<typeof parseContactsCsv>) => {
  if (!result.ok) throw new Error(`not parsed: ${result.error}`);
  return result.contacts;
};

describe('parseContactsCsv', () => {
  it.each([
    ['comma, LF', 'name,company,phone\nAlice,Acme,+79161234567\n'],
    ['semicolon (Excel, ru locale), CRLF', 'Name;Company;Phone\r\nAlice;Acme;+79161234567\r\n'],
    ['tab', 'name\tcompany\tphone\nAlice\tAcme\t+79161234567'],
    ['UTF-8 byte-order mark', '\uFEFFname,company,phone\nAlice,Acme,+79161234567'],
    ['Russian headers', 'ФИО;Компания;Телефон\nAlice;Acme;+79161234567'],
    ['quoted fields', '"name","company","phone"\n"Alice","Acme","+79161234567"'],
  ])('reads %s', (_, text) => {
    expect(ok(parseContactsCsv(text))).toEqual([
      { at: 2, name: 'Alice', company: 'Acme', phones: ['+79161234567'], email: undefined, note: undefined },
    ]);
  });

  it('keeps separators, doubled quotes and line breaks inside quoted fields', () => {
    const [alice] = ok(parseContactsCsv('name,company,phone,note\n"Smith, Alice","Acme ""Ltd""",+79161234567,"line 1\nline 2"'));
    expect(alice).toMatchObject({ name: 'Smith, Alice', company: 'Acme "Ltd"', note: 'line 1\nline 2' });
  });

  it('reads a Google Contacts export: given and family name, several phone columns, ::: inside one', () => {
    const text =
      'Given Name,Family Name,Organization Name,E-mail 1 - Value,Phone 1 - Value,Phone 2 - Value\n' +
      'Alice,Smith,Acme,alice@example.com,+7 916 123-45-67 ::: +7 495 111-22-33,8 812 000-00-00';
    expect(ok(parseContactsCsv(text))[0]).toEqual({
      at: 2,
      name: 'Alice Smith',
      company: 'Acme',
      phones: ['+7 916 123-45-67', '+7 495 111-22-33', '8 812 000-00-00'],
      email: 'alice@example.com',
      note: undefined,
    });
  });

  it('numbers rows as a spreadsheet does and skips blank ones', () => {
    const contacts = ok(parseContactsCsv('name,phone\nA,101\n\n,\nB,102\n'));
    expect(contacts.map((c) => c.at)).toEqual([2, 5]);
  });

  it.each([
    ['an empty file', '', 'empty'],
    ['a header only', 'name,phone\n', 'empty'],
    ['no phone column', 'name,company\nAlice,Acme', 'no-phone-column'],
    ['not a contacts table', 'hello world\nfoo', 'unknown-format'],
  ])('refuses %s', (_, text, error) => {
    expect(parseContactsCsv(text)).toEqual({ ok: false, error });
  });

  it('strips control and bidi-override characters and cuts very long fields', () => {
    const [row] = ok(parseContactsCsv(`name,phone\n"Al\u0000ice\u202e${'x'.repeat(500)}",101`));
    expect(row?.name.startsWith('Alicex')).toBe(true);
    expect(row?.name).toHaveLength(200);
  });

  it('keeps HTML as text (the panel renders text, never markup)', () => {
    expect(ok(parseContactsCsv('name,phone\n<img src=x onerror=alert(1)>,101'))[0]?.name).toBe('<img src=x onerror=alert(1)>');
  });

  it(`refuses more than ${MAX_CONTACT_ROWS} rows whole`, () => {
    const text = 'name,phone\n' + 'A,101\n'.repeat(MAX_CONTACT_ROWS + 1);
    expect(parseContactsCsv(text)).toEqual({ ok: false, error: 'too-large' });
  });
});

describe('parseContactsVcard', () => {
  it('reads several 3.0 and 4.0 cards with folded lines, escapes, groups and tel: URIs', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Alice Smith',
      'ORG:Acme;Sales',
      'TEL;TYPE=CELL:+7 916 123-45-67',
      'item1.TEL:8 495 111-22-33',
      'EMAIL;TYPE=INTERNET:alice@example.com',
      'NOTE:Prefers calls\\, not mail.\\nAfter 10:00',
      ' only.',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'N:Petrov;Ivan;;;',
      'TEL;VALUE=uri;TYPE=work:tel:+7-495-000-00-00;ext=12',
      'END:VCARD',
    ].join('\r\n');
    const result = parseContactsVcard(text);
    expect(result).toEqual({
      ok: true,
      contacts: [
        {
          at: 1,
          name: 'Alice Smith',
          company: 'Acme, Sales',
          phones: ['+7 916 123-45-67', '8 495 111-22-33'],
          email: 'alice@example.com',
          note: 'Prefers calls, not mail.\nAfter 10:00only.',
        },
        { at: 2, name: 'Ivan Petrov', company: undefined, phones: ['+7-495-000-00-00'], email: undefined, note: undefined },
      ],
    });
  });

  it.each([
    ['an empty file', '', 'unknown-format'],
    ['a card that never ends', 'BEGIN:VCARD\nFN:A\nTEL:101', 'empty'],
  ])('refuses %s', (_, text, error) => {
    expect(parseContactsVcard(text)).toEqual({ ok: false, error });
  });
});

describe('decodeContactFile', () => {
  const bytes = (...values: number[]) => new Uint8Array(values);

  it.each([
    ['UTF-8', new TextEncoder().encode('Алиса'), 'Алиса'],
    ['UTF-8 with a byte-order mark', bytes(0xef, 0xbb, 0xbf, 0x41), 'A'],
    ['UTF-16LE with a byte-order mark', bytes(0xff, 0xfe, 0x41, 0x00), 'A'],
  ])('decodes %s', (_, input, text) => {
    expect(decodeContactFile(input)).toEqual({ ok: true, text });
  });

  it('refuses Windows-1251 rather than importing mojibake', () => {
    expect(decodeContactFile(bytes(0xc0, 0xeb, 0xe8, 0xf1, 0xe0))).toEqual({ ok: false, error: 'encoding' });
  });

  it('refuses a file over the size limit', () => {
    expect(decodeContactFile(new Uint8Array(MAX_CONTACT_FILE_BYTES + 1))).toEqual({ ok: false, error: 'too-large' });
  });
});
