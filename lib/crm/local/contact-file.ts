/**
 * Shared shapes of a contacts file read by the CSV and vCard readers, before numbers are checked
 * and the contacts de-duplicated (`contact-import.ts`).
 */

/** One contact as a file gives it, cleaned of control characters and trimmed. */
export interface ParsedContact {
  /** The row (CSV, 1-based, the header is row 1) or card (vCard, 1-based) it came from. */
  at: number;
  name: string;
  company?: string;
  /** Numbers as written in the file. */
  phones: string[];
  email?: string;
  note?: string;
}

/** Why a whole file cannot be read; nothing of it is imported. */
export type ContactFileError =
  /** The file has no contacts at all. */
  | 'empty'
  /** Over {@link MAX_CONTACT_FILE_BYTES} or {@link MAX_CONTACT_ROWS}. */
  | 'too-large'
  /** Not UTF-8 (or UTF-16 with a byte-order mark). */
  | 'encoding'
  /** A CSV file without a column of phone numbers. */
  | 'no-phone-column'
  /** Neither CSV with a header nor vCard. */
  | 'unknown-format';

/** What a reader makes of a file: its contacts, or why none. */
export type ContactFileResult = { ok: true; contacts: ParsedContact[] } | { ok: false; error: ContactFileError };

/** Larger files are refused whole (an address book of 20 000 people is about 2 MB). */
export const MAX_CONTACT_FILE_BYTES = 5 * 1024 * 1024;
/** More rows or cards than this are refused whole. */
export const MAX_CONTACT_ROWS = 20_000;
/** Longest kept name, company or e-mail; longer text is cut, not refused. */
export const MAX_FIELD_LENGTH = 200;
/** Longest kept note. */
export const MAX_NOTE_LENGTH = 2_000;

// C0/C1 controls except tab and line breaks, and the bidi overrides that can disguise a name.
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A field's text, without unsafe characters, trimmed and cut to `max`; `undefined` when blank. */
export function cleanField(raw: string | undefined, max = MAX_FIELD_LENGTH): string | undefined {
  if (raw === undefined) return undefined;
  const text = raw.replace(UNSAFE_CHARACTERS, '').trim();
  if (text.length === 0) return undefined;
  return text.length > max ? text.slice(0, max) : text;
}

/**
 * Decodes a contacts file: UTF-8 with or without a byte-order mark, or UTF-16 with one (what
 * "Unicode text" exports give). Anything else (e.g. a Windows-1251 CSV from an old Excel) is refused
 * rather than imported as mojibake.
 */
export function decodeContactFile(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: ContactFileError } {
  if (bytes.byteLength > MAX_CONTACT_FILE_BYTES) return { ok: false, error: 'too-large' };
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: new TextDecoder('utf-16le', { fatal: true }).decode(bytes) };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: new TextDecoder('utf-16be', { fatal: true }).decode(bytes) };
    // TextDecoder drops a UTF-8 byte-order mark itself.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, error: 'encoding' };
  }
}
