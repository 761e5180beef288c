import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHistoryTools, type HistoryTools } from '@/lib/background/history-tools';
import type { AppDb } from '@/lib/db/app-db';
import { BACKUP_FORMAT } from '@/lib/history/backup';
import { callRow, openTestDb, T0 } from '../fixtures/db/test-db';

let db: AppDb;
let tools: HistoryTools;

beforeEach(async () => {
  fakeBrowser.reset();
  db = openTestDb();
  tools = createHistoryTools({ db, now: () => T0 + 86_400_000 });
  await db.calls.bulkAdd([
    callRow({ callId: 'a', startedAt: T0, numberKey: '+79161234567', answeredAt: T0 + 2_000 }),
    callRow({ callId: 'b', startedAt: T0 + 60_000, numberKey: '+79160000000' }),
  ]);
});

describe('HistoryTools', () => {
  it('exports every call as CSV with a header row', async () => {
    const { csv } = await tools.exportCallsCsv();
    const lines = csv.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(csv).toContain('+79161234567');
    expect(csv).toContain('+79160000000');
  });

  it('exports a backup that imports back into an empty database', async () => {
    const { json } = await tools.exportBackup({ includeRecordings: false });
    const backup = JSON.parse(json) as { format: string; recordingsIncluded: boolean; calls: unknown[] };
    expect(backup.format).toBe(BACKUP_FORMAT);
    expect(backup.recordingsIncluded).toBe(false);
    expect(backup.calls).toHaveLength(2);

    const other = openTestDb(undefined, 'other');
    const result = await createHistoryTools({ db: other }).importBackup(json);
    expect(result).toEqual({
      ok: true,
      counts: { calls: 2, notes: 0, recordings: 0, contacts: 0, messages: 0, tasks: 0 },
    });
    expect(await other.calls.count()).toBe(2);
  });

  it.each([
    ['not JSON', '{oops'],
    ['not a backup', JSON.stringify({ hello: 'world' })],
    ['a backup with broken rows', JSON.stringify({ format: BACKUP_FORMAT, version: 1, calls: 'many' })],
  ])('returns the problems of %s as data and writes nothing', async (_name, json) => {
    await tools.clearHistory();
    const result = await tools.importBackup(json);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
    expect(await db.calls.count()).toBe(0);
  });

  it('clears all history', async () => {
    expect(await tools.clearHistory()).toBeNull();
    expect(await db.calls.count()).toBe(0);
    expect((await tools.exportCallsCsv()).csv.replace(/^\ufeff/, '').trimEnd().split('\r\n')).toHaveLength(1);
  });
});
