import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createLocalClock } from '@/lib/history/local-clock';
import type { MissedCallsSummary, MissedEntry } from '@/lib/history/missed-calls-item';
import { setLocale } from '@/lib/i18n/i18n';
import { RemoteError } from '@/lib/messaging/protocol';
import { MissedCallsModel, type MissedCallsClient, type MissedCallsSource } from '@/lib/panel/missed-calls-model';
import { setLogLevel } from '@/lib/util/logger';
import { FakeStoredValue } from '../fixtures/fake-stored-value';

const NOW = Date.UTC(2025, 2, 3, 11, 5); // 14:05 in Moscow

class FakeSource extends FakeStoredValue implements MissedCallsSource {}

function entry(overrides: Partial<MissedEntry> = {}): MissedEntry {
  return {
    numberKey: '+79161234567',
    count: 1,
    lastAt: NOW - 60_000,
    lastId: 'id-1',
    remoteRaw: '+79161234567',
    remoteE164: '+79161234567',
    refused: 0,
    busy: 0,
    ...overrides,
  };
}
const summary = (...entries: MissedEntry[]): MissedCallsSummary => ({
  count: entries.reduce((sum, e) => sum + e.count, 0),
  more: false,
  entries,
});

describe('MissedCallsModel', () => {
  let sent: { method: string; data: unknown }[];
  let failure: Error | undefined;
  let source: FakeSource;
  let model: MissedCallsModel;

  beforeEach(() => {
    fakeBrowser.reset();
    setLocale('en');
    setLogLevel('error');
    sent = [];
    failure = undefined;
    source = new FakeSource();
    const client: MissedCallsClient = {
      placeCall: async (data) => {
        sent.push({ method: 'placeCall', data });
        if (failure) throw failure;
        return { callId: 'call-9' };
      },
      dismissMissedCalls: async (data) => {
        sent.push({ method: 'dismissMissedCalls', data });
        if (failure) throw failure;
        return null;
      },
    };
    model = new MissedCallsModel({ client, source, localClock: createLocalClock('Europe/Moscow'), clock: () => NOW });
  });

  afterEach(() => {
    model.dispose();
    setLocale(undefined);
    setLogLevel('info');
  });

  it('shows one entry per number with its count and the time of the last call', async () => {
    source.stored = summary(
      entry({ count: 3, remoteName: 'Alice' }),
      entry({ numberKey: '101', remoteRaw: '101', remoteE164: undefined, lastAt: NOW - 86_400_000, refused: 1 }),
    );
    model.start();
    await Promise.resolve();
    expect(model.entries.value).toEqual([
      {
        numberKey: '+79161234567',
        label: 'Alice',
        detail: '+79161234567',
        count: 3,
        countText: '3 missed calls',
        time: '14:04',
        dialTarget: '+79161234567',
        busy: false,
      },
      {
        numberKey: '101',
        label: '101',
        count: 1,
        countText: 'Missed call',
        time: 'Yesterday 14:05',
        refusedText: 'Refused while Do not disturb was on',
        dialTarget: '101',
        busy: false,
      },
    ]);
    expect(model.countText.value).toBe('4');
  });

  it('says a name that is the number itself once', () => {
    model.receive(summary(entry({ remoteName: '+79161234567' })));
    expect(model.entries.value[0]).not.toHaveProperty('detail');
  });

  it('follows the background, and counts nothing from a value it cannot read', () => {
    model.start();
    source.publish(summary(entry()));
    expect(model.countText.value).toBe('1');
    source.publish({ count: 'many' });
    expect(model.entries.value).toEqual([]);
    expect(model.countText.value).toBeUndefined();
    model.receive({ count: 150, more: false, entries: [] });
    expect(model.countText.value).toBe('99+');
  });

  it('Call back dials the number and keeps the entry: it goes when the background says the callback connected', async () => {
    model.receive(summary(entry()));
    expect(await model.callBack('+79161234567')).toBe('call-9');
    expect(sent).toEqual([{ method: 'placeCall', data: { target: '+79161234567' } }]);
    expect(model.entries.value).toHaveLength(1);
  });

  it('Done and All done ask the background', async () => {
    model.receive(summary(entry(), entry({ numberKey: '101', remoteRaw: '101' })));
    expect(await model.done('101')).toBe(true);
    expect(await model.doneAll()).toBe(true);
    expect(sent).toEqual([
      { method: 'dismissMissedCalls', data: { numberKey: '101' } },
      { method: 'dismissMissedCalls', data: {} },
    ]);
  });

  it('shows the background’s words when a command fails', async () => {
    model.receive(summary(entry()));
    failure = new RemoteError('Error', 'No SIP account is ready to call from.');
    expect(await model.callBack('+79161234567')).toBeUndefined();
    expect(model.error.value).toBe('No SIP account is ready to call from.');
    expect(model.entries.value[0]?.busy).toBe(false);
  });

  it('is in Russian for a Russian browser', () => {
    setLocale('ru');
    model.receive(summary(entry({ count: 2 })));
    expect(model.entries.value[0]?.countText).toBe('Пропущенных звонков: 2');
  });
});
