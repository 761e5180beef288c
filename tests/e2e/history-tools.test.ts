import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from './harness/process.ts';
import { PhoneRig, pollUntil } from './support/phone-rig.ts';

/** The options page's history tools with a real call in the history: CSV export, then clear all. */
describe('history tools on the options page', () => {
  let rig: PhoneRig;
  let downloads: string;

  beforeAll(async () => {
    rig = await PhoneRig.start();
    downloads = await makeTempDir('history-downloads');
    const panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    const customer = await rig.openFarEnd('1002', 'pw1002');
    await customer.call('1001');
    const callId = await panel.waitForCall('incoming', 'inbound');
    await customer.cancel();
    await panel.waitForEndedReason(callId);
  });

  afterAll(async () => {
    await rig?.close();
    if (downloads) await removeDir(downloads);
  });

  it('exports the call log as CSV: a UTF-8 BOM for Excel, the header, and the missed call', async () => {
    const page = await rig.chromium.browser.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.goto(`chrome-extension://${rig.extensionId}/options.html`);
    await page.bringToFront();
    await page.waitForSelector('[data-testid="history-export-csv"]');
    await page.click('[data-testid="history-export-csv"]');
    const files = await pollUntil(
      async () => readdirSync(downloads).filter((f) => f.endsWith('.csv')),
      (list) => list.length > 0,
    );
    expect(files).toHaveLength(1);
    const csv = readFileSync(`${downloads}/${files[0]}`, 'utf8');
    expect(csv.startsWith('\ufeffstarted_at,answered_at,ended_at,direction,outcome,number,')).toBe(true);
    const rows = csv.trim().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/,inbound,missed,/);
    expect(rows[1]).toContain('1002');
  });

  it('clears all history after confirmation: the panel then lists nothing', async () => {
    // Before: the panel's history shows the missed call.
    const before = await rig.openPanel();
    await before.page.bringToFront();
    await before.page.click('[data-testid="tab-history"]');
    await before.page.waitForSelector('[data-testid^="history-row-"]', { timeout: 10_000 });
    await before.close();

    const page = await rig.chromium.browser.newPage();
    await page.goto(`chrome-extension://${rig.extensionId}/options.html`);
    await page.bringToFront();
    await page.waitForSelector('[data-testid="history-clear"]');
    await page.click('[data-testid="history-clear"]');
    await page.waitForSelector('[data-testid="history-clear-confirm"]');
    await page.click('[data-testid="history-clear-confirm"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="history-status"]')?.textContent?.trim() !== '',
      { polling: 200, timeout: 10_000 },
    );

    const after = await rig.openPanel();
    await after.page.bringToFront();
    await after.page.click('[data-testid="tab-history"]');
    await after.page.waitForSelector('[data-testid="history-empty"]', { timeout: 10_000 });
    expect(await after.page.$$('[data-testid^="history-row-"]')).toHaveLength(0);
  });
});
