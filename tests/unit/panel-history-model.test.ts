import { signal, type Signal } from '@preact/signals';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { setLocale } from '@/lib/i18n/i18n';
import type { HistoryFilterName, HistoryRow, NumberHit, TimelineEntry } from '@/lib/history/history-row';
import { createLocalClock } from '@/lib/history/local-clock';
import { RemoteError } from '@/lib/messaging/protocol';
import { extensionOf, HistoryModel, recordingFileName, type HistoryClient, type MessageFeed } from '@/lib/panel/history-model';
import { CallEndReason } from '@/lib/phone/call-state';
import { setLogLevel } from '@/lib/util/logger';

/** 2023-11-14 22:13:20 UTC. */
const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

function row(id: string, overrides: Partial<HistoryRow> = {}): HistoryRow {
  return {
    id: `h-${id}`,
    callId: id,
    direction: 'inbound',
    outcome: 'answered',
    remoteRaw: '+7 916 123-45-67',
    remoteE164: '+79161234567',
    startedAt: T0,
    answeredAt: T0 + 5_000,
    endedAt: T0 + 70_000,
    talkSeconds: 65,
    noteCount: 0,
    ...overrides,
  };
}

/** A background holding a list of calls, answering pages of `limit` from it. */
class FakeHistoryClient implements HistoryClient {
  readonly sent: { method: string; data: unknown }[] = [];
  calls: HistoryRow[] = [];
  failure: Error | undefined;

  getHistoryPage: HistoryClient['getHistoryPage'] = async (data) => {
    this.sent.push({ method: 'getHistoryPage', data });
    if (this.failure) throw this.failure;
    const matching = this.calls.filter((call) => matches(call, data.filter));
    const start = data.cursor === undefined ? 0 : matching.findIndex((call) => call.id === data.cursor) + 1;
    const rows = matching.slice(start, start + data.limit);
    const more = start + data.limit < matching.length;
    return { rows, ...(more ? { nextCursor: rows.at(-1)!.id } : {}) };
  };
  saveCallNote: HistoryClient['saveCallNote'] = async (data) => {
    this.sent.push({ method: 'saveCallNote', data });
    if (this.failure) throw this.failure;
    return { noteId: 'note-1' };
  };
  /** Rows every search answers with. */
  found: HistoryRow[] = [];
  timelineEntries: TimelineEntry[] = [];
  /** Numbers every search answers with besides the rows. */
  foundNumbers: NumberHit[] = [];
  searchHistory: HistoryClient['searchHistory'] = async (data) => {
    this.sent.push({ method: 'searchHistory', data });
    if (this.failure) throw this.failure;
    return { rows: this.found, numbers: this.foundNumbers };
  };
  getNumberTimeline: HistoryClient['getNumberTimeline'] = async (data) => {
    this.sent.push({ method: 'getNumberTimeline', data });
    if (this.failure) throw this.failure;
    return { entries: this.timelineEntries };
  };
  /** What every send answers with (or rejects with, when an Error). */
  sendAnswer: Awaited<ReturnType<HistoryClient['sendMessage']>> | Error = { id: 'm-1', status: 'sent' };
  sendMessage: HistoryClient['sendMessage'] = async (data) => {
    this.sent.push({ method: 'sendMessage', data });
    if (this.sendAnswer instanceof Error) throw this.sendAnswer;
    return this.sendAnswer;
  };
  placeCall: HistoryClient['placeCall'] = async (data) => {
    this.sent.push({ method: 'placeCall', data });
    if (this.failure) throw this.failure;
    return { callId: 'new-call' };
  };
  /** Base64 audio every recording answers with. */
  audio = { mimeType: 'audio/webm;codecs=opus', data: btoa('OggS-or-webm'), durationMs: 3_000 };
  getRecordingAudio: HistoryClient['getRecordingAudio'] = async (data) => {
    this.sent.push({ method: 'getRecordingAudio', data });
    if (this.failure) throw this.failure;
    return this.audio;
  };
  deleteRecording: HistoryClient['deleteRecording'] = async (data) => {
    this.sent.push({ method: 'deleteRecording', data });
    if (this.failure) throw this.failure;
    return null;
  };

  count(method: string): number {
    return this.sent.filter((entry) => entry.method === method).length;
  }
}

function matches(call: HistoryRow, filter: HistoryFilterName): boolean {
  if (filter === 'all') return true;
  if (filter === 'missed') return call.outcome === 'missed';
  return call.direction === filter;
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

let client: FakeHistoryClient;
let recent: Signal<readonly { id: string }[]>;

function makeModel(pageSize = 50, searchDebounceMs = 200): HistoryModel {
  return new HistoryModel({
    searchDebounceMs,
    client,
    recent,
    localClock: createLocalClock('UTC'),
    clock: () => T0 + HOUR,
    pageSize,
  });
}

beforeEach(() => {
  fakeBrowser.reset();
  setLocale('en');
  setLogLevel('error');
  client = new FakeHistoryClient();
  recent = signal<readonly { id: string }[]>([]);
});

describe('HistoryModel', () => {
  it('loads the first page on start and groups the calls by local day', async () => {
    client.calls = [
      row('a', { startedAt: T0 }),
      row('b', { startedAt: T0 - HOUR, direction: 'outbound' }),
      row('c', { startedAt: T0 - 24 * HOUR, outcome: 'missed', answeredAt: undefined, talkSeconds: 0 }),
      row('d', { startedAt: T0 - 72 * HOUR }),
    ];
    const model = makeModel();
    model.start();
    await flush();
    expect(client.sent[0]).toEqual({ method: 'getHistoryPage', data: { filter: 'all', limit: 50 } });
    expect(model.days.value.map((day) => [day.day, day.title, day.rows.map((r) => r.callId)])).toEqual([
      ['2023-11-14', 'Today', ['a', 'b']],
      ['2023-11-13', 'Yesterday', ['c']],
      ['2023-11-11', '2023-11-11', ['d']],
    ]);
    model.dispose();
  });

  it('shows each call with its direction, time, and talk time or outcome in words', async () => {
    client.calls = [
      row('a', { remoteName: 'Alice' }),
      row('b', { outcome: 'missed', answeredAt: undefined, talkSeconds: 0, remoteE164: undefined, remoteRaw: '101' }),
      row('c', { outcome: undefined, direction: 'outbound' }),
    ];
    const model = makeModel();
    await model.reload();
    const [a, b, c] = model.days.value[0]!.rows;
    expect(a).toMatchObject({
      label: 'Alice',
      detail: '+79161234567',
      directionText: 'Incoming',
      outcome: 'answered',
      time: '22:13',
      summary: '01:05',
      dialTarget: '+79161234567',
    });
    expect(b).toMatchObject({ label: '101', outcome: 'missed', summary: 'Missed', dialTarget: '101' });
    expect(b!.detail).toBeUndefined();
    expect(c).toMatchObject({ outcome: 'in-progress', summary: 'In progress', directionText: 'Outgoing' });
  });

  it('names a call after the contact when there is one, over the name the PBX presented', async () => {
    client.calls = [row('a', { remoteName: 'CALLER 7', contactName: 'Alice Smith' }), row('b', { contactName: 'Bob' })];
    const model = makeModel();
    await model.reload();
    const [a, b] = model.days.value[0]!.rows;
    expect(a).toMatchObject({ label: 'Alice Smith', detail: '+79161234567' });
    expect(b).toMatchObject({ label: 'Bob', detail: '+79161234567' });
  });

  it('says that an answered call was transferred, after its talk time', async () => {
    client.calls = [row('a', { endReason: CallEndReason.Transferred }), row('b', { endReason: CallEndReason.LocalHangup })];
    const model = makeModel();
    await model.reload();
    const [a, b] = model.days.value[0]!.rows;
    expect(a).toMatchObject({ outcome: 'answered', summary: '01:05 · Transferred' });
    expect(b).toMatchObject({ outcome: 'answered', summary: '01:05' });
  });

  it('does not repeat the number under a name that is the number itself', async () => {
    client.calls = [row('d', { remoteName: '1002', remoteRaw: '1002', remoteE164: undefined })];
    const model = makeModel();
    await model.reload();
    const [d] = model.days.value[0]!.rows;
    expect(d).toMatchObject({ label: '1002' });
    expect(d!.detail).toBeUndefined();
    model.dispose();
  });

  it('speaks Russian when the browser does', async () => {
    setLocale('ru');
    client.calls = [row('a', { outcome: 'busy', answeredAt: undefined, direction: 'outbound' })];
    const model = makeModel();
    await model.reload();
    expect(model.days.value[0]).toMatchObject({ title: 'Сегодня' });
    expect(model.days.value[0]!.rows[0]).toMatchObject({ summary: 'Занято', directionText: 'Исходящий' });
  });

  it('asks for the chosen filter from the first page again', async () => {
    client.calls = [row('a'), row('b', { outcome: 'missed', answeredAt: undefined })];
    const model = makeModel();
    await model.reload();
    await model.setFilter('missed');
    expect(client.sent.at(-1)).toEqual({ method: 'getHistoryPage', data: { filter: 'missed', limit: 50 } });
    expect(model.rows.value.map((r) => r.callId)).toEqual(['b']);
    await model.setFilter('missed');
    expect(client.count('getHistoryPage')).toBe(2);
  });

  it('pages with the cursor and appends, until there is no more', async () => {
    client.calls = ['a', 'b', 'c'].map((id, index) => row(id, { startedAt: T0 - index * HOUR }));
    const model = makeModel(2);
    await model.reload();
    expect(model.rows.value.map((r) => r.callId)).toEqual(['a', 'b']);
    expect(model.hasMore.value).toBe(true);
    await model.loadMore();
    expect(client.sent.at(-1)).toEqual({ method: 'getHistoryPage', data: { filter: 'all', limit: 2, cursor: 'h-b' } });
    expect(model.rows.value.map((r) => r.callId)).toEqual(['a', 'b', 'c']);
    expect(model.hasMore.value).toBe(false);
  });

  it('reloads when the phone snapshot\'s recent calls change, not on every snapshot', async () => {
    const model = makeModel();
    model.start();
    await flush();
    expect(client.count('getHistoryPage')).toBe(1);
    client.calls = [row('a')];
    recent.value = [{ id: 'a' }];
    await flush();
    expect(client.count('getHistoryPage')).toBe(2);
    expect(model.rows.value.map((r) => r.callId)).toEqual(['a']);
    recent.value = [{ id: 'a' }];
    await flush();
    expect(client.count('getHistoryPage')).toBe(2);
    model.dispose();
    recent.value = [{ id: 'b' }, { id: 'a' }];
    await flush();
    expect(client.count('getHistoryPage')).toBe(2);
  });

  it('keeps the newest answer when reloads overlap', async () => {
    client.calls = [row('a'), row('b', { outcome: 'missed', answeredAt: undefined })];
    const model = makeModel();
    const first = model.reload();
    const second = model.setFilter('missed');
    await Promise.all([first, second]);
    expect(model.rows.value.map((r) => r.callId)).toEqual(['b']);
    expect(model.loading.value).toBe(false);
  });

  it('saves a typed note against the history id and shows it as saved', async () => {
    client.calls = [row('a')];
    const model = makeModel();
    await model.reload();
    expect(model.days.value[0]!.rows[0]).toMatchObject({ noteDraft: '', canSaveNote: false });
    model.setNoteDraft('h-a', '  Wants a discount ');
    expect(model.days.value[0]!.rows[0]).toMatchObject({ noteDraft: '  Wants a discount ', canSaveNote: true });
    expect(await model.saveNote('h-a')).toBe(true);
    expect(client.sent.at(-1)).toEqual({ method: 'saveCallNote', data: { callId: 'h-a', text: 'Wants a discount' } });
    expect(model.days.value[0]!.rows[0]).toMatchObject({
      savedNote: 'Wants a discount',
      noteDraft: 'Wants a discount',
      canSaveNote: false,
    });
  });

  it('does not save a blank note', async () => {
    client.calls = [row('a', { noteText: 'Old', noteCount: 1 })];
    const model = makeModel();
    await model.reload();
    expect(model.days.value[0]!.rows[0]).toMatchObject({ noteDraft: 'Old', canSaveNote: false });
    model.setNoteDraft('h-a', '   ');
    expect(model.days.value[0]!.rows[0]!.canSaveNote).toBe(false);
    expect(await model.saveNote('h-a')).toBe(false);
    expect(client.count('saveCallNote')).toBe(0);
  });

  it('keeps the draft and shows the background\'s message when saving fails', async () => {
    client.calls = [row('a')];
    const model = makeModel();
    await model.reload();
    model.setNoteDraft('h-a', 'Later');
    client.failure = new RemoteError('NotFoundError', 'no such call');
    expect(await model.saveNote('h-a')).toBe(false);
    expect(model.error.value).toBe('no such call');
    expect(model.days.value[0]!.rows[0]).toMatchObject({ noteDraft: 'Later', savedNote: '', canSaveNote: true });
  });

  it('calls back the number of a row through placeCall', async () => {
    client.calls = [row('a'), row('b', { remoteE164: undefined, remoteRaw: '' })];
    const model = makeModel();
    await model.reload();
    expect(await model.callBack('h-a')).toBe('new-call');
    expect(client.sent.at(-1)).toEqual({ method: 'placeCall', data: { target: '+79161234567' } });
    expect(await model.callBack('h-b')).toBeUndefined();
    expect(client.count('placeCall')).toBe(1);
  });

  it('reports a call back or a page that failed', async () => {
    client.calls = [row('a')];
    const model = makeModel();
    await model.reload();
    client.failure = new Error('disconnected');
    expect(await model.callBack('h-a')).toBeUndefined();
    expect(model.error.value).toBe('The phone did not respond: disconnected');
    await model.reload();
    expect(model.error.value).toBe('The phone did not respond: disconnected');
    expect(model.rows.value.map((r) => r.callId)).toEqual(['a']);
    expect(model.loading.value).toBe(false);
  });
});

describe('HistoryModel search and timeline', () => {
  const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('asks the background once typing pauses, shows the matches, and clears back to the list', async () => {
    client.calls = [row('a')];
    client.found = [row('z', { remoteName: 'Ivan', numberKey: '+79161234567' })];
    const model = makeModel(50, 20);
    model.start();
    await flush();
    model.setQuery('i');
    model.setQuery('iv');
    model.setQuery('iva');
    expect(client.count('searchHistory')).toBe(0);
    expect(model.searching.value).toBe(true);
    await wait(40);
    expect(client.sent.filter((entry) => entry.method === 'searchHistory').map((entry) => entry.data)).toEqual([{ query: 'iva' }]);
    expect(model.searchResults.value.map((r) => [r.callId, r.label, r.numberKey])).toEqual([['z', 'Ivan', '+79161234567']]);
    model.setQuery('  ');
    expect(model.searching.value).toBe(false);
    expect(model.searchResults.value).toEqual([]);
    await wait(40);
    expect(client.count('searchHistory')).toBe(1);
    model.dispose();
  });

  it('ignores a search answer that arrives after the box was cleared', async () => {
    client.found = [row('z')];
    const model = makeModel(50, 0);
    model.setQuery('ivan');
    await wait(1);
    model.setQuery('');
    await flush();
    expect(model.searchResults.value).toEqual([]);
  });

  it("opens a row's number timeline, calls and notes newest first, and goes back", async () => {
    client.calls = [row('a', { numberKey: '+79161234567', remoteName: 'Ivan' })];
    client.timelineEntries = [
      { kind: 'note', id: 'n-1', at: T0 + 60_000, text: 'wants a quote' },
      { kind: 'call', id: 'h-a', at: T0, call: row('a', { numberKey: '+79161234567' }) },
      { kind: 'call', id: 'h-b', at: T0 - HOUR, call: row('b', { outcome: 'missed', answeredAt: undefined, talkSeconds: 0 }) },
    ];
    const model = makeModel();
    await model.reload();
    await model.openTimeline('h-a');
    expect(client.sent.at(-1)).toEqual({ method: 'getNumberTimeline', data: { numberKey: '+79161234567' } });
    const timeline = model.timeline.value!;
    expect(timeline.title).toBe('Ivan');
    expect(timeline.entries.map((entry) => [entry.kind, entry.time, entry.text])).toEqual([
      ['note', '2023-11-14 22:14', 'wants a quote'],
      ['call', '2023-11-14 22:13', 'Incoming · 01:05'],
      ['call', '2023-11-14 21:13', 'Incoming · Missed'],
    ]);
    model.closeTimeline();
    expect(model.timeline.value).toBeUndefined();
  });

  it('shows recordings in the timeline and loads their audio only when asked', async () => {
    client.calls = [row('a', { numberKey: '+79161234567', recordingId: 'r-1' })];
    client.timelineEntries = [
      { kind: 'recording', id: 'r-1', at: T0 + 5_000, callId: 'h-a', mimeType: 'audio/ogg;codecs=opus', durationMs: 65_400, size: 262_000 },
      { kind: 'call', id: 'h-a', at: T0, call: row('a', { numberKey: '+79161234567', recordingId: 'r-1' }) },
    ];
    const urls: string[] = [];
    const revoked: string[] = [];
    const model = new HistoryModel({
      client,
      recent,
      localClock: createLocalClock('UTC'),
      clock: () => T0 + HOUR,
      objectUrls: {
        create: (blob) => {
          urls.push(`blob:${blob.type}:${blob.size}`);
          return urls.at(-1)!;
        },
        revoke: (url) => revoked.push(url),
      },
    });
    await model.reload();
    expect(model.days.value[0]!.rows[0]!.hasRecording).toBe(true);
    await model.openTimeline('h-a');
    const [entry] = model.timeline.value!.entries;
    expect(entry).toMatchObject({
      kind: 'recording',
      text: '01:05 · 262 KB',
      recording: {
        durationText: '01:05',
        sizeText: '262 KB',
        audio: 'idle',
        fileName: 'recording_+79161234567_2023-11-14_22-13.ogg',
        confirmingDelete: false,
      },
    });
    expect(client.count('getRecordingAudio')).toBe(0);
    await model.loadRecording('r-1');
    await model.loadRecording('r-1');
    expect(client.count('getRecordingAudio')).toBe(1);
    expect(model.timeline.value!.entries[0]!.recording).toMatchObject({ audio: 'ready', url: 'blob:audio/webm;codecs=opus:12' });
    model.closeTimeline();
    expect(revoked).toEqual(['blob:audio/webm;codecs=opus:12']);
  });

  it('deletes a recording only after confirmation; the call stays in the timeline', async () => {
    client.calls = [row('a', { numberKey: '+79161234567', recordingId: 'r-1' })];
    client.timelineEntries = [
      { kind: 'recording', id: 'r-1', at: T0 + 5_000, callId: 'h-a', mimeType: 'audio/webm;codecs=opus', durationMs: 3_000, size: 12_000 },
      { kind: 'call', id: 'h-a', at: T0, call: row('a', { numberKey: '+79161234567' }) },
    ];
    const model = makeModel();
    await model.reload();
    await model.openTimeline('h-a');
    model.requestRecordingDelete('r-1');
    expect(model.timeline.value!.entries[0]!.recording?.confirmingDelete).toBe(true);
    model.cancelRecordingDelete();
    expect(await model.confirmRecordingDelete()).toBe(false);
    expect(client.count('deleteRecording')).toBe(0);
    model.requestRecordingDelete('r-1');
    expect(await model.confirmRecordingDelete()).toBe(true);
    expect(client.sent.find((entry) => entry.method === 'deleteRecording')).toEqual({
      method: 'deleteRecording',
      data: { recordingId: 'r-1' },
    });
    expect(model.timeline.value!.entries.map((entry) => entry.kind)).toEqual(['call']);
  });

  it.each([
    ['audio/webm;codecs=opus', 'webm'],
    ['audio/ogg; codecs=opus', 'ogg'],
    ['audio/mp4', 'm4a'],
    ['application/octet-stream', 'audio'],
  ])('names a %s download with .%s', (mimeType, extension) => {
    expect(extensionOf(mimeType)).toBe(extension);
    expect(recordingFileName('sip:bob@pbx/x', Date.UTC(2025, 0, 2, 3, 4), mimeType)).toBe(
      `recording_sip_bob_pbx_x_2025-01-02_03-04.${extension}`,
    );
  });

  it('does not open a timeline for a row without a number key', async () => {
    client.calls = [row('a')];
    const model = makeModel();
    await model.reload();
    await model.openTimeline('h-a');
    expect(model.timeline.value).toBeUndefined();
    expect(client.count('getNumberTimeline')).toBe(0);
  });

  it('flattens the days into list items, a day title before its calls', async () => {
    client.calls = [row('a', { startedAt: T0 }), row('b', { startedAt: T0 - HOUR }), row('c', { startedAt: T0 - 24 * HOUR })];
    const model = makeModel();
    await model.reload();
    expect(model.items.value.map((item) => (item.kind === 'day' ? `day ${item.title}` : `row ${item.row.callId}`))).toEqual([
      'day Today',
      'row a',
      'row b',
      'day Yesterday',
      'row c',
    ]);
    // Keys are unique across titles and rows: the virtualized list keys its elements by them.
    const keys = model.items.value.map((item) => item.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lists numbers found without calls, and opens their timeline', async () => {
    client.foundNumbers = [{ numberKey: '+79161234567', name: 'Иван', lastAt: T0 }];
    client.timelineEntries = [
      { kind: 'message', id: 'm-1', at: T0, direction: 'inbound', body: '<b>Привет</b>', status: 'received' },
    ];
    const model = makeModel(50, 0);
    model.setQuery('916');
    await flush();
    await flush();
    expect(model.searchNumberResults.value).toEqual([
      { numberKey: '+79161234567', label: 'Иван', detail: '+79161234567', time: '2023-11-14 22:13' },
    ]);
    await model.openNumberTimeline('+79161234567', 'Иван');
    expect(client.sent.at(-1)).toEqual({ method: 'getNumberTimeline', data: { numberKey: '+79161234567' } });
    // The body is kept as text; the component renders it as text, never as markup.
    expect(model.timeline.value?.entries).toEqual([
      {
        id: 'm-1',
        kind: 'message',
        time: '2023-11-14 22:13',
        text: '<b>Привет</b>',
        direction: 'inbound',
        status: 'received',
        statusText: 'Received',
      },
    ]);
  });

  it('words a failed message with its reason', async () => {
    client.timelineEntries = [
      { kind: 'message', id: 'm-2', at: T0, direction: 'outbound', body: 'Вы здесь?', status: 'failed', failure: 'unavailable' },
    ];
    const model = makeModel();
    await model.openNumberTimeline('1003', '1003');
    expect(model.timeline.value?.entries[0]).toMatchObject({
      status: 'failed',
      statusText: 'Not delivered',
      failureText: 'The recipient is not online (not registered) right now.',
    });
  });

  it('sends the typed message to the timeline number, clears the box and reloads the timeline', async () => {
    const model = makeModel();
    await model.openNumberTimeline('1002', '1002');
    expect(model.compose.value.canSend).toBe(false);
    model.setComposeDraft('  Добрый день!\nКогда удобно?  ');
    expect(model.compose.value).toMatchObject({ canSend: true, length: 30, maxLength: 1000 });
    await expect(model.sendMessage()).resolves.toBe(true);
    expect(client.sent.filter((entry) => entry.method === 'sendMessage')).toEqual([
      { method: 'sendMessage', data: { numberKey: '1002', body: 'Добрый день!\nКогда удобно?' } },
    ]);
    expect(model.composeDraft.value).toBe('');
    expect(client.count('getNumberTimeline')).toBe(2);
  });

  it('keeps the text and says why when the background refuses before sending', async () => {
    client.sendAnswer = new RemoteError('NoMessageAccountError', 'No SIP account is registered to send the message from.');
    const model = makeModel();
    await model.openNumberTimeline('1002', '1002');
    model.setComposeDraft('Привет');
    await expect(model.sendMessage()).resolves.toBe(false);
    expect(model.composeDraft.value).toBe('Привет');
    expect(model.compose.value.error).toBe('No SIP account is registered to send the message from.');
  });

  it.each([
    ['blank', '   \n ', true, false, undefined],
    ['1000 characters', 'я'.repeat(1000), true, true, undefined],
    ['1001 characters', 'я'.repeat(1001), true, false, 'A message can be at most 1000 characters long.'],
    ['no registered account', 'Привет', false, false, undefined],
  ])('compose box with %s', async (_name, draft, registered, canSend, problem) => {
    const model = new HistoryModel({ client, recent, canMessage: signal(registered) });
    await model.openNumberTimeline('1002', '1002');
    model.setComposeDraft(draft);
    expect(model.compose.value.canSend).toBe(canSend);
    expect(model.compose.value.problem).toBe(problem);
    expect(model.compose.value.disabledReason).toBe(
      registered ? undefined : 'Messages can be sent once a SIP account is registered.',
    );
    await model.sendMessage();
    expect(client.count('sendMessage')).toBe(canSend ? 1 : 0);
  });

  it('reloads the timeline shown when its number gets a message, and only then', async () => {
    const listeners = new Set<(numberKey: string) => void>();
    const feed: MessageFeed = {
      watch: (callback) => {
        listeners.add(callback);
        return () => listeners.delete(callback);
      },
    };
    const model = new HistoryModel({ client, recent, messageFeed: feed });
    model.start();
    await model.openNumberTimeline('1002', '1002');
    const before = client.count('getNumberTimeline');
    for (const listener of listeners) listener('1003');
    await flush();
    expect(client.count('getNumberTimeline')).toBe(before);
    for (const listener of listeners) listener('1002');
    await flush();
    expect(client.count('getNumberTimeline')).toBe(before + 1);
    model.dispose();
    expect(listeners.size).toBe(0);
  });
});
