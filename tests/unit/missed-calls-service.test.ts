import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { missedNotificationId, numberKeyOfMissedNotification } from '@/lib/background/missed-call-notifications';
import { createMissedCallsService } from '@/lib/background/missed-calls-service';
import type { AppDb } from '@/lib/db/app-db';
import { missedCallsItem } from '@/lib/history/missed-calls-item';
import { setLocale } from '@/lib/i18n/i18n';
import { callRow, openTestDb, T0 } from '../fixtures/db/test-db';

const MIN = 60_000;
const HOUR = 60 * MIN;
let db: AppDb;

const shown = async (): Promise<string[]> => Object.keys(await fakeBrowser.notifications.getAll()).sort();

beforeEach(async () => {
  fakeBrowser.reset();
  setLocale('en');
  vi.stubEnv('FIREFOX', '');
  vi.spyOn(fakeBrowser.notifications, 'create');
  db = openTestDb();
  await db.calls.bulkPut([
    callRow({ callId: 'a1', startedAt: T0, numberKey: '+79161234567', remoteName: 'Alice' }),
    callRow({ callId: 'a2', startedAt: T0 + MIN, numberKey: '+79161234567', remoteName: 'Alice' }),
    callRow({ callId: 'b1', startedAt: T0 + 2 * MIN, numberKey: '101', refusal: 'dnd' }),
  ]);
});

afterEach(() => {
  setLocale(undefined);
});

describe('missed-call notification ids', () => {
  it('round-trip a number key and ignore other notifications', () => {
    expect(numberKeyOfMissedNotification(missedNotificationId('+79161234567'))).toBe('+79161234567');
    expect(numberKeyOfMissedNotification('incoming:call-1')).toBeUndefined();
  });
});

describe('createMissedCallsService', () => {
  it('stores the count and one entry per number, newest first, and notifies the numbers that just missed', async () => {
    const service = createMissedCallsService({ db, clock: () => T0 + 10 * MIN });
    const summary = await service.refresh({ added: ['+79161234567'] });
    expect(summary).toMatchObject({ count: 3, more: false });
    expect(summary.entries.map((e) => [e.numberKey, e.count, e.refused])).toEqual([
      ['101', 1, 1],
      ['+79161234567', 2, 0],
    ]);
    expect(await missedCallsItem.getValue()).toEqual(summary);
    expect(await shown()).toEqual(['missed:+79161234567']);
    expect(fakeBrowser.notifications.create).toHaveBeenCalledWith(
      'missed:+79161234567',
      expect.objectContaining({
        title: 'Missed calls: 2',
        message: expect.stringMatching(/^From Alice \(\+79161234567\), last at /),
        buttons: [{ title: 'Call back' }, { title: 'Done' }],
      }),
    );
  });

  it('says that a call was refused under Do not disturb', async () => {
    await createMissedCallsService({ db }).refresh({ added: ['101'] });
    expect(fakeBrowser.notifications.create).toHaveBeenCalledWith(
      'missed:101',
      expect.objectContaining({ title: 'Missed call', message: expect.stringContaining('Refused while Do not disturb was on.') }),
    );
  });

  it('does not show again a notification the agent closed, until the number misses another call', async () => {
    const service = createMissedCallsService({ db });
    await service.refresh({ added: ['101'] });
    await fakeBrowser.notifications.clear('missed:101');
    await service.refresh();
    expect(await shown()).toEqual([]);
  });

  it('Done clears the number’s notification and its entry, and redraws the badge', async () => {
    const service = createMissedCallsService({ db, clock: () => T0 + HOUR });
    await service.refresh({ added: ['+79161234567', '101'] });
    const summary = await service.dismiss('+79161234567');
    expect(summary.entries.map((e) => e.numberKey)).toEqual(['101']);
    expect(await shown()).toEqual(['missed:101']);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    await service.dismiss();
    expect(await shown()).toEqual([]);
    expect(await missedCallsItem.getValue()).toEqual({ count: 0, more: false, entries: [] });
  });

  it('counts one at a time, so a count from before a Done never overwrites the one after it', async () => {
    const one = createMissedCallsService({ db });
    const other = createMissedCallsService({ db });
    await Promise.all([one.refresh(), other.dismiss(), one.refresh()]);
    expect((await missedCallsItem.getValue()).count).toBe(0);
  });

  it('has no buttons on Firefox (a click opens the sidebar)', async () => {
    vi.stubEnv('FIREFOX', 'true');
    await createMissedCallsService({ db }).refresh({ added: ['101'] });
    const options = vi.mocked(fakeBrowser.notifications.create).mock.calls[0]?.[1] as { buttons?: unknown };
    expect(options.buttons).toBeUndefined();
  });
});


