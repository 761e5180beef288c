import { describe, expect, it } from 'vitest';
import { PhoneRig } from './support/phone-rig.ts';

/** The customer's timeline and search in the panel's History tab, after real calls. */
describe('history search and the customer timeline', () => {
  it('finds the customer by number and shows their calls and notes in one timeline', async () => {
    const rig = await PhoneRig.start();
    try {
      const panel = await rig.openPanel();
      await panel.waitForRegistration('registered');
      const customer = await rig.openFarEnd('1002');
      // Two calls from the customer: one missed, one answered and hung up by the agent.
      await customer.call('1001');
      const missed = await panel.waitForCall('incoming', 'inbound');
      await customer.cancel();
      await panel.waitForEndedReason(missed);
      await customer.call('1001');
      const answered = await panel.waitForCall('incoming', 'inbound');
      await panel.answer(answered);
      await panel.waitForCall('established', 'inbound');
      await panel.hangup(answered);
      await panel.waitForEndedReason(answered);

      const page = panel.page;
      await page.bringToFront();
      await page.click('[data-testid="tab-history"]');
      const row = await page.waitForSelector(`[data-testid="history-row-${answered}"]`, { timeout: 10_000 });
      await (await row!.$('[data-testid="history-note-input"]'))!.type('Wants a quote');
      await (await row!.$('[data-testid="history-note-save"]'))!.click();

      // The note's words find the call it was written on.
      await page.type('[data-testid="history-search"]', 'quote');
      await page.waitForSelector(`[data-testid="history-row-${answered}"]`, { timeout: 10_000 });
      expect(await page.$(`[data-testid="history-row-${missed}"]`)).toBeNull();
      await page.click('[data-testid="history-search"]', { count: 3 });
      await page.keyboard.press('Backspace');

      await page.type('[data-testid="history-search"]', '1002');
      await page.waitForFunction(
        (a, b) =>
          document.querySelector(`[data-testid="history-row-${a}"]`) !== null &&
          document.querySelector(`[data-testid="history-row-${b}"]`) !== null,
        { timeout: 10_000, polling: 200 },
        missed,
        answered,
      );

      await page.click(`[data-testid="history-row-${answered}"] [data-testid="history-open-timeline"]`);
      await page.waitForSelector('[data-testid="timeline"]', { timeout: 10_000 });
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="timeline-entry"][data-kind="note"]').length === 1,
        { timeout: 10_000, polling: 200 },
      );
      const kinds = await page.$$eval('[data-testid="timeline-entry"]', (els) => els.map((el) => el.getAttribute('data-kind')));
      expect(kinds.filter((k) => k === 'call')).toHaveLength(2);
      expect(kinds.filter((k) => k === 'note')).toHaveLength(1);
      const text = await page.$eval('[data-testid="timeline"]', (el) => el.textContent ?? '');
      expect(text).toContain('Wants a quote');
      await page.click('[data-testid="timeline-back"]');
      await page.waitForSelector('[data-testid="history-search"]');
    } finally {
      await rig.close();
    }
  });
});
