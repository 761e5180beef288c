import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AppDb } from '@/lib/db/app-db';
import { callRecordId } from '@/lib/db/call-record';
import { journalSnapshot } from '@/lib/history/call-journal';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import { callSnapshot, openTestDb, T0 } from '../fixtures/db/test-db';

let db: AppDb;
const RU = { region: 'RU' };

beforeEach(() => {
  fakeBrowser.reset();
  db = openTestDb();
});

describe('call quality in history', () => {
  it("keeps the live figures while the call is up and the engine's summary once it ended", async () => {
    const live = { mos: 3.1, jitterMs: 45, packetLossPct: 9, rttMs: 180, codec: 'opus' };
    const summary = { mos: 4.2, jitterMs: 8, packetLossPct: 0.4, rttMs: 35, codec: 'opus' };
    const talking = callSnapshot({ id: 'alice', state: CallState.Established, answeredAt: T0 + 5_000, quality: live });
    await journalSnapshot(db, { calls: [talking], recent: [] }, T0 + 20_000, RU);
    expect((await db.calls.get(callRecordId('alice', T0)))?.quality).toEqual(live);

    // A snapshot without figures (e.g. a mute change before the next reading) keeps the last ones.
    await journalSnapshot(db, { calls: [{ ...talking, muted: true, quality: undefined }], recent: [] }, T0 + 21_000, RU);
    expect((await db.calls.get(callRecordId('alice', T0)))?.quality).toEqual(live);

    const over = callSnapshot({
      id: 'alice',
      state: CallState.Ended,
      answeredAt: T0 + 5_000,
      endedAt: T0 + 65_000,
      endReason: CallEndReason.LocalHangup,
      quality: summary,
    });
    await journalSnapshot(db, { calls: [], recent: [over] }, T0 + 65_000, RU);
    expect(await db.calls.get(callRecordId('alice', T0))).toMatchObject({ outcome: 'answered', quality: summary });
  });
});
