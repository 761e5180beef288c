import type { Browser, Page } from 'puppeteer-core';

/** A message bubble of the timeline as the user sees it. */
export interface TimelineMessage {
  direction: string;
  status: string;
  text: string;
  /** The reason shown under a message that was not delivered. */
  failure?: string;
}

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

  /**
   * Wraps a panel page opened elsewhere, e.g. in Firefox, where a moz-extension:// page is opened
   * without awaiting its navigation (see tests/e2e/harness/firefox.ts).
   */
  static wrap(page: Page): SidePanelPage {
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

  /** The calls on screen: id, `data-state` and whether the card says "Reconnecting…". */
  async calls(): Promise<{ id: string; state: string; reconnecting: boolean }[]> {
    return this.page.$$eval('[data-testid^="call-"][data-state]', (cards) =>
      cards.map((card) => ({
        id: (card.getAttribute('data-testid') ?? '').replace(/^call-/, ''),
        state: card.getAttribute('data-state') ?? '',
        reconnecting: card.getAttribute('data-reconnecting') === 'true',
      })),
    );
  }

  /** Waits until call `callId`'s card says "Reconnecting…" (`true`) or no longer does (`false`). */
  async waitForReconnecting(callId: string, reconnecting: boolean, timeoutMs = 15_000): Promise<void> {
    await this.page.waitForFunction(
      (id, wanted) =>
        (document.querySelector(`[data-testid="call-${id}"]`)?.getAttribute('data-reconnecting') === 'true') === wanted,
      { timeout: timeoutMs, polling: 100 },
      callId,
      reconnecting,
    );
  }

  /** The state line of a call's card, as the agent reads it. */
  async callStateText(callId: string): Promise<string> {
    return this.page.$eval(`[data-testid="call-${callId}"] [data-testid="call-state"]`, (el) => el.textContent ?? '');
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

  /** Presses Hold (or Resume) on the card of call `callId`. */
  toggleHold(callId: string): Promise<void> {
    return this.clickInCall(callId, 'call-hold');
  }

  /** Waits until the card of call `callId` shows it held (`true`) or not. */
  async waitForHeld(callId: string, held: boolean, timeoutMs = 10_000): Promise<void> {
    await this.page.waitForSelector(`[data-testid="call-${callId}"][data-held="${held}"]`, { timeout: timeoutMs });
  }

  /** Waits until the card of call `callId` has the line role `role` (`active`, `held`, `waiting`, `conference`…). */
  async waitForLine(callId: string, role: string, timeoutMs = 10_000): Promise<void> {
    await this.page.waitForSelector(`[data-testid="call-${callId}"][data-line="${role}"]`, { timeout: timeoutMs });
  }

  /** The line roles of the cards on screen, top to bottom, as `[callId, role]`. */
  cardLines(): Promise<[string, string][]> {
    return this.page.$$eval('[data-testid^="call-"][data-line]', (cards) =>
      cards.map((card) => [card.getAttribute('data-testid')!.replace(/^call-/, ''), card.getAttribute('data-line') ?? ''] as [string, string]),
    );
  }

  /** The card's label among several calls ("Call waiting", "In conference"), or ''. */
  async lineText(callId: string): Promise<string> {
    const element = await this.page.$(`[data-testid="call-${callId}"] [data-testid="call-line"]`);
    return element ? element.evaluate((el) => el.textContent ?? '') : '';
  }

  /** "Hang up and answer" on a waiting call. */
  hangupAndAnswer(callId: string): Promise<void> {
    return this.clickInCall(callId, 'call-hangup-answer');
  }

  /** Splits the conference, keeping call `callId`. */
  split(callId: string): Promise<void> {
    return this.clickInCall(callId, 'call-split');
  }

  /** Presses Swap (one call active, one held). */
  async swap(): Promise<void> {
    await this.page.bringToFront();
    await this.page.click('[data-testid="line-swap"]:not([disabled])');
  }

  /** Presses Merge (one call active, one held). */
  async merge(): Promise<void> {
    await this.page.bringToFront();
    await this.page.click('[data-testid="line-merge"]:not([disabled])');
  }

  /** Waits for an error or notice about a call command; returns its text. */
  async callError(timeoutMs = 10_000): Promise<string> {
    const element = await this.page.waitForSelector('[data-testid="call-error"]', { timeout: timeoutMs });
    return element!.evaluate((el) => el.textContent ?? '');
  }

  /** The hold line of the card (on hold, held by the other side…), or '' when there is none. */
  async holdNotice(callId: string): Promise<string> {
    const element = await this.page.$(`[data-testid="call-${callId}"] [data-testid="call-hold-notice"]`);
    return element ? element.evaluate((el) => el.textContent ?? '') : '';
  }

  /** Opens the card's keypad (if closed) and presses `digits` on it, one key at a time. */
  async pressDtmf(callId: string, digits: string): Promise<void> {
    await this.page.bringToFront();
    const card = `[data-testid="call-${callId}"]`;
    if (!(await this.page.$(`${card} [data-testid="dtmf-key-0"]`))) await this.clickInCall(callId, 'call-keypad');
    for (const digit of digits) await this.page.click(`${card} [data-testid="dtmf-key-${digit}"]`);
  }

  /** Types `digits` on the keyboard with nothing focused (the panel sends them on the call that is up). */
  async typeDtmf(digits: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.type(digits);
  }

  /** Waits until the card says `digits` were sent; returns the line. */
  async waitForDtmfSent(callId: string, digits: string, timeoutMs = 10_000): Promise<string> {
    const selector = `[data-testid="call-${callId}"] [data-testid="dtmf-sent"]`;
    await this.page.waitForFunction(
      (sel, wanted) => document.querySelector(sel)?.textContent?.endsWith(wanted) === true,
      { timeout: timeoutMs, polling: 200 },
      selector,
      digits,
    );
    return this.page.$eval(selector, (el) => el.textContent ?? '');
  }

  /** Waits for the card's message about keypad digits that were not sent; returns it. */
  async waitForDtmfError(callId: string, timeoutMs = 10_000): Promise<string> {
    const element = await this.page.waitForSelector(`[data-testid="call-${callId}"] [data-testid="dtmf-error"]`, {
      timeout: timeoutMs,
    });
    return element!.evaluate((el) => el.textContent ?? '');
  }

  /** Opens the card's transfer form and types the target. */
  private async fillTransfer(callId: string, target: string): Promise<void> {
    await this.clickInCall(callId, 'call-transfer');
    const input = await this.page.waitForSelector(`[data-testid="call-${callId}"] [data-testid="transfer-input"]`);
    await input!.type(target);
  }

  /** Transfers the call to `target` at once (blind transfer). */
  async blindTransfer(callId: string, target: string): Promise<void> {
    await this.fillTransfer(callId, target);
    await this.page.waitForSelector(`[data-testid="call-${callId}"] [data-testid="transfer-now"]:not([disabled])`);
    await this.clickInCall(callId, 'transfer-now');
  }

  /** "Ask first": holds the caller and calls `target`. */
  async askFirst(callId: string, target: string): Promise<void> {
    await this.fillTransfer(callId, target);
    await this.page.waitForSelector(`[data-testid="call-${callId}"] [data-testid="transfer-ask-first"]:not([disabled])`);
    await this.clickInCall(callId, 'transfer-ask-first');
  }

  /** "Ask first": Complete transfer on the caller's card (once the target answered). */
  async completeTransfer(callId: string): Promise<void> {
    await this.page.waitForSelector(`[data-testid="call-${callId}"] [data-testid="transfer-complete"]:not([disabled])`);
    await this.clickInCall(callId, 'transfer-complete');
  }

  /** "Ask first": Back to caller on the caller's card. */
  cancelTransfer(callId: string): Promise<void> {
    return this.clickInCall(callId, 'transfer-cancel');
  }

  /** Waits for the consult call of an "ask first" transfer to be `state`; returns its id. */
  async waitForConsultCall(state: string, timeoutMs = 15_000): Promise<string> {
    const handle = await this.page.waitForFunction(
      (wanted) =>
        document
          .querySelector('[data-testid="call-consult-for"]')
          ?.closest(`[data-state="${wanted}"]`)
          ?.getAttribute('data-testid') ?? false,
      { timeout: timeoutMs, polling: 200 },
      state,
    );
    return String(await handle.jsonValue()).replace(/^call-/, '');
  }

  /** Waits until the card's transfer line is in `state` (and failed, when asked); returns its text. */
  async waitForTransfer(callId: string, state: string, failed?: boolean, timeoutMs = 15_000): Promise<string> {
    const failure = failed === undefined ? '' : `[data-failed="${failed}"]`;
    const selector = `[data-testid="call-${callId}"] [data-testid="transfer-status"][data-transfer-state="${state}"]${failure}`;
    const element = await this.page.waitForSelector(selector, { timeout: timeoutMs });
    return element!.evaluate((el) => el.textContent ?? '');
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

  /** The note and disposition editor of call `callId` (under its card, or after the call). */
  private wrapUp(callId: string): string {
    return `[data-testid="wrap-up-${callId}"]`;
  }

  /** Waits for the call's note editor to have loaded what is saved. */
  async waitForWrapUp(callId: string, timeoutMs = 10_000): Promise<void> {
    await this.page.waitForSelector(`${this.wrapUp(callId)}:not([data-status="loading"])`, { timeout: timeoutMs });
  }

  /** Types into the call's note (after what is there). */
  async typeCallNote(callId: string, text: string): Promise<void> {
    await this.page.bringToFront();
    await this.waitForWrapUp(callId);
    await this.page.type(`${this.wrapUp(callId)} [data-testid="wrap-up-note"]`, text);
  }

  /** Waits until the note editor says `status` (`saved`, `unsaved`, `saving`, `error`). */
  async waitForNoteStatus(callId: string, status: string, timeoutMs = 10_000): Promise<void> {
    await this.page.waitForSelector(`${this.wrapUp(callId)}[data-status="${status}"]`, { timeout: timeoutMs });
  }

  async callNote(callId: string): Promise<string> {
    return this.page.$eval(`${this.wrapUp(callId)} [data-testid="wrap-up-note"]`, (el) => (el as HTMLTextAreaElement).value);
  }

  /** Picks a disposition by its stored value (a standard code or a team's label). */
  async chooseDisposition(callId: string, value: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.select(`${this.wrapUp(callId)} [data-testid="wrap-up-disposition"]`, value);
  }

  async callDisposition(callId: string): Promise<string> {
    return this.page.$eval(
      `${this.wrapUp(callId)} [data-testid="wrap-up-disposition"]`,
      (el) => (el as HTMLSelectElement).value,
    );
  }

  /** Presses Done on a finished call's editor and waits for it to go. */
  async finishWrapUp(callId: string): Promise<void> {
    await this.page.bringToFront();
    // The editor of a call that just ended comes with the snapshot that ends it.
    await this.page.waitForSelector(`${this.wrapUp(callId)} [data-testid="wrap-up-done"]`, { timeout: 10_000 });
    await this.page.click(`${this.wrapUp(callId)} [data-testid="wrap-up-done"]`);
    await this.page.waitForFunction((selector) => document.querySelector(selector) === null, { polling: 200 }, this.wrapUp(callId));
  }

  /** Opens the History tab and waits for the row of call `callId`; returns its text. */
  async historyRowText(callId: string, timeoutMs = 10_000): Promise<string> {
    await this.page.bringToFront();
    await this.page.click('[data-testid="tab-history"]');
    const row = await this.page.waitForSelector(`[data-testid="history-row-${callId}"]`, { timeout: timeoutMs });
    return row!.evaluate((el) => el.textContent ?? '');
  }

  /** The saved note shown in the history row of call `callId` (the row must be on screen). */
  async historyRowNote(callId: string): Promise<string> {
    return this.page.$eval(
      `[data-testid="history-row-${callId}"] [data-testid="history-note-input"]`,
      (el) => (el as HTMLInputElement).value,
    );
  }

  /** Switches to the History tab. */
  async openHistory(): Promise<void> {
    await this.page.bringToFront();
    await this.page.click('[data-testid="tab-history"]');
    await this.page.waitForSelector('[data-testid="history-search"], [data-testid="timeline"]');
  }

  /** Replaces the history search query. */
  async search(query: string): Promise<void> {
    await this.page.bringToFront();
    const input = await this.page.waitForSelector('[data-testid="history-search"]');
    await input!.click({ count: 3 });
    await input!.press('Backspace');
    await input!.type(query);
  }

  /** Opens the timeline of a number the search found without calls (its label is `label`). */
  async openNumberResult(label: string, timeoutMs = 10_000): Promise<void> {
    await this.page.bringToFront();
    const button = await this.page.waitForFunction(
      (wanted) =>
        [...document.querySelectorAll('[data-testid="history-open-number"]')].find(
          (el) => el.querySelector('.history__label')?.textContent === wanted,
        ),
      { timeout: timeoutMs, polling: 200 },
      label,
    );
    await (button.asElement() as import('puppeteer-core').ElementHandle<Element>).click();
    await this.page.waitForSelector('[data-testid="timeline"]', { timeout: timeoutMs });
  }

  /** Back from a timeline to the list. */
  async closeTimeline(): Promise<void> {
    await this.page.bringToFront();
    await this.page.click('[data-testid="timeline-back"]');
    await this.page.waitForSelector('[data-testid="history-search"]');
  }

  /** The message bubbles of the timeline shown, newest first. */
  timelineMessages(): Promise<TimelineMessage[]> {
    return this.page.$$eval('[data-testid="timeline-entry"][data-kind="message"]', (elements) =>
      elements.map((el) => {
        const failure = el.querySelector('[data-testid="message-failure"]')?.textContent;
        return {
          direction: el.getAttribute('data-direction') ?? '',
          status: el.getAttribute('data-status') ?? '',
          text: el.querySelector('[data-testid="message-text"]')?.textContent ?? '',
          ...(failure ? { failure } : {}),
        };
      }),
    );
  }

  /** Waits until the timeline shows at least `count` messages (and `status` on the newest, if given). */
  async waitForTimelineMessages(count: number, status?: string, timeoutMs = 15_000): Promise<TimelineMessage[]> {
    await this.page.waitForFunction(
      (n, wanted) => {
        const bubbles = document.querySelectorAll('[data-testid="timeline-entry"][data-kind="message"]');
        return bubbles.length >= n && (wanted === undefined || bubbles[0]?.getAttribute('data-status') === wanted);
      },
      { timeout: timeoutMs, polling: 200 },
      count,
      status,
    );
    return this.timelineMessages();
  }

  /**
   * Types a message into the timeline's compose box, line by line (Shift+Enter between lines), and
   * sends it with Enter, as a user would.
   */
  async sendMessage(text: string): Promise<void> {
    await this.page.bringToFront();
    const box = await this.page.waitForSelector('[data-testid="compose-input"]:not([disabled])');
    await box!.focus();
    const lines = text.split('\n');
    for (const [index, line] of lines.entries()) {
      if (index > 0) {
        await this.page.keyboard.down('Shift');
        await this.page.keyboard.press('Enter');
        await this.page.keyboard.up('Shift');
      }
      await this.page.keyboard.type(line);
    }
    await this.page.keyboard.press('Enter');
  }

  /** How many call rows are in the document right now (the virtualized list renders only some). */
  historyRowsInDom(): Promise<number> {
    return this.page.$$eval('[data-testid^="history-row-"]', (rows) => rows.length);
  }

  /** How many items (day titles and calls) the virtualized history list holds in all. */
  async historyItemsLoaded(): Promise<number> {
    return Number(await this.page.$eval('[data-testid="history-list"]', (el) => el.getAttribute('data-count') ?? '0'));
  }

  /**
   * Scrolls the history list to its bottom and waits until more items are loaded or `rowId`'s row
   * is rendered; returns whether that row is rendered.
   */
  async scrollHistoryToBottom(rowId: string, timeoutMs = 10_000): Promise<boolean> {
    await this.page.bringToFront();
    const before = await this.historyItemsLoaded();
    await this.page.$eval('[data-testid="history-list"]', (list) => {
      const scroller = list.parentElement!;
      scroller.scrollTop = scroller.scrollHeight;
    });
    await this.page.waitForFunction(
      (count, id) =>
        Number(document.querySelector('[data-testid="history-list"]')?.getAttribute('data-count') ?? 0) > count ||
        document.querySelector(`[data-testid="history-row-${id}"]`) !== null,
      { timeout: timeoutMs, polling: 100 },
      before,
      rowId,
    );
    return (await this.page.$(`[data-testid="history-row-${rowId}"]`)) !== null;
  }

  /** Record / Stop recording on a call's card. */
  toggleRecording(callId: string): Promise<void> {
    return this.clickInCall(callId, 'call-record');
  }

  /** Whether the call's card shows the "Recording" indicator. */
  async isRecording(callId: string): Promise<boolean> {
    return (await this.page.$(`[data-testid="call-${callId}"] [data-testid="call-recording"]`)) !== null;
  }

  /** Waits until the call's card shows (or no longer shows) the "Recording" indicator. */
  async waitForRecording(callId: string, recording: boolean, timeoutMs = 10_000): Promise<void> {
    await this.page.waitForFunction(
      (id, wanted) => (document.querySelector(`[data-testid="call-${id}"]`)?.getAttribute('data-recording') === 'true') === wanted,
      { timeout: timeoutMs, polling: 200 },
      callId,
      recording,
    );
  }

  /** Opens the History tab and the timeline of the number of call `callId`'s row. */
  async openTimelineOf(callId: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.click('[data-testid="tab-history"]');
    const row = `[data-testid="history-row-${callId}"]`;
    await this.page.waitForSelector(row, { timeout: 10_000 });
    await this.page.click(`${row} [data-testid="history-open-timeline"]`);
    await this.page.waitForSelector('[data-testid="timeline"]', { timeout: 10_000 });
  }

  /** Whether the history row of call `callId` says the call was recorded. */
  async rowShowsRecording(callId: string): Promise<boolean> {
    return (await this.page.$(`[data-testid="history-row-${callId}"] [data-testid="history-recorded"]`)) !== null;
  }

  /** Waits until the timeline shows `count` entries of `kind`; returns the ids of them all. */
  async waitForTimelineEntries(kind: 'call' | 'note' | 'recording', count: number, timeoutMs = 10_000): Promise<string[]> {
    const selector = `[data-testid="timeline-entry"][data-kind="${kind}"]`;
    await this.page.waitForFunction(
      (sel, n) => document.querySelectorAll(sel).length === n,
      { timeout: timeoutMs, polling: 200 },
      selector,
      count,
    );
    return this.page.$$eval(selector, (els) => els.map((el) => el.getAttribute('data-id') ?? ''));
  }

  /**
   * Fetches a recording through the panel's protocol (`getRecordingAudio`), decodes it with Web
   * Audio and measures it: decoded length and RMS level of the first channel (full scale = 1).
   */
  async measureRecording(recordingId: string): Promise<RecordingFigures> {
    return this.page.evaluate(async (id) => {
      // Firefox's promise-returning namespace is `browser`; Chrome's is `chrome`.
      const runtime = ((globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome).runtime;
      const reply = (await runtime.sendMessage({
        protocol: 'PanelToBackground',
        method: 'getRecordingAudio',
        data: { recordingId: id },
      })) as { ok: boolean; value?: { mimeType: string; data: string; durationMs: number }; error?: { message: string } };
      if (!reply.ok || !reply.value) throw new Error(`getRecordingAudio failed: ${reply.error?.message}`);
      const bytes = Uint8Array.from(atob(reply.value.data), (c) => c.charCodeAt(0));
      // decodeAudioData takes the buffer over (detaches it): count the bytes first.
      const size = bytes.length;
      const context = new AudioContext();
      try {
        const buffer = await context.decodeAudioData(bytes.buffer);
        const samples = buffer.getChannelData(0);
        let sum = 0;
        for (const sample of samples) sum += sample * sample;
        return {
          mimeType: reply.value.mimeType,
          bytes: size,
          storedDurationMs: reply.value.durationMs,
          decodedSeconds: buffer.duration,
          channels: buffer.numberOfChannels,
          rms: Math.sqrt(sum / Math.max(1, samples.length)),
        };
      } finally {
        await context.close();
      }
    }, recordingId);
  }

  /** Whether `getRecordingAudio` still finds the recording. */
  async recordingExists(recordingId: string): Promise<boolean> {
    return this.page.evaluate(async (id) => {
      const runtime = ((globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome).runtime;
      const reply = (await runtime.sendMessage({
        protocol: 'PanelToBackground',
        method: 'getRecordingAudio',
        data: { recordingId: id },
      })) as { ok: boolean };
      return reply.ok;
    }, recordingId);
  }

  /**
   * Loads a recording into the timeline's player (Listen) and seeks it to `seconds`; returns the
   * player's duration and where it stands after the seek.
   */
  async playAndSeek(recordingId: string, seconds: number): Promise<{ duration: number; position: number }> {
    await this.page.bringToFront();
    const entry = `[data-testid="timeline-entry"][data-id="${recordingId}"]`;
    await this.page.click(`${entry} [data-testid="recording-listen"]`);
    await this.page.waitForSelector(`${entry} [data-testid="recording-player"]`, { timeout: 10_000 });
    return this.page.$eval(
      `${entry} [data-testid="recording-player"]`,
      async (element, to) => {
        const audio = element as HTMLAudioElement;
        if (audio.readyState < 1) await new Promise((resolve) => audio.addEventListener('loadedmetadata', resolve, { once: true }));
        const seeked = new Promise((resolve) => audio.addEventListener('seeked', resolve, { once: true }));
        audio.currentTime = to;
        await seeked;
        return { duration: audio.duration, position: audio.currentTime };
      },
      seconds,
    );
  }

  /** The download link's file name of a loaded recording. */
  downloadName(recordingId: string): Promise<string> {
    return this.page.$eval(
      `[data-testid="timeline-entry"][data-id="${recordingId}"] [data-testid="recording-download"]`,
      (el) => el.getAttribute('download') ?? '',
    );
  }

  /** Deletes a recording from the timeline, confirming the question. */
  async deleteRecording(recordingId: string): Promise<void> {
    await this.page.bringToFront();
    const entry = `[data-testid="timeline-entry"][data-id="${recordingId}"]`;
    await this.page.click(`${entry} [data-testid="recording-delete"]`);
    await this.page.click(`${entry} [data-testid="recording-delete-confirm"]`);
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

  /** The missed-calls list on the Phone tab, newest first. */
  missedEntries(): Promise<MissedEntry[]> {
    return this.page.$$eval('[data-testid="missed-entry"]', (elements) =>
      elements.map((el) => ({
        numberKey: el.getAttribute('data-number-key') ?? '',
        count: Number(el.getAttribute('data-count') ?? '0'),
        refused: el.getAttribute('data-refused') === 'true',
        text: el.textContent ?? '',
      })),
    );
  }

  /** Waits until the missed-calls list has an entry for `numberKey` with `count` calls; returns it. */
  async waitForMissedEntry(numberKey: string, count = 1, timeoutMs = 15_000): Promise<MissedEntry> {
    await this.page.waitForSelector(`[data-testid="missed-entry"][data-number-key="${numberKey}"][data-count="${count}"]`, {
      timeout: timeoutMs,
    });
    return (await this.missedEntries()).find((entry) => entry.numberKey === numberKey)!;
  }

  /** Waits until the missed-calls list has no entry for `numberKey`. */
  async waitForNoMissedEntry(numberKey: string, timeoutMs = 15_000): Promise<void> {
    await this.page.waitForFunction(
      (key) => document.querySelector(`[data-testid="missed-entry"][data-number-key="${key}"]`) === null,
      { timeout: timeoutMs, polling: 200 },
      numberKey,
    );
  }

  /** *Call back* on a missed-calls entry. */
  async callBackMissed(numberKey: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.click(`[data-testid="missed-entry"][data-number-key="${numberKey}"] [data-testid="missed-call-back"]`);
  }

  /** *Done* on a missed-calls entry. */
  async doneMissed(numberKey: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.click(`[data-testid="missed-entry"][data-number-key="${numberKey}"] [data-testid="missed-done"]`);
  }

  /** The rows of the callback list (callbacks owed to missed callers), soonest due first. */
  callbackEntries(): Promise<CallbackEntry[]> {
    return this.page.$$eval('[data-testid="callback-entry"]', (elements) =>
      elements.map((el) => ({
        taskId: el.getAttribute('data-task-id') ?? '',
        overdue: el.getAttribute('data-overdue') === 'true',
        timer: el.querySelector('[data-testid="callback-timer"]')?.textContent ?? '',
        timerText: el.querySelector('[data-testid="callback-timer"]')?.getAttribute('aria-label') ?? '',
        text: el.textContent ?? '',
      })),
    );
  }

  /** Waits until the callback list has the row of `taskId` (overdue or not, when `overdue` is given); returns it. */
  async waitForCallbackEntry(taskId: string, overdue?: boolean, timeoutMs = 15_000): Promise<CallbackEntry> {
    const state = overdue === undefined ? '' : `[data-overdue="${String(overdue)}"]`;
    await this.page.waitForSelector(`[data-testid="callback-entry"][data-task-id="${taskId}"]${state}`, { timeout: timeoutMs });
    return (await this.callbackEntries()).find((entry) => entry.taskId === taskId)!;
  }

  /** Waits until the callback list has no row for `taskId`. */
  async waitForNoCallbackEntry(taskId: string, timeoutMs = 15_000): Promise<void> {
    await this.page.waitForFunction(
      (id) => document.querySelector(`[data-testid="callback-entry"][data-task-id="${id}"]`) === null,
      { timeout: timeoutMs, polling: 200 },
      taskId,
    );
  }

  /** *Call* on a callback row. */
  async callFromCallbacks(taskId: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.click(`[data-testid="callback-entry"][data-task-id="${taskId}"] [data-testid="callback-call"]`);
  }

  /** *Done* on a callback row. */
  async doneCallback(taskId: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.click(`[data-testid="callback-entry"][data-task-id="${taskId}"] [data-testid="callback-done"]`);
  }

  /** The count on the History tab (missed calls to handle), or undefined when none is shown. */
  async historyTabCount(): Promise<string | undefined> {
    return this.page.$eval('[data-testid="tab-history-count"]', (el) => el.textContent ?? '').catch(() => undefined);
  }

  /**
   * Starts counting the ringing call cards that appear from now on (a MutationObserver in the
   * page), so a test can prove that nothing rang; read with {@link ringingCardsSeen}.
   */
  async watchForRingingCards(): Promise<void> {
    await this.page.evaluate(() => {
      const page = window as unknown as { ringingSeen: number; ringingObserver?: MutationObserver };
      page.ringingObserver?.disconnect();
      page.ringingSeen = 0;
      const seen = new Set<string>();
      page.ringingObserver = new MutationObserver(() => {
        for (const card of document.querySelectorAll('[data-testid^="call-"][data-state="incoming"]')) {
          const id = card.getAttribute('data-testid') ?? '';
          if (!seen.has(id)) {
            seen.add(id);
            page.ringingSeen += 1;
          }
        }
      });
      page.ringingObserver.observe(document.body, { subtree: true, childList: true, attributes: true });
    });
  }

  /** How many ringing call cards appeared since {@link watchForRingingCards}. */
  ringingCardsSeen(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { ringingSeen: number }).ringingSeen);
  }

  /** Sets the header's Do not disturb switch and waits until the engine reports it. */
  async setDoNotDisturb(on: boolean, timeoutMs = 10_000): Promise<void> {
    await this.page.bringToFront();
    const selector = '[data-testid="dnd-toggle"]';
    const pressed = await this.page.$eval(selector, (el) => el.getAttribute('aria-pressed') === 'true');
    if (pressed !== on) await this.page.click(selector);
    await this.page.waitForSelector(`${selector}[aria-pressed="${on}"]:not([disabled])`, { timeout: timeoutMs });
  }

  /** The auto-answer countdown of a ringing call ("Answering automatically in 1 s"), if shown. */
  async autoAnswerText(callId: string): Promise<string | undefined> {
    return this.page
      .$eval(`[data-testid="call-${callId}"] [data-testid="call-auto-answer-text"]`, (el) => el.textContent ?? '')
      .catch(() => undefined);
  }

  /** The audio fallback notice ("… unplugged — using the default microphone"), or '' when none is shown. */
  async audioFallbackText(): Promise<string> {
    const element = await this.page.$('[data-testid="audio-fallback"]');
    return element ? element.evaluate((el) => el.textContent ?? '') : '';
  }

  /** Waits until the audio fallback notice contains `text`, or (`''`) until there is none. */
  async waitForAudioFallback(text: string, timeoutMs = 10_000): Promise<string> {
    await this.page.waitForFunction(
      (wanted) => {
        const shown = document.querySelector('[data-testid="audio-fallback"]')?.textContent ?? '';
        return wanted === '' ? shown === '' : shown.includes(wanted);
      },
      { timeout: timeoutMs, polling: 200 },
      text,
    );
    return this.audioFallbackText();
  }

  close(): Promise<void> {
    return this.page.close();
  }

  /**
   * Starts timing the screen pop: the panel notes (epoch ms) when a ringing call first appears,
   * when its caller card first shows a name (`cardAt`, the DOM change) and the next animation
   * frame after that (`paintedAt`, the card on screen). Read them with {@link screenPopTimes}.
   */
  async watchCallerCard(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as { screenPop?: { ringAt?: number; cardAt?: number; paintedAt?: number } };
      const times: { ringAt?: number; cardAt?: number; paintedAt?: number } = {};
      w.screenPop = times;
      const observer = new MutationObserver(() => {
        times.ringAt ??= document.querySelector('[data-testid^="call-"][data-state="incoming"]') ? Date.now() : undefined;
        if (document.querySelector('[data-testid="caller-card"][data-status="known"] [data-testid="caller-name"]')) {
          times.cardAt = Date.now();
          requestAnimationFrame(() => {
            times.paintedAt = Date.now();
          });
          observer.disconnect();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true, attributes: true });
    });
  }

  /**
   * When the ringing call and its named caller card appeared (epoch ms), since {@link watchCallerCard};
   * `paintedAt` is the frame after the card's DOM change (the panel must be in front to get frames).
   */
  async screenPopTimes(timeoutMs = 15_000): Promise<{ ringAt: number; cardAt: number; paintedAt: number }> {
    const handle = await this.page.waitForFunction(
      () => {
        const times = (window as unknown as { screenPop?: { ringAt?: number; cardAt?: number; paintedAt?: number } })
          .screenPop;
        return times?.cardAt !== undefined && times.paintedAt !== undefined
          ? { ringAt: times.ringAt ?? times.cardAt, cardAt: times.cardAt, paintedAt: times.paintedAt }
          : undefined;
      },
      { timeout: timeoutMs, polling: 'raf' },
    );
    return (await handle.jsonValue()) as { ringAt: number; cardAt: number; paintedAt: number };
  }

  /**
   * When the INVITE of ringing call `callId` reached the agent's engine (epoch ms): an inbound call's
   * `startedAt` in the snapshot the background mirrors, read while the call is up.
   */
  async inviteReceivedAt(callId: string): Promise<number> {
    return this.page.evaluate(async (id) => {
      // Firefox's MV2 `chrome` namespace has no `storage.session`; its `browser` namespace does.
      const api = (globalThis as { browser?: typeof chrome }).browser ?? chrome;
      const { phoneSnapshot } = await api.storage.session.get('phoneSnapshot');
      const calls = (phoneSnapshot as { calls?: Array<{ id: string; startedAt: number }> } | undefined)?.calls ?? [];
      const call = calls.find((c) => c.id === id);
      if (!call) throw new Error(`call ${id} is not in the mirrored snapshot`);
      return call.startedAt;
    }, callId);
  }

  /** The caller card of a call once looked up: `known` (name, company) or `unknown`. */
  async waitForCaller(callId: string, timeoutMs = 10_000): Promise<{ status: string; name: string; company: string }> {
    const card = `[data-testid="call-${callId}"] [data-testid="caller-card"]`;
    await this.page.waitForSelector(`${card}:not([data-status="loading"])`, { timeout: timeoutMs });
    return this.page.$eval(card, (el) => ({
      status: el.getAttribute('data-status') ?? '',
      name: el.querySelector('[data-testid="caller-name"]')?.textContent ?? '',
      company: el.querySelector('[data-testid="caller-company"]')?.textContent ?? '',
    }));
  }

  /** The line saying which CRM card the call was started on and is logged to (waits for it). */
  async waitForCallerEntity(callId: string, timeoutMs = 10_000): Promise<string> {
    const line = `[data-testid="call-${callId}"] [data-testid="caller-entity"]`;
    await this.page.waitForSelector(line, { timeout: timeoutMs });
    return this.page.$eval(line, (el) => el.textContent ?? '');
  }

  /** The open deals on a call's caller card, as the agent reads them ("Deal — Pipeline · Stage"). */
  async callerDeals(callId: string): Promise<string[]> {
    return this.page.$$eval(`[data-testid="call-${callId}"] [data-testid="caller-deals"] li`, (items) =>
      items.map((item) => (item.textContent ?? '').trim()),
    );
  }

  /** Waits until the known caller card of call `callId` names `name` (a CRM answer may come after the cache's). */
  async waitForCallerName(callId: string, name: string, timeoutMs = 10_000): Promise<void> {
    await this.page.waitForFunction(
      (id, wanted) =>
        document.querySelector(`[data-testid="call-${id}"] [data-testid="caller-card"][data-status="known"] [data-testid="caller-name"]`)
          ?.textContent === wanted,
      { timeout: timeoutMs, polling: 100 },
      callId,
      name,
    );
  }

  /** The History tab's CRM outbox line ("1 call not yet logged to amoCRM — …"), or '' when there is none. */
  async outboxText(): Promise<string> {
    const element = await this.page.$('[data-testid="crm-outbox-text"]');
    return element ? element.evaluate((el) => el.textContent ?? '') : '';
  }

  /** Waits until the outbox line contains `text`, or (`''`) until there is none; returns what it shows. */
  async waitForOutboxText(text: string, timeoutMs = 30_000): Promise<string> {
    await this.page.waitForFunction(
      (wanted) => {
        const shown = document.querySelector('[data-testid="crm-outbox-text"]')?.textContent ?? '';
        return wanted === '' ? shown === '' : shown.includes(wanted);
      },
      { timeout: timeoutMs, polling: 200 },
      text,
    );
    return this.outboxText();
  }

  /** "Add contact" on an unknown caller's card: types the name and company and saves. */
  async addCallerContact(callId: string, name: string, company: string): Promise<void> {
    const card = `[data-testid="call-${callId}"] [data-testid="caller-card"]`;
    await this.page.click(`${card} [data-testid="caller-add"]`);
    await this.page.type(`${card} [data-testid="contact-name"]`, name);
    await this.page.type(`${card} [data-testid="contact-company"]`, company);
    await this.page.click(`${card} [data-testid="contact-save"]`);
    await this.page.waitForSelector(`${card}[data-status="known"]`, { timeout: 10_000 });
  }

  /**
   * "Create contact" / "Create lead" on an unknown caller's card (a CRM connected): types the
   * contact's name and, for a lead, replaces the prefilled lead name when one is given; then saves
   * and waits for the card to show the created record.
   */
  async createCallerInCrm(callId: string, kind: 'contact' | 'lead', contactName: string, leadName?: string): Promise<void> {
    const card = `[data-testid="call-${callId}"] [data-testid="caller-card"]`;
    await this.page.click(`${card} [data-testid="caller-create-${kind}"]`);
    if (kind === 'lead' && leadName !== undefined) {
      await this.page.$eval(`${card} [data-testid="lead-name"]`, (el) => {
        (el as HTMLInputElement).value = '';
      });
      await this.page.type(`${card} [data-testid="lead-name"]`, leadName);
    }
    await this.page.type(`${card} [data-testid="contact-name"]`, contactName);
    await this.page.click(`${card} [data-testid="contact-save"]`);
    await this.page.waitForSelector(`${card}[data-status="known"]`, { timeout: 15_000 });
  }
}

/** An entry of the missed-calls list as the user sees it. */
export interface MissedEntry {
  numberKey: string;
  count: number;
  /** Some of its calls were refused by the engine (Do not disturb, or both lines in use). */
  refused: boolean;
  text: string;
}

/** A row of the callback list, as the panel shows it. */
export interface CallbackEntry {
  taskId: string;
  overdue: boolean;
  /** The SLA timer (`01:30`, or `−00:05` once overdue). */
  timer: string;
  /** The timer in words ("Due in 01:30" / "Overdue by 00:05"). */
  timerText: string;
  text: string;
}

/** What {@link SidePanelPage.measureRecording} found. */
export interface RecordingFigures {
  mimeType: string;
  bytes: number;
  storedDurationMs: number;
  decodedSeconds: number;
  channels: number;
  rms: number;

}
