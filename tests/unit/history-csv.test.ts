import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { addNote } from '@/lib/history/call-notes';
import { callsToCsv, CSV_COLUMNS, escapeCsvCell, exportCallsCsv, type CsvDelimiter } from '@/lib/history/calls-csv';
import { CallEndReason } from '@/lib/phone/call-state';
import { callRow, openTestDb, T0 } from '../fixtures/db/test-db';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('escapeCsvCell', () => {
  it.each<{ value: string; delimiter?: CsvDelimiter; cell: string; why: string }>([
    { value: 'plain', cell: 'plain', why: 'nothing to do' },
    { value: '', cell: '', why: 'empty' },
    { value: 'Иван Петров', cell: 'Иван Петров', why: 'Cyrillic as is' },
    { value: 'Smith, John', cell: '"Smith, John"', why: 'comma' },
    { value: 'Smith; John', cell: 'Smith; John', why: 'semicolon with the comma delimiter' },
    { value: 'Smith; John', delimiter: ';', cell: '"Smith; John"', why: 'semicolon with the semicolon delimiter' },
    { value: 'Smith, John', delimiter: ';', cell: 'Smith, John', why: 'comma with the semicolon delimiter' },
    { value: 'say "hi"', cell: '"say ""hi"""', why: 'quotes doubled' },
    { value: 'line 1\nline 2', cell: '"line 1\nline 2"', why: 'LF' },
    { value: 'line 1\r\nline 2', cell: '"line 1\r\nline 2"', why: 'CRLF' },
    { value: '=HYPERLINK("http://x","y")', cell: `"'=HYPERLINK(""http://x"",""y"")"`, why: 'formula, quoted too' },
    { value: '=1+1', cell: "'=1+1", why: 'formula' },
    { value: '+79161234567', cell: "'+79161234567", why: 'E.164 stays text' },
    { value: '-2+3', cell: "'-2+3", why: 'minus' },
    { value: '@SUM(A1)', cell: "'@SUM(A1)", why: 'at sign' },
    { value: '\t=cmd', cell: "'\t=cmd", why: 'leading tab' },
    { value: '\r=cmd', cell: `"'\r=cmd"`, why: 'leading CR, quoted' },
    { value: 'a=b', cell: 'a=b', why: '= not at the start' },
    { value: '120', cell: '120', why: 'a duration' },
  ])('$why: $value → $cell', ({ value, delimiter, cell }) => {
    expect(escapeCsvCell(value, delimiter)).toBe(cell);
  });
});

const answeredCall = callRow({
  callId: 'c-1',
  startedAt: T0,
  numberKey: '+79161234567',
  remoteRaw: '8 (916) 123-45-67',
  remoteName: 'Петров, Иван',
  answeredAt: T0 + 7_400,
  endedAt: T0 + 7_400 + 61_600,
  hangupBy: 'remote',
  disposition: '=cmd|calc',
  crmState: 'synced',
});
const busyCall = callRow({
  callId: 'c-2',
  direction: 'outbound',
  startedAt: T0 + 600_000,
  numberKey: '101',
  remoteRaw: '101',
  outcome: 'busy',
  endReason: CallEndReason.Rejected,
  sipCode: 486,
  ringMs: undefined,
  ringingAt: undefined,
});

describe('callsToCsv', () => {
  it('writes a BOM, a header and one CRLF-terminated row per call', () => {
    const csv = callsToCsv([answeredCall, busyCall], { notes: new Map([[answeredCall.id, 'Перезвонить\n"срочно"']]) });
    expect(csv.startsWith('\ufeffstarted_at,answered_at,ended_at,direction,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(CSV_COLUMNS.map(([name]) => name).join(','));
    expect(lines[1]).toBe(
      [
        '2025-03-03T09:00:00.000Z',
        '2025-03-03T09:00:07.400Z',
        '2025-03-03T09:01:09.000Z',
        'inbound',
        'answered',
        "'+79161234567",
        '8 (916) 123-45-67',
        '"Петров, Иван"',
        'acc-1',
        '7',
        '62',
        'remote',
        '',
        'remote-hangup',
        "'=cmd|calc",
        'no',
        'synced',
        '"Перезвонить\n""срочно"""',
        'c-1',
      ].join(','),
    );
    expect(lines[2]).toBe(
      '2025-03-03T09:10:00.000Z,,2025-03-03T09:10:30.000Z,outbound,busy,101,101,,acc-1,,0,,486,rejected,,no,,,c-2',
    );
    expect(lines[3]).toBe('');
  });

  it('can use semicolons for spreadsheets that expect them', () => {
    const csv = callsToCsv([answeredCall], { delimiter: ';' });
    expect(csv.split('\r\n')[1]).toContain(";Петров, Иван;");
  });

  it('writes only the header for no calls', () => {
    expect(callsToCsv([])).toBe(`\ufeff${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`);
  });
});

describe('exportCallsCsv', () => {
  it('exports the calls of a range, oldest first, with their notes', async () => {
    const db = openTestDb();
    const outside = callRow({ callId: 'c-0', startedAt: T0 - 86_400_000, numberKey: '+79161234567' });
    await db.calls.bulkAdd([busyCall, answeredCall, outside]);
    await addNote(db, { callId: answeredCall.id }, 'first', T0 + 100_000, { unique: 'a' });
    await addNote(db, { callId: answeredCall.id }, 'second', T0 + 200_000, { unique: 'b' });
    await addNote(db, { callId: outside.id }, 'not this one', T0 + 300_000, { unique: 'c' });
    const csv = await exportCallsCsv(db, { from: T0, to: T0 + 3_600_000 });
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines.map((line) => line.split(',').at(-1))).toEqual(['call_id', 'c-1', 'c-2']);
    expect(lines[1]).toContain(',"first\nsecond",');
    expect(csv).not.toContain('not this one');
  });
});
