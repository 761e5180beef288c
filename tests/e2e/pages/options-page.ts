import type { Browser, ElementHandle, Page } from 'puppeteer-core';

/** The typed fields of one of the user's accounts (`account-N-<field>` in the page). */
export type AccountField = 'wsServer' | 'sipUri' | 'authUser' | 'password' | 'displayName' | 'iceServers';

/** What "Test connection" ended with: its `data-state` and the sentence the user reads. */
export interface TestOutcome {
  state: string;
  text: string;
}

/** The settings page (`options.html`), driven like a user would: typing, clicking, reading. */
export class OptionsPage {
  readonly page: Page;

  // No parameter properties: the rig (and this page object with it) also runs under Node's type stripping.
  private constructor(page: Page) {
    this.page = page;
  }

  static async open(browser: Browser, extensionId: string): Promise<OptionsPage> {
    const page = await browser.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await page.waitForSelector('[data-testid="options-page"]');
    return new OptionsPage(page);
  }

  /** Wraps an options page opened elsewhere (Firefox: see tests/e2e/harness/firefox.ts). */
  static wrap(page: Page): OptionsPage {
    return new OptionsPage(page);
  }

  /** Loads the page again (what the user sees when they come back to it). */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.waitForSelector('[data-testid="options-page"]');
  }

  private selector(testId: string): string {
    return `[data-testid="${testId}"]`;
  }

  /** Whether an element with this test id is on the page now. */
  async has(testId: string): Promise<boolean> {
    return (await this.page.$(this.selector(testId))) !== null;
  }

  async text(testId: string): Promise<string> {
    return this.page.$eval(this.selector(testId), (el) => el.textContent ?? '');
  }

  async attribute(testId: string, name: string): Promise<string | null> {
    return this.page.$eval(this.selector(testId), (el, attr) => el.getAttribute(attr), name);
  }

  /** The value a control shows (input, textarea or select). */
  async value(testId: string): Promise<string> {
    return this.page.$eval(this.selector(testId), (el) => (el as HTMLInputElement).value);
  }

  private async click(testId: string): Promise<void> {
    // Background tabs get no animation frames, and puppeteer's clicks wait for one.
    await this.page.bringToFront();
    await this.page.click(this.selector(testId));
  }

  /** Adds an empty account and waits for its form (index = how many there were before). */
  async addAccount(): Promise<number> {
    const index = await this.page.$$eval('[data-testid^="account-"][data-account-id]', (list) => list.length);
    await this.click('add-account');
    await this.page.waitForSelector(this.selector(`account-${index}-wsServer`));
    return index;
  }

  /** Replaces what a text field holds by typing `value` (an empty string just clears it). */
  async type(testId: string, value: string): Promise<void> {
    await this.page.bringToFront();
    const element = await this.page.waitForSelector(this.selector(testId));
    await element!.focus();
    await element!.evaluate((el) => (el as HTMLInputElement).select());
    await this.page.keyboard.press('Backspace');
    if (value !== '') await element!.type(value);
  }

  async fillAccount(index: number, fields: Partial<Record<AccountField, string>>): Promise<void> {
    for (const [field, value] of Object.entries(fields)) {
      await this.type(`account-${index}-${field}`, value);
    }
  }

  async select(testId: string, value: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.select(this.selector(testId), value);
  }

  /** Presses "Test connection" of an account and waits for the outcome. */
  async testConnection(index: number, timeoutMs = 20_000): Promise<TestOutcome> {
    return this.runTest(`account-${index}-test`, timeoutMs);
  }

  /** Presses "Test connection" of the administrator's account and waits for the outcome. */
  async testPolicyAccount(timeoutMs = 20_000): Promise<TestOutcome> {
    return this.runTest('policy-account-test', timeoutMs);
  }

  private async runTest(testId: string, timeoutMs: number): Promise<TestOutcome> {
    const status = `${testId}-status`;
    await this.click(testId);
    await this.page.waitForFunction(
      (selector) => {
        const state = document.querySelector(selector)?.getAttribute('data-state');
        return state !== undefined && state !== null && state !== 'idle' && state !== 'running';
      },
      { timeout: timeoutMs, polling: 200 },
      this.selector(status),
    );
    return { state: (await this.attribute(status, 'data-state')) ?? '', text: await this.text(status) };
  }

  /** Presses Save and waits until it is done; returns `data-state` of the save status. */
  async save(): Promise<string> {
    await this.click('save');
    await this.page.waitForFunction(
      (selector) => {
        const state = document.querySelector(selector)?.getAttribute('data-state');
        return state === 'saved' || state === 'invalid' || state === 'failed';
      },
      { timeout: 10_000, polling: 200 },
      this.selector('save-status'),
    );
    return (await this.attribute('save-status', 'data-state')) ?? '';
  }

  /** The message under a field (`<testId>-error`), or undefined when it shows none. */
  async fieldError(testId: string): Promise<string | undefined> {
    const element = await this.page.$(this.selector(`${testId}-error`));
    return element ? element.evaluate((el) => el.textContent ?? '') : undefined;
  }

  /** Presses "Allow microphone" and waits until the status is no longer "requesting". */
  async allowMicrophone(): Promise<string> {
    await this.click('microphone-allow');
    await this.page.waitForFunction(
      (selector) => {
        const state = document.querySelector(selector)?.getAttribute('data-state');
        return state !== undefined && state !== 'requesting' && state !== 'unknown' && state !== 'prompt';
      },
      { timeout: 10_000, polling: 200 },
      this.selector('microphone-status'),
    );
    return (await this.attribute('microphone-status', 'data-state')) ?? '';
  }

  /** Waits until the element's `data-state` is `state`. */
  async waitForState(testId: string, state: string, timeoutMs = 5000): Promise<void> {
    await this.page.waitForFunction(
      (selector, wanted) => document.querySelector(selector)?.getAttribute('data-state') === wanted,
      { timeout: timeoutMs, polling: 200 },
      this.selector(testId),
      state,
    );
  }

  /** Click-to-call's access to pages as the page shows it: `all` or `none` (its `data-state`). */
  async pageAccess(): Promise<string> {
    await this.waitFor('c2c-access');
    return (await this.attribute('c2c-access', 'data-state')) ?? '';
  }

  /** Presses *Remove access to pages* and waits until the page shows no access. */
  async revokePageAccess(): Promise<void> {
    await this.click('c2c-access-revoke');
    await this.waitForState('c2c-access', 'none');
  }

  /** Presses *Allow on all sites* (the browser then shows its own prompt). */
  async requestPageAccess(): Promise<void> {
    await this.click('c2c-access-allow');
  }

  /** Waits for an element with this test id (e.g. a policy account arriving seconds after start). */
  async waitFor(testId: string, timeoutMs = 15_000): Promise<void> {
    await this.page.waitForSelector(this.selector(testId), { timeout: timeoutMs });
  }

  /**
   * Imports a history backup file as a user would: picks it, confirms, and waits for the outcome.
   * @returns `data-state` of the import status (`done`, `invalid` or `failed`).
   */
  async importHistoryBackup(filePath: string, timeoutMs = 60_000): Promise<string> {
    await this.page.bringToFront();
    const input = (await this.page.waitForSelector(this.selector('history-import-file'))) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(filePath);
    await this.page.waitForSelector(this.selector('history-import-confirm'), { timeout: timeoutMs });
    await this.click('history-import-confirm');
    await this.page.waitForFunction(
      (selector) => ['done', 'invalid', 'failed'].includes(document.querySelector(selector)?.getAttribute('data-state') ?? ''),
      { timeout: timeoutMs, polling: 200 },
      this.selector('history-import-status'),
    );
    return (await this.attribute('history-import-status', 'data-state')) ?? '';
  }

  /** The entries of an Audio select (`microphone`, `speaker`, `ringer`): value, text, `data-status`. */
  async audioDevices(role: AudioRole): Promise<AudioDeviceEntry[]> {
    return this.page.$$eval(`${this.selector(`audio-${role}`)} option`, (options) =>
      options.map((option) => ({
        value: (option as HTMLOptionElement).value,
        text: option.textContent ?? '',
        status: option.getAttribute('data-status') ?? '',
      })),
    );
  }

  /** Waits until the role's select lists a device named `label` (device lists arrive asynchronously). */
  async waitForAudioDevice(role: AudioRole, label: string, timeoutMs = 10_000): Promise<void> {
    await this.page.waitForFunction(
      (selector, text) => [...document.querySelectorAll(`${selector} option`)].some((o) => o.textContent === text),
      { timeout: timeoutMs, polling: 200 },
      this.selector(`audio-${role}`),
      label,
    );
  }

  /** What the role's select shows as chosen: its value and text. */
  async audioSelection(role: AudioRole): Promise<{ value: string; text: string }> {
    return this.page.$eval(this.selector(`audio-${role}`), (el) => {
      const select = el as HTMLSelectElement;
      return { value: select.value, text: select.selectedOptions[0]?.textContent ?? '' };
    });
  }

  /** Chooses the device whose entry reads `text` and waits until the choice is saved. */
  async chooseAudioDevice(role: AudioRole, text: string): Promise<string> {
    const entry = (await this.audioDevices(role)).find((candidate) => candidate.text === text);
    if (!entry) throw new Error(`no ${role} "${text}" on the options page`);
    await this.page.bringToFront();
    await this.page.select(this.selector(`audio-${role}`), entry.value);
    await this.waitForSaved(`audio-${role}`, entry.value);
    return entry.value;
  }

  /** Ticks or unticks a microphone processing switch and waits until it is saved. */
  async setAudioProcessing(flag: 'echoCancellation' | 'noiseSuppression' | 'autoGainControl', on: boolean): Promise<void> {
    const selector = this.selector(`audio-${flag}`);
    const checked = await this.page.$eval(selector, (el) => (el as HTMLInputElement).checked);
    if (checked === on) return;
    await this.click(`audio-${flag}`);
    await this.waitForSaved(`audio-${flag}`, String(on));
  }

  /** Waits until a control's `data-saved` (the value as stored) is `value`. */
  private async waitForSaved(testId: string, value: string, timeoutMs = 5000): Promise<void> {
    await this.page.waitForFunction(
      (selector, wanted) => document.querySelector(selector)?.getAttribute('data-saved') === wanted,
      { timeout: timeoutMs, polling: 200 },
      this.selector(testId),
      value,
    );
  }

  /** Whether a processing switch is ticked. */
  audioProcessing(flag: 'echoCancellation' | 'noiseSuppression' | 'autoGainControl'): Promise<boolean> {
    return this.page.$eval(this.selector(`audio-${flag}`), (el) => (el as HTMLInputElement).checked);
  }

  close(): Promise<void> {
    return this.page.close();
  }

  /**
   * Imports a contacts file (CSV or vCard) as a user would and waits for the outcome.
   * @returns `data-state` of the import status and its text (counts and skipped rows).
   */
  async importContacts(filePath: string, timeoutMs = 30_000): Promise<{ state: string; text: string }> {
    await this.page.bringToFront();
    const input = (await this.page.waitForSelector(this.selector('contacts-import-file'))) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(filePath);
    await this.page.waitForFunction(
      (selector) => ['done', 'invalid', 'failed'].includes(document.querySelector(selector)?.getAttribute('data-state') ?? ''),
      { timeout: timeoutMs, polling: 100 },
      this.selector('contacts-import-status'),
    );
    return {
      state: (await this.attribute('contacts-import-status', 'data-state')) ?? '',
      text: await this.text('contacts-import-status'),
    };
  }

  /** Picks amoCRM in the CRM section, types the account address and chooses the OAuth integration. */
  async chooseAmoCrmOAuth(host: string, clientId: string, clientSecret: string): Promise<void> {
    await this.select('crm-kind', 'amocrm');
    await this.type('crm-host', host);
    await this.click('crm-method-oauth');
    await this.type('crm-clientId', clientId);
    await this.type('crm-clientSecret', clientSecret);
  }

  /** Clicks "Sign in with amoCRM" (the consent window opens; the caller answers it). */
  async startAmoCrmSignIn(): Promise<void> {
    await this.click('crm-sign-in');
  }

  /** Waits for the sign-in to end; its `data-state` (`ok`, `failed`, `error`) and sentence. */
  async amoCrmSignInOutcome(timeoutMs = 30_000): Promise<TestOutcome> {
    await this.page.waitForFunction(
      (selector) => ['ok', 'failed', 'error'].includes(document.querySelector(selector)?.getAttribute('data-state') ?? ''),
      { timeout: timeoutMs, polling: 100 },
      this.selector('crm-sign-in-status'),
    );
    return {
      state: (await this.attribute('crm-sign-in-status', 'data-state')) ?? '',
      text: await this.text('crm-sign-in-status'),
    };
  }

  /** Presses "Save CRM connection" and waits for its status line; returns the sentence. */
  async saveCrm(timeoutMs = 10_000): Promise<string> {
    await this.click('crm-save');
    await this.page.waitForFunction(
      (selector) => (document.querySelector(selector)?.textContent ?? '') !== '',
      { timeout: timeoutMs, polling: 100 },
      this.selector('crm-save-status'),
    );
    return this.text('crm-save-status');
  }

  /** The CRM section's "Test connection" line as it stands (`data-state` and sentence). */
  async crmTestStatus(): Promise<TestOutcome> {
    return {
      state: (await this.attribute('crm-test-status', 'data-state')) ?? '',
      text: await this.text('crm-test-status'),
    };
  }
}

/** The three Audio selects. */
export type AudioRole = 'microphone' | 'speaker' | 'ringer';

/** One entry of an Audio select. */
export interface AudioDeviceEntry {
  value: string;
  text: string;
  /** `connected`, `missing` or `unknown` for devices; `''` for "System default". */
  status: string;
}
