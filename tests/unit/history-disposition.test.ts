import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHistoryService } from '@/lib/background/history-service';
import type { AppDb } from '@/lib/db/app-db';
import { callRecordId } from '@/lib/db/call-record';
import { setCallDisposition } from '@/lib/history/call-disposition';
import { journalSnapshot } from '@/lib/history/call-journal';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import { callSnapshot, openTestDb, T0 } from '../fixtures/db/test-db';

let db: AppDb;
const RU = { region: 'RU' };
const talking = callSnapshot({ id: 'alice', state: CallState.Established, answeredAt: T0 + 8_000 });
const over = callSnapshot({
  id: 'alice',
  state: CallState.Ended,
  answeredAt: T0 + 8_000,
  endedAt: T0 + 68_000,
  endReason: CallEndReason.RemoteHangup,
});
const aliceId = callRecordId('alice', T0);

beforeEach(async () => {
  fakeBrowser.reset();
  db = openTestDb();
  await journalSnapshot(db, { calls: [talking], recent: [] }, T0 + 9_000, RU);
});

describe('setCallDisposition', () => {
  it('sets a disposition during the call, and the journal of the end keeps it', async () => {
    await setCallDisposition(db, aliceId, 'sale', T0 + 20_000);
    expect(await db.calls.get(aliceId)).toMatchObject({ disposition: 'sale', updatedAt: T0 + 20_000 });
    await journalSnapshot(db, { calls: [], recent: [over] }, T0 + 68_000, RU);
    expect(await db.calls.get(aliceId)).toMatchObject({ disposition: 'sale', outcome: 'answered', talkMs: 60_000 });
  });

  it('replaces and clears it', async () => {
    await setCallDisposition(db, aliceId, 'sale', T0 + 20_000);
    await setCallDisposition(db, aliceId, 'Sent a quote', T0 + 21_000);
    expect((await db.calls.get(aliceId))?.disposition).toBe('Sent a quote');
    await setCallDisposition(db, aliceId, undefined, T0 + 22_000);
    const row = await db.calls.get(aliceId);
    expect(row).toBeDefined();
    expect(row).not.toHaveProperty('disposition');
  });

  it('rejects an unknown call', async () => {
    await expect(setCallDisposition(db, 'nope', 'sale', T0)).rejects.toThrow('no such call');
  });
});

describe('history service: after-call work', () => {
  it('answers the note and disposition of a call, and shows the disposition on its row', async () => {
    const service = createHistoryService({ db, clock: () => T0 + 30_000 });
    expect(await service.getCallWrapUp({ callId: aliceId })).toEqual({});
    await service.saveCallNote({ callId: aliceId, text: 'Wants an invoice' });
    await service.setCallDisposition({ callId: aliceId, disposition: 'follow-up' });
    expect(await service.getCallWrapUp({ callId: aliceId })).toEqual({
      noteText: 'Wants an invoice',
      disposition: 'follow-up',
    });
    const { rows } = await service.getHistoryPage({ filter: 'all', limit: 10 });
    expect(rows[0]).toMatchObject({ id: aliceId, disposition: 'follow-up', noteText: 'Wants an invoice' });
    await service.setCallDisposition({ callId: aliceId, disposition: null });
    expect(await service.getCallWrapUp({ callId: aliceId })).toEqual({ noteText: 'Wants an invoice' });
  });

  it('deletes the note when it is emptied', async () => {
    const service = createHistoryService({ db, clock: () => T0 + 30_000 });
    await service.saveCallNote({ callId: aliceId, text: 'Wants an invoice' });
    expect(await service.saveCallNote({ callId: aliceId, text: '  ' })).toEqual({});
    expect(await db.notes.count()).toBe(0);
    // Emptying a call without a note is not an error either.
    expect(await service.saveCallNote({ callId: aliceId, text: '' })).toEqual({});
  });
});
