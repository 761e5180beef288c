import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { LATEST_SCHEMA_VERSION, type AppDb } from '@/lib/db/app-db';
import { callRecordId } from '@/lib/db/call-record';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import {
  BACKUP_FORMAT,
  BACKUP_TABLES,
  BackupImportError,
  clearHistory,
  exportBackup,
  importBackup,
} from '@/lib/history/backup';
import { addNote } from '@/lib/history/call-notes';
import { journalSnapshot } from '@/lib/history/call-journal';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import { callSnapshot, openTestDb, T0 } from '../fixtures/db/test-db';

const AUDIO = new Uint8Array(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
let db: AppDb;

beforeEach(async () => {
  fakeBrowser.reset();
  db = openTestDb();
  await seed(db);
});

/** A small but complete history: two calls, notes, a recording, a contact, a message, a task. */
async function seed(target: AppDb): Promise<void> {
  await target.contacts.add({ id: 'c1', name: 'Ольга Иванова', numbers: ['+79161234567'], source: 'crm', updatedAt: T0 });
  await journalSnapshot(
    target,
    {
      calls: [callSnapshot({ id: 'live', startedAt: T0 + 120_000, remoteName: 'Olga' })],
      recent: [
        callSnapshot({
          id: 'done',
          state: CallState.Ended,
          answeredAt: T0 + 3_000,
          endedAt: T0 + 63_000,
          endReason: CallEndReason.LocalHangup,
        }),
      ],
    },
    T0 + 121_000,
    { region: 'RU' },
  );
  const doneId = callRecordId('done', T0);
  await addNote(target, { callId: doneId }, 'Обсудили договор, "срочно"', T0 + 70_000, { unique: 'n1' });
  await addNote(target, { numberKey: '+79161234567' }, 'VIP', T0 + 71_000, { unique: 'n2' });
  const recordingId = timeOrderedId(T0 + 64_000, 'r1');
  await target.recordings.add({
    id: recordingId,
    callId: doneId,
    numberKey: '+79161234567',
    createdAt: T0 + 64_000,
    type: 'audio/webm;codecs=opus',
    durationMs: 60_000,
    size: AUDIO.byteLength,
    blob: new Blob([AUDIO], { type: 'audio/webm;codecs=opus' }),
  });
  await target.calls.update(doneId, { recordingId, disposition: 'contract', quality: { mos: 4.2, codec: 'opus' } });
  await target.messages.add({
    id: timeOrderedId(T0 + 80_000, 'm1'),
    messageId: 'm1',
    accountId: 'acc-1',
    direction: 'outbound',
    remoteUri: 'sip:+79161234567@pbx',
    remoteRaw: '+79161234567',
    remoteE164: '+79161234567',
    numberKey: '+79161234567',
    body: 'Договор отправлен',
    contentType: 'text/plain',
    at: T0 + 80_000,
    status: 'sent',
  });
  await target.tasks.add({
    id: timeOrderedId(T0 + 90_000, 't1'),
    title: 'Позвонить после подписания',
    status: 'open',
    dueAt: T0 + 86_400_000,
    callId: doneId,
    createdAt: T0 + 90_000,
    updatedAt: T0 + 90_000,
  });
}

/** Every table's rows, blobs replaced by their bytes, for comparison. */
async function contents(target: AppDb) {
  const tables = await Promise.all(
    target.tables.map(async (table) => [table.name, await table.toArray()] as const),
  );
  return Object.fromEntries(
    await Promise.all(
      tables.map(async ([name, rows]) => [
        name,
        await Promise.all(
          rows.map(async (row: Record<string, unknown>) =>
            row.blob instanceof Blob ? { ...row, blob: [...new Uint8Array(await row.blob.arrayBuffer())] } : row,
          ),
        ),
      ]),
    ),
  );
}

describe('backup', () => {
  it('covers every table but the derived number directory and day totals', () => {
    expect(db.tables.map((table) => table.name).sort()).toEqual([...BACKUP_TABLES, 'numbers', 'dayTotals'].sort());
  });

  it('round-trips the whole history, audio included, into an empty database', async () => {
    const json = await exportBackup(db, { includeRecordings: true, now: T0 + 100_000 });
    const header = JSON.parse(json) as Record<string, unknown>;
    expect(header).toMatchObject({
      format: BACKUP_FORMAT,
      version: 1,
      exportedAt: '2025-03-03T09:01:40.000Z',
      schemaVersion: LATEST_SCHEMA_VERSION,
      recordingsIncluded: true,
    });
    const restored = openTestDb();
    const summary = await importBackup(restored, json, { mode: 'replace' });
    expect(summary).toEqual({ calls: 2, notes: 2, recordings: 1, contacts: 1, messages: 1, tasks: 1 });
    expect(await contents(restored)).toEqual(await contents(db));
  });

  it('can leave the audio out', async () => {
    const json = await exportBackup(db, { includeRecordings: false, now: T0 });
    expect(JSON.parse(json)).toMatchObject({ recordingsIncluded: false, recordings: [] });
    expect(json.length).toBeLessThan(AUDIO.byteLength);
    const restored = openTestDb();
    await importBackup(restored, json);
    expect(await restored.calls.count()).toBe(2);
    expect(await restored.recordings.count()).toBe(0);
  });

  it('merges into an existing history, keeping what the backup does not have', async () => {
    const json = await exportBackup(db, { includeRecordings: true, now: T0 });
    const other = openTestDb();
    await journalSnapshot(other, { calls: [callSnapshot({ id: 'other', remoteNumber: '101' })], recent: [] }, T0, { region: 'RU' });
    await importBackup(other, json, { mode: 'merge' });
    expect(await other.calls.count()).toBe(3);
    expect((await other.numbers.toArray()).map((entry) => entry.id).sort()).toEqual(['+79161234567', '101']);
  });

  it('importing the same backup twice changes nothing the second time', async () => {
    const json = await exportBackup(db, { includeRecordings: true, now: T0 });
    await importBackup(db, json);
    const once = await contents(db);
    await importBackup(db, json);
    expect(await contents(db)).toEqual(once);
  });

  it('clears all history', async () => {
    await clearHistory(db);
    for (const table of db.tables) expect(await table.count(), table.name).toBe(0);
  });
});

describe('importBackup of a bad file', () => {
  async function validBackup(): Promise<Record<string, unknown> & { calls: Record<string, unknown>[]; notes: Record<string, unknown>[]; recordings: Record<string, unknown>[] }> {
    return JSON.parse(await exportBackup(db, { includeRecordings: true, now: T0 }));
  }

  it.each<{ why: string; spoil: (backup: Awaited<ReturnType<typeof validBackup>>) => unknown; problems: (string | RegExp)[] }>([
    { why: 'not JSON', spoil: () => '{"format":', problems: [/^not JSON: /] },
    { why: 'another file', spoil: () => ({ hello: 'world' }), problems: [/not a history backup/] },
    { why: 'a newer format', spoil: (b) => ({ ...b, version: 2 }), problems: ['backup format version 2 is not supported (this version reads 1)'] },
    {
      why: 'a call without its start and with an unknown outcome',
      spoil: (b) => {
        delete b.calls[1]!.startedAt;
        b.calls[0]!.outcome = 'lost';
        return b;
      },
      problems: [/^calls\[0\]\.outcome: /, /^calls\[1\]\.startedAt: /],
    },
    {
      why: 'a note whose text is a number, and a missing table',
      spoil: (b) => {
        b.notes[0]!.text = 42;
        delete b.tasks;
        return b;
      },
      problems: [/^notes\[0\]\.text: /, /^tasks: /],
    },
    {
      why: 'audio that is not base64',
      spoil: (b) => {
        b.recordings[0]!.data = 'not base64!';
        return b;
      },
      problems: [/^recordings\[0\]\.data: /],
    },
    {
      why: 'audio of another size than stated',
      spoil: (b) => {
        b.recordings[0]!.size = 5;
        return b;
      },
      problems: ['recordings[0].size: is 5 but the audio has 70000 bytes'],
    },
    {
      why: 'the same call twice',
      spoil: (b) => ({ ...b, calls: [...b.calls, b.calls[0]] }),
      problems: [/^calls\[2\]\.id: ".*-done" appears more than once$/],
    },
  ])('rejects $why, listing what is wrong, and writes nothing', async ({ spoil, problems }) => {
    const before = await contents(db);
    const spoiled = spoil(await validBackup());
    const json = typeof spoiled === 'string' ? spoiled : JSON.stringify(spoiled);
    const error = await importBackup(db, json, { mode: 'replace' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BackupImportError);
    const listed = (error as BackupImportError).problems;
    expect(listed).toHaveLength(problems.length);
    problems.forEach((problem, i) => {
      if (typeof problem === 'string') expect(listed[i]).toBe(problem);
      else expect(listed[i]).toMatch(problem);
    });
    expect(await contents(db)).toEqual(before);
  });

  it('rolls back a replace that finds a note of an unknown call inside the transaction', async () => {
    const backup = await validBackup();
    backup.calls = backup.calls.filter((call) => call.callId !== 'done');
    const before = await contents(db);
    await expect(importBackup(db, JSON.stringify(backup), { mode: 'replace' })).rejects.toThrow(
      /notes\[0\]\.callId: no call ".*-done" in the backup or the history/,
    );
    expect(await contents(db)).toEqual(before);
  });

  it('accepts a note of a call that is only in the database when merging', async () => {
    const backup = await validBackup();
    backup.calls = [];
    await expect(importBackup(db, JSON.stringify(backup))).resolves.toMatchObject({ notes: 2 });
  });

  it('lists at most twenty problems', async () => {
    const backup = await validBackup();
    backup.calls = Array.from({ length: 30 }, () => ({}));
    const error = (await importBackup(db, JSON.stringify(backup)).catch((caught: unknown) => caught)) as BackupImportError;
    expect(error.problems).toHaveLength(21);
    expect(error.problems.at(-1)).toMatch(/^…and \d+ more$/);
  });
});
