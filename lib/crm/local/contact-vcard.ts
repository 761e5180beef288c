import {
  cleanField,
  MAX_CONTACT_ROWS,
  MAX_NOTE_LENGTH,
  type ContactFileResult,
  type ParsedContact,
} from '@/lib/crm/local/contact-file';

/**
 * Reads vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) files with one or more cards: FN (or N when FN is
 * missing), ORG, TEL, EMAIL, NOTE. Folded lines are unfolded (RFC 6350 §3.2: a line break followed
 * by a space or tab continues the line), values unescaped (§3.4: `\n`, `\,`, `\;`, `\\`), group
 * prefixes (`item1.TEL`) and parameters (`TEL;TYPE=cell`) ignored, `tel:` URIs (4.0) read as numbers.
 * vCard 2.1 quoted-printable values are taken as they are.
 */
export function parseContactsVcard(text: string): ContactFileResult {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
  const contacts: ParsedContact[] = [];
  let card: { fn?: string; n?: string; org?: string; phones: string[]; email?: string; note?: string } | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [nameWithGroup = ''] = line.slice(0, colon).split(';');
    const property = nameWithGroup.replace(/^[^.]*\./, '').toUpperCase();
    const value = line.slice(colon + 1);
    if (property === 'BEGIN' && value.trim().toUpperCase() === 'VCARD') {
      card = { phones: [] };
      continue;
    }
    if (!card) continue;
    switch (property) {
      case 'END':
        if (contacts.length >= MAX_CONTACT_ROWS) return { ok: false, error: 'too-large' };
        contacts.push({
          at: contacts.length + 1,
          name: cleanField(card.fn ?? card.n) ?? '',
          company: cleanField(card.org),
          phones: card.phones,
          email: cleanField(card.email),
          note: cleanField(card.note, MAX_NOTE_LENGTH),
        });
        card = undefined;
        break;
      case 'FN':
        card.fn ??= unescape(value);
        break;
      case 'N':
        // N is family;given;additional;prefix;suffix.
        card.n ??= splitStructured(value).slice(0, 2).reverse().filter(Boolean).join(' ');
        break;
      case 'ORG':
        card.org ??= splitStructured(value).filter(Boolean).join(', ');
        break;
      case 'TEL': {
        const phone = cleanField(unescape(value).replace(/^tel:/i, '').split(';')[0]);
        if (phone) card.phones.push(phone);
        break;
      }
      case 'EMAIL':
        card.email ??= unescape(value);
        break;
      case 'NOTE':
        card.note ??= unescape(value);
        break;
    }
  }
  if (contacts.length === 0) return { ok: false, error: lines.some((l) => /^BEGIN:VCARD/i.test(l)) ? 'empty' : 'unknown-format' };
  return { ok: true, contacts };
}

/** RFC 6350 §3.4 escapes. */
function unescape(value: string): string {
  return value.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Components of a structured value (N, ORG), split on unescaped `;`. */
function splitStructured(value: string): string[] {
  return value.split(/(?<!\\);/).map((part) => unescape(part).trim());
}
