import {
  cleanField,
  MAX_CONTACT_ROWS,
  MAX_NOTE_LENGTH,
  type ContactFileResult,
  type ParsedContact,
} from '@/lib/crm/local/contact-file';

/** Which contact field a CSV column holds. */
type Column = 'name' | 'first' | 'last' | 'company' | 'phone' | 'email' | 'note';

// Header words of Excel, Outlook and Google Contacts exports, in English and Russian. Checked in
// order: "Organization Name" is a company before "Name" is a name.
const COLUMN_WORDS: [Column, RegExp][] = [
  ['phone', /phone|mobile|^tel|телефон|мобильн/],
  ['email', /e-?mail|почта/],
  ['company', /company|organi[sz]ation|компания|организация/],
  ['note', /^notes?$|comment|заметк|примечани|комментари/],
  ['first', /^(first|given)( name)?$|^имя$/],
  ['last', /^(last|family)( name)?$|^фамилия$/],
  ['name', /name|фио|имя|контакт/],
];

/**
 * Reads a contacts CSV as Excel (`;` in locales with a decimal comma), Google Contacts and
 * Outlook write it: a header row, `,` `;` or tab between fields, RFC 4180 quoting (a quoted field
 * may hold separators, line breaks and `""`), CRLF or LF. The byte-order mark is dropped. Several
 * phone columns are all kept; one cell may hold several numbers (Google joins them with `:::`).
 */
export function parseContactsCsv(text: string): ContactFileResult {
  const rows = splitCsv(text.replace(/^\uFEFF/, ''));
  const header = rows[0];
  if (!header || header.every((cell) => cell.trim() === '')) return { ok: false, error: 'empty' };
  if (rows.length - 1 > MAX_CONTACT_ROWS) return { ok: false, error: 'too-large' };
  const columns = header.map(columnOf);
  if (!columns.includes('phone')) {
    return { ok: false, error: columns.some((c) => c !== undefined) ? 'no-phone-column' : 'unknown-format' };
  }
  const contacts: ParsedContact[] = [];
  rows.slice(1).forEach((row, i) => {
    if (row.every((cell) => cell.trim() === '')) return;
    const take = (column: Column): string[] =>
      columns.flatMap((c, j) => (c === column && row[j] !== undefined ? [row[j]] : []));
    const first = (column: Column): string | undefined => take(column).find((v) => v.trim() !== '');
    const joined = [first('first'), first('last')].filter(Boolean).join(' ');
    contacts.push({
      at: i + 2,
      name: cleanField(first('name') ?? joined) ?? '',
      company: cleanField(first('company')),
      phones: take('phone').flatMap(splitNumbers),
      email: cleanField(first('email')),
      note: cleanField(first('note'), MAX_NOTE_LENGTH),
    });
  });
  if (contacts.length === 0) return { ok: false, error: 'empty' };
  return { ok: true, contacts };
}

function columnOf(cell: string): Column | undefined {
  const word = cell.trim().toLowerCase();
  if (word === '') return undefined;
  return COLUMN_WORDS.find(([, pattern]) => pattern.test(word))?.[0];
}

/** Numbers of one cell: Google's `:::`, or `;` `,` and line breaks inside a quoted cell. */
function splitNumbers(cell: string): string[] {
  return cell
    .split(/:::|[;,\n\r]/)
    .map((part) => cleanField(part))
    .filter((part): part is string => part !== undefined);
}

/** The separator of the file: whichever of `,` `;` tab occurs most in the header, outside quotes. */
function separatorOf(text: string): string {
  const counts = new Map([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
}

/** RFC 4180 §2: rows of fields, quoted fields with doubled quotes, line breaks inside quotes. */
function splitCsv(text: string): string[][] {
  const separator = separatorOf(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (char === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (char === separator) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
