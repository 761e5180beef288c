import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHistoryService } from '@/lib/background/history-service';
import type { AppDb } from '@/lib/db/app-db';
import { AnalyticsRequestSchema, CallAnalyticsSchema } from '@/lib/history/call-analytics-schema';
import { addNote } from '@/lib/history/call-notes';
import { HistoryRowSchema } from '@/lib/history/history-row';
import { callRow, openTestDb, T0 } from '../fixtures/db/test-db';

let db: AppDb;
const answered = callRow({ callId: 'c-1', startedAt: T0, numberKey: '+79161234567', answeredAt: T0 + 5_000, endedAt: T0 + 65_400 });
const missed = callRow({ callId: 'c-2', startedAt: T0 + 100_000, numberKey: '101' });

beforeEach(async () => {
  fakeBrowser.reset();
  db = openTestDb();
  await db.calls.bulkAdd([answered, missed]);
});

describe('history service', () => {
  it('names calls after the number\'s contact, even one added after the call', async () => {
    await db.contacts.add({ id: 'k1', name: 'Alice Smith', numbers: ['+79161234567'], source: 'local', updatedAt: T0 });
    const { rows } = await createHistoryService({ db }).getHistoryPage({ filter: 'all', limit: 10 });
    expect(rows.map((row) => [row.callId, row.contactName])).toEqual([
      ['c-2', undefined],
      ['c-1', 'Alice Smith'],
    ]);
  });

  it('answers a page of plain rows, newest first, with their notes', async () => {
    await addNote(db, { callId: answered.id }, 'first', T0 + 70_000, { unique: 'a' });
    await addNote(db, { callId: answered.id }, 'second', T0 + 80_000, { unique: 'b' });
    const service = createHistoryService({ db });
    const page = await service.getHistoryPage({ filter: 'all', limit: 1 });
    expect(page.rows.map((row) => row.callId)).toEqual(['c-2']);
    expect(page.nextCursor).toBe(missed.id);
    const next = await service.getHistoryPage({ filter: 'all', limit: 1, cursor: page.nextCursor! });
    expect(next.nextCursor).toBeUndefined();
    const [row] = next.rows;
    expect(HistoryRowSchema.parse(row)).toEqual(row);
    expect(row).toEqual({
      id: answered.id,
      callId: 'c-1',
      direction: 'inbound',
      outcome: 'answered',
      remoteRaw: '+79161234567',
      remoteE164: '+79161234567',
      numberKey: '+79161234567',
      startedAt: T0,
      answeredAt: T0 + 5_000,
      endedAt: T0 + 65_400,
      talkSeconds: 60,
      noteCount: 2,
      noteText: 'first',
      endReason: 'remote-hangup',
    });
  });

  it('filters missed calls', async () => {
    const page = await createHistoryService({ db }).getHistoryPage({ filter: 'missed', limit: 10 });
    expect(page.rows.map((row) => [row.callId, row.outcome, row.talkSeconds])).toEqual([['c-2', 'missed', 0]]);
  });

  it('adds a note to a call without one, then edits that note', async () => {
    let now = T0 + 200_000;
    const service = createHistoryService({ db, clock: () => now });
    const { noteId } = await service.saveCallNote({ callId: missed.id, text: 'Call back after lunch' });
    now += 1_000;
    expect(await service.saveCallNote({ callId: missed.id, text: 'Called back' })).toEqual({ noteId });
    expect(await db.notes.toArray()).toEqual([
      expect.objectContaining({ id: noteId, callId: missed.id, text: 'Called back', updatedAt: now }),
    ]);
  });

  it('rejects a note about an unknown call', async () => {
    await expect(createHistoryService({ db }).saveCallNote({ callId: 'nope', text: 'x' })).rejects.toThrow('no such call');
  });

  it('searches calls by name words and answers them as rows with their number key', async () => {
    await db.calls.add(
      callRow({ callId: 'c-3', startedAt: T0 + 200_000, numberKey: '+74951112233', remoteName: 'Ivan Petrov', words: ['ivan', 'petrov'] }),
    );
    const service = createHistoryService({ db });
    const { rows } = await service.searchHistory({ query: 'petr' });
    expect(rows.map((row) => [row.callId, row.numberKey])).toEqual([['c-3', '+74951112233']]);
    expect((await service.searchHistory({ query: '   ' })).rows).toEqual([]);
  });

  it("merges a number's calls and notes newest first, leaving other numbers out", async () => {
    await addNote(db, { callId: answered.id }, 'asked for a quote', T0 + 70_000, { unique: 'a' });
    await addNote(db, { callId: missed.id }, 'other number', T0 + 110_000, { unique: 'b' });
    await db.calls.add(callRow({ callId: 'c-4', startedAt: T0 + 300_000, numberKey: '+79161234567' }));
    const { entries } = await createHistoryService({ db }).getNumberTimeline({ numberKey: '+79161234567' });
    expect(entries.map((entry) => (entry.kind === 'call' ? `call ${entry.call.callId}` : entry.kind === 'note' ? `note ${entry.text}` : entry.kind === 'message' ? `message ${entry.body}` : entry.kind))).toEqual([
      'call c-4',
      'note asked for a quote',
      'call c-1',
    ]);
    expect(entries.map((entry) => entry.at)).toEqual([T0 + 300_000, T0 + 70_000, T0]);
  });

  it("gives each call of the timeline its notes, the first one as its note text", async () => {
    await addNote(db, { callId: answered.id }, 'asked for a quote', T0 + 70_000, { unique: 'a' });
    await addNote(db, { callId: answered.id }, 'sent it', T0 + 90_000, { unique: 'b' });
    await addNote(db, { numberKey: '+79161234567' }, 'about the number', T0 + 95_000, { unique: 'c' });
    const { entries } = await createHistoryService({ db }).getNumberTimeline({ numberKey: '+79161234567' });
    const call = entries.find((entry) => entry.kind === 'call');
    expect(call?.kind === 'call' && call.call).toMatchObject({ noteCount: 2, noteText: 'asked for a quote' });
  });
});

describe('history service: analytics', () => {
  const today = { from: Date.UTC(2025, 2, 2, 21), to: Date.UTC(2025, 2, 3, 21), timeZone: 'Europe/Moscow' };

  it("answers the day's analytics in the schema the panel checks", async () => {
    const result = await createHistoryService({ db }).getAnalytics(today);
    expect(CallAnalyticsSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({ calls: 2, answered: 1, missed: 1, talkMs: 60_400, averageTalkMs: 60_400 });
    expect(result.byDay).toEqual([
      { day: '2025-03-03', calls: 2, inbound: 2, outbound: 0, answered: 1, missed: 1, talkMs: 60_400 },
    ]);
    expect(result.callbacks).toEqual({ missed: 1, calledBack: 0, neverCalledBack: 1 });
  });

  it.each([
    { why: 'an unknown time zone', request: { ...today, timeZone: 'Mars/Olympus' }, message: /unknown time zone/ },
    { why: 'a range that ends before it starts', request: { ...today, to: today.from }, message: /must end after it starts/ },
    { why: 'eleven years', request: { ...today, from: today.to - 11 * 365 * 86_400_000 }, message: /at most 3660 days/ },
  ])('refuses $why with a worded reason', ({ request, message }) => {
    const parsed = AnalyticsRequestSchema.safeParse(request);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message).join('\n')).toMatch(message);
  });
});
