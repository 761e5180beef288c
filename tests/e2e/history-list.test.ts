import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from './harness/process.ts';
import { PhoneRig } from './support/phone-rig.ts';

const CALLS = 1_000;
/** One call every 37 minutes, going back from now: about 26 days of history. */
const SPACING_MS = 37 * 60_000;
const callIdOf = (index: number): string => `seed-${String(index).padStart(4, '0')}`;
const OLDEST = callIdOf(CALLS - 1);

/** A history backup (the options page's import format) holding `CALLS` finished calls. */
function backupWithCalls(now: number): string {
  const calls = Array.from({ length: CALLS }, (_, index) => {
    const startedAt = now - (index + 1) * SPACING_MS;
    const callId = callIdOf(index);
    const answered = index % 3 !== 0;
    const number = `+7916${String(1_000_000 + index).slice(1)}`;
    return {
      id: `${String(startedAt).padStart(13, '0')}-${callId}`,
      callId,
      accountId: 'main',
      direction: index % 2 === 0 ? 'inbound' : 'outbound',
      remoteUri: `sip:${number}@demo.local`,
      remoteRaw: number,
      remoteE164: number,
      numberKey: number,
      ...(index === CALLS - 1 ? { remoteName: 'Самый первый клиент' } : {}),
      state: 'ended',
      startedAt,
      ...(answered ? { answeredAt: startedAt + 5_000 } : {}),
      endedAt: startedAt + 65_000,
      talkMs: answered ? 60_000 : 0,
      outcome: answered ? 'answered' : 'missed',
      updatedAt: startedAt + 65_000,
      lastSeenAt: startedAt + 65_000,
    };
  });
  return JSON.stringify({
    format: 'crm-softphone/history',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    schemaVersion: 2,
    recordingsIncluded: false,
    calls,
    notes: [],
    recordings: [],
    contacts: [],
    messages: [],
    tasks: [],
  });
}

/** The History tab with a thousand calls: only the rows in view are in the document. */
describe('virtualized history list', () => {
  let rig: PhoneRig;
  let dir: string;

  beforeAll(async () => {
    rig = await PhoneRig.start();
    dir = await makeTempDir('history-list');
    const file = join(dir, 'history-backup.json');
    await writeFile(file, backupWithCalls(Date.now()));
    const options = await rig.openOptions();
    expect(await options.importHistoryBackup(file)).toBe('done');
    await options.close();
  });

  afterAll(async () => {
    await rig?.close();
    if (dir) await removeDir(dir);
  });

  it('renders a window of rows, loads further pages while scrolling, and reaches the oldest call', async () => {
    const panel = await rig.openPanel();
    await panel.openHistory();
    await panel.page.waitForSelector(`[data-testid="history-row-${callIdOf(0)}"]`, { timeout: 10_000 });
    const firstPage = await panel.historyItemsLoaded();
    expect(firstPage).toBeGreaterThan(50);
    expect(await panel.historyRowsInDom()).toBeLessThan(60);

    let reached = false;
    let scrolls = 0;
    // Every scroll to the bottom loads at least one more page (50 calls): 20 pages in all.
    while (!reached && scrolls < 40) {
      reached = await panel.scrollHistoryToBottom(OLDEST);
      scrolls += 1;
    }
    expect(reached).toBe(true);
    const oldest = await panel.page.$eval(`[data-testid="history-row-${OLDEST}"]`, (el) => el.textContent ?? '');
    expect(oldest).toContain('Самый первый клиент');
    // Everything is loaded (1,000 calls and their day titles), yet the document holds a window of it.
    expect(await panel.historyItemsLoaded()).toBeGreaterThan(CALLS);
    expect(await panel.historyRowsInDom()).toBeLessThan(60);
    expect(await panel.page.$('[data-testid="history-more"]')).toBeNull();
    // The newest call went out of the document as it scrolled away.
    expect(await panel.page.$(`[data-testid="history-row-${callIdOf(0)}"]`)).toBeNull();
  });
});
