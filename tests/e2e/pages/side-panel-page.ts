import type { Browser, Page } from 'puppeteer-core';

/** The side panel, opened as a tab (sidePanel.open() needs a user gesture headless Chromium lacks). */
export class SidePanelPage {
  readonly page: Page;

  private constructor(page: Page) {
    this.page = page;
  }

  static async open(browser: Browser, extensionId: string): Promise<SidePanelPage> {
    const page = await browser.newPage();
    await page.goto(`chrome-extension://${extensionId}/sidepanel.html`);
    await page.waitForSelector('[data-testid="registration-status"], [data-testid="open-options"]');
    return new SidePanelPage(page);
  }

  /** `data-state` of the first account's status, or undefined when there is none. */
  async registrationState(): Promise<string | undefined> {
    return this.page
      .$eval('[data-testid="registration-status"]', (el) => el.getAttribute('data-state') ?? undefined)
      .catch(() => undefined);
  }

  async waitForRegistration(state: string, timeoutMs = 15_000): Promise<void> {
    await this.page.waitForFunction(
      (wanted) => document.querySelector('[data-testid="registration-status"]')?.getAttribute('data-state') === wanted,
      // Poll on a timer: a background tab gets no animation frames (puppeteer's default polling).
      { timeout: timeoutMs, polling: 200 },
      state,
    );
  }

  async failureText(): Promise<string> {
    return this.page.$eval('[data-testid="registration-failure"]', (el) => el.textContent ?? '');
  }

  /** Types a number into the dialpad field and presses Call. */
  async dial(number: string): Promise<void> {
    // Another tab (the far end) may be in front; background tabs get no animation frames, so clicks stall.
    await this.page.bringToFront();
    const input = await this.page.waitForSelector('[data-testid="dial-input"]');
    await input!.click({ count: 3 });
    await input!.press('Backspace');
    await input!.type(number);
    await this.page.waitForSelector('[data-testid="dial-call"]:not([disabled])');
    await this.page.click('[data-testid="dial-call"]');
  }

  async previewText(): Promise<string> {
    return this.page.$eval('[data-testid="dial-preview"]', (el) => el.textContent ?? '');
  }

  /** Waits for a call shown with `state` (and `direction` if given); returns its id. */
  async waitForCall(state: string, direction?: 'inbound' | 'outbound', timeoutMs = 15_000): Promise<string> {
    const selector = `[data-testid^="call-"][data-state="${state}"]${direction ? `[data-direction="${direction}"]` : ''}`;
    const element = await this.page.waitForSelector(selector, { timeout: timeoutMs });
    const testId = await element!.evaluate((el) => el.getAttribute('data-testid') ?? '');
    return testId.replace(/^call-/, '');
  }

  async waitForNoCalls(timeoutMs = 15_000): Promise<void> {
    await this.page.waitForFunction(
      () => document.querySelectorAll('[data-testid^="call-"][data-state]').length === 0,
      { timeout: timeoutMs, polling: 200 },
    );
  }

  private async clickInCall(callId: string, control: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.click(`[data-testid="call-${callId}"] [data-testid="${control}"]`);
  }

  answer(callId: string): Promise<void> {
    return this.clickInCall(callId, 'call-answer');
  }

  decline(callId: string): Promise<void> {
    return this.clickInCall(callId, 'call-decline');
  }

  hangup(callId: string): Promise<void> {
    return this.clickInCall(callId, 'call-hangup');
  }

  mute(callId: string): Promise<void> {
    return this.clickInCall(callId, 'call-mute');
  }

  async callText(callId: string, part: 'call-remote' | 'call-timer'): Promise<string> {
    return this.page.$eval(
      `[data-testid="call-${callId}"] [data-testid="${part}"]`,
      (el) => el.textContent ?? '',
    );
  }

  /**
   * `data-reason` of the "call ended" notice once it shows — for call `callId` when given (the notice
   * of an earlier call may still be on screen for a few seconds).
   */
  async waitForEndedReason(callId?: string, timeoutMs = 15_000): Promise<string> {
    const selector = callId ? `[data-testid="call-ended"][data-call-id="${callId}"]` : '[data-testid="call-ended"]';
    const element = await this.page.waitForSelector(selector, { timeout: timeoutMs });
    return element!.evaluate((el) => el.getAttribute('data-reason') ?? '');
  }

  /** Switches back to the Phone tab (the dialpad). */
  async showPhone(): Promise<void> {
    await this.page.bringToFront();
    await this.page.click('[data-testid="tab-phone"]');
  }

  /** Switches to the History tab and returns the `data-outcome` of the history row of call `callId`. */
  async historyOutcome(callId: string, timeoutMs = 10_000): Promise<string> {
    await this.page.bringToFront();
    await this.page.click('[data-testid="tab-history"]');
    const row = await this.page.waitForSelector(`[data-testid="history-row-${callId}"]`, { timeout: timeoutMs });
    return row!.evaluate((el) => el.getAttribute('data-outcome') ?? '');
  }

  /** Switches to the Analytics tab and chooses a period (`today`, `last7`, …). */
  async openAnalytics(preset: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.click('[data-testid="tab-analytics"]');
    await this.page.click(`[data-testid="analytics-range-${preset}"]`);
  }

  /**
   * The raw figures of the analytics' key-figure tiles (`data-value`: counts, a share, milliseconds)
   * by tile id, once `ready` accepts them (the panel asks again as calls end, so wait for the answer
   * expected rather than read the first one).
   */
  async analyticsFigures(
    ready: (figures: Record<string, number>) => boolean,
    timeoutMs = 10_000,
  ): Promise<Record<string, number>> {
    const read = (): Promise<Record<string, number>> =>
      this.page.$$eval('[data-testid^="analytics-kpi-"]', (tiles) =>
        Object.fromEntries(
          tiles
            .filter((tile) => tile.hasAttribute('data-value'))
            .map((tile) => [tile.getAttribute('data-testid')!.replace('analytics-kpi-', ''), Number(tile.getAttribute('data-value'))]),
        ),
      );
    const deadline = Date.now() + timeoutMs;
    let figures = await read();
    while (!ready(figures)) {
      if (Date.now() > deadline) throw new Error(`analytics never showed the figures expected; last seen ${JSON.stringify(figures)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      figures = await read();
    }
    return figures;
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
