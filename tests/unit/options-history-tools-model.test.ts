import { beforeEach, describe, expect, it } from 'vitest';
import { createHistoryToolsModel, type HistoryToolsModel } from '@/lib/options/history-tools-model';
import type { HistoryImportResult } from '@/lib/messaging/options-to-background';
import { setLogLevel } from '@/lib/util/logger';

const NOW = new Date(2025, 2, 3, 12, 0, 0).getTime();
const COUNTS = { calls: 2, notes: 1, recordings: 0, contacts: 0, messages: 0, tasks: 0 };

/** A fake background: remembers what it was asked and answers as told. */
function fakeClient() {
  const calls: { method: string; data: unknown }[] = [];
  const client = {
    importResult: { ok: true, counts: COUNTS } as HistoryImportResult,
    failWith: undefined as Error | undefined,
    calls,
    async exportCallsCsv(data: Record<string, never>) {
      calls.push({ method: 'exportCallsCsv', data });
      if (client.failWith) throw client.failWith;
      return { csv: 'id,number\r\n' };
    },
    async exportHistoryBackup(data: { includeRecordings: boolean }) {
      calls.push({ method: 'exportHistoryBackup', data });
      return { json: '{"format":"x"}' };
    },
    async importHistoryBackup(data: { json: string }) {
      calls.push({ method: 'importHistoryBackup', data });
      if (client.failWith) throw client.failWith;
      return client.importResult;
    },
    async clearHistory(data: Record<string, never>) {
      calls.push({ method: 'clearHistory', data });
      return null;
    },
  };
  return client;
}

const picked = (text: string, name = 'history.json') => ({ name, text: async () => text });

let client: ReturnType<typeof fakeClient>;
let downloads: { fileName: string; text: string; type?: string }[];
let model: HistoryToolsModel;

beforeEach(() => {
  setLogLevel('error');
  client = fakeClient();
  downloads = [];
  model = createHistoryToolsModel({
    client,
    download: (fileName, text, type) => downloads.push({ fileName, text, type }),
    now: () => NOW,
  });
});

describe('HistoryToolsModel', () => {
  it('downloads the call log as calls-YYYY-MM-DD.csv', async () => {
    await model.exportCsv();
    expect(downloads).toEqual([{ fileName: 'calls-2025-03-03.csv', text: 'id,number\r\n', type: 'text/csv' }]);
    expect(model.status.value).toEqual({ state: 'exported', fileName: 'calls-2025-03-03.csv' });
  });

  it('shows a failed export instead of throwing', async () => {
    client.failWith = new Error('no worker');
    await model.exportCsv();
    expect(downloads).toEqual([]);
    expect(model.status.value).toEqual({ state: 'failed', message: 'no worker' });
  });

  it('exports backups without recordings unless asked', async () => {
    expect(model.includeRecordings.value).toBe(false);
    await model.exportBackup();
    model.setIncludeRecordings(true);
    await model.exportBackup();
    expect(client.calls.map((c) => c.data)).toEqual([{ includeRecordings: false }, { includeRecordings: true }]);
    expect(downloads.map((d) => d.fileName)).toEqual(['history-2025-03-03.json', 'history-2025-03-03.json']);
  });

  it('imports a file only after confirmation', async () => {
    await model.readFile(picked(JSON.stringify({ calls: [{}, {}] })));
    expect(model.importState.value).toMatchObject({ state: 'confirming', fileName: 'history.json', calls: 2 });
    expect(client.calls).toEqual([]);

    await model.confirmImport();
    expect(client.calls.map((c) => c.method)).toEqual(['importHistoryBackup']);
    expect(model.importState.value).toEqual({ state: 'done', fileName: 'history.json', counts: COUNTS });
  });

  it('can cancel a pending import', async () => {
    await model.readFile(picked('{}'));
    model.cancelImport();
    await model.confirmImport();
    expect(model.importState.value).toEqual({ state: 'idle' });
    expect(client.calls).toEqual([]);
  });

  it('lists the problems of a file that is not JSON without asking the background', async () => {
    await model.readFile(picked('{nope'));
    const state = model.importState.value;
    expect(state.state).toBe('invalid');
    if (state.state === 'invalid') expect(state.problems[0]).toMatch(/^not JSON/);
    expect(client.calls).toEqual([]);
  });

  it('lists the problems the background found', async () => {
    client.importResult = { ok: false, problems: ['calls[0].id: required'] };
    await model.readFile(picked('{}'));
    await model.confirmImport();
    expect(model.importState.value).toEqual({
      state: 'invalid',
      fileName: 'history.json',
      problems: ['calls[0].id: required'],
    });
  });

  it('reports an import that failed to run', async () => {
    await model.readFile(picked('{}'));
    client.failWith = new Error('gone');
    await model.confirmImport();
    expect(model.importState.value).toEqual({ state: 'failed', fileName: 'history.json', message: 'gone' });
  });

  it('clears history only on the second step', async () => {
    await model.confirmClear();
    expect(client.calls).toEqual([]);

    model.requestClear();
    expect(model.clearArmed.value).toBe(true);
    model.cancelClear();
    await model.confirmClear();
    expect(client.calls).toEqual([]);

    model.requestClear();
    await model.confirmClear();
    expect(client.calls.map((c) => c.method)).toEqual(['clearHistory']);
    expect(model.clearArmed.value).toBe(false);
    expect(model.status.value).toEqual({ state: 'cleared' });
  });
});
