import { readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { build } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedChromium } from './harness/chromium.ts';
import { startStaticServer, type StaticServer } from './harness/static-server.ts';
import { DetectorPage, type Detected } from './pages/crm-demo/detector-page.ts';

/**
 * The in-page detector on a CRM-like page, in real Chromium: the standalone build
 * (.output/detector/phone-detector.js, built here) runs the same PageScanner as the content script.
 *
 * An agent opens a contact in their CRM. The phones in the card's fields, the office `tel:` link, a
 * number split across spans, one with an extension, the ones in the contact list, a web component's
 * and an embedded call-history frame's are marked; the INN, OGRN, deal number, dates and amounts
 * around them are not, nor anything hidden. The page itself does not change by a byte.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEMO = path.join(ROOT, 'tests/e2e/pages/crm-demo');
const DETECTOR = path.join(ROOT, '.output/detector/phone-detector.js');

/** Every number on the demo page, one per occurrence. */
const EXPECTED: Detected[] = [
  { e164: '+78005553535', text: '8 800 555-35-35' },
  { e164: '+79161234567', text: '+7 (916) 123-45-67' },
  { e164: '+79037654321', text: '8 903 765-43-21' },
  { e164: '+74951234567', text: '+7 (495) 123-45-67' },
  { e164: '+78125550123', text: '+7 (812) 555-01-23' },
  { e164: '+74959876543', text: '+7 495 987-65-43 доб. 123', ext: '123' },
  { e164: '+79215551234', text: '+7 921 555-12-34' },
  { e164: '+79112223344', text: '+7 911 222-33-44' },
  { e164: '+79991234567', text: '+7 999 123-45-67' },
  { e164: '+79261112233', text: '+7 926 111-22-33' },
  { e164: '+74952223344', text: '8 (495) 222-33-44' },
  { e164: '+79163334455', text: '+7 916 333-44-55' },
  { e164: '+442079460958', text: '+44 20 7946 0958' },
  // Written with no-break spaces between its spans (&nbsp;): the text is as on the page.
  { e164: '+79854445566', text: '+7\u00a0985\u00a0444-55-66' },
  { e164: '+73835556677', text: '+7 (383) 555-66-77 доб. 45', ext: '45' },
];

const sorted = (numbers: Detected[]): Detected[] =>
  [...numbers].sort((a, b) => `${a.e164}${a.text}`.localeCompare(`${b.e164}${b.text}`));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let chromium: LaunchedChromium;
let server: StaticServer;
let detectorSource: string;
let demo: DetectorPage;

beforeAll(async () => {
  await build({ configFile: path.join(ROOT, 'detector.vite.config.ts'), logLevel: 'warn' });
  detectorSource = readFileSync(DETECTOR, 'utf8');
  server = await startStaticServer({ '/': DEMO });
  chromium = await launchChromium();
});

afterAll(async () => {
  await server?.stop();
  await chromium?.close();
});

beforeEach(async () => {
  await demo?.page.close();
  demo = await DetectorPage.open(chromium.browser, `${server.url}/`, detectorSource);
});

describe('the detector on a CRM contact page', () => {
  it('is one classic minified script that defines PhoneDetector', () => {
    expect(detectorSource).not.toMatch(/^\s*(import|export)\s/m);
    expect(detectorSource.trimStart()).toMatch(/^\(function\s*\(/);
    expect(detectorSource).toContain('PhoneDetector');
  });

  it('marks exactly the phone numbers, one per occurrence, and none of the IDs, dates and amounts', async () => {
    const found = await demo.scan({ defaultRegion: 'RU' });
    expect(sorted(found)).toEqual(sorted(EXPECTED));
    // Text numbers are painted with the highlight; the two in inputs get the field's call button.
    expect(await demo.highlightSize()).toBe(EXPECTED.length - 2 - 1 /* the frame has its own registry */);
  });

  it('leaves hidden text alone: display:none, visibility:hidden, [hidden], template, noscript, script', async () => {
    const found = await demo.scan();
    expect(found.filter((number) => number.e164.startsWith('+7999000'))).toEqual([]);
  });

  it('finds numbers in an open shadow root and in a same-origin frame, each under its own root', async () => {
    await demo.scan();
    expect(await demo.scan({}, '#widget')).toEqual([{ e164: '+79112223344', text: '+7 911 222-33-44' }]);
    expect(await demo.scan({}, '#frame')).toEqual([{ e164: '+79991234567', text: '+7 999 123-45-67' }]);
    expect(await demo.scan({}, '#contacts')).toHaveLength(6);
  });

  it('does not change the page: text, markup, selection and copy stay exactly as they were', async () => {
    const before = await demo.snapshot();
    // What a copy takes is the selection's text: a number inside it must read as it did.
    const selectNote = () =>
      demo.page.evaluate(() => {
        const selection = getSelection()!;
        selection.selectAllChildren(document.getElementById('note')!);
        const selected = selection.toString();
        const html = new XMLSerializer().serializeToString(selection.getRangeAt(0).cloneContents());
        selection.removeAllRanges();
        return { selected, html };
      });
    const selectionBefore = await selectNote();

    await demo.scan();
    await demo.hoverText('#note', '555-12');
    await demo.waitForUi('card');

    expect(await demo.snapshot()).toEqual(before);
    expect(await selectNote()).toEqual(selectionBefore);
    // Our one element is the UI host, under <html>, outside <body>.
    expect(await demo.page.evaluate(() => document.querySelectorAll('crm-softphone-ui[data-crm-softphone-ui]').length)).toBe(1);
    expect(await demo.page.evaluate(() => document.querySelector('crm-softphone-ui')!.parentElement === document.documentElement)).toBe(true);
  });
});

describe('the card', () => {
  it('opens on hover and calls only on a trusted click of its own Call button', async () => {
    await demo.scan();
    await demo.hoverText('#note', '555-12');
    await demo.waitForUi('card');
    // Page scripts cannot see into the closed shadow root…
    expect(await demo.page.evaluate(() => document.querySelector('crm-softphone-ui')!.shadowRoot)).toBeNull();
    await sleep(300);
    // …and a script-dispatched click (click(), dispatchEvent) does nothing.
    await demo.clickUiFromScript('call');
    await sleep(100);
    expect(await demo.calls()).toEqual([]);

    await demo.hoverText('#note', '555-12');
    await demo.clickUi('call');
    expect(await demo.calls()).toEqual([{ e164: '+79215551234', text: '+7 921 555-12-34' }]);
    // The card closes after a call.
    expect(await demo.uiBox('card')).toBeUndefined();
  });

  it('ignores a click that lands before the card has been on screen for a moment', async () => {
    await demo.scan();
    await demo.hoverText('#ext-phone', '987-65');
    await demo.clickUi('call', { settleMs: 0 });
    expect(await demo.calls()).toEqual([]);
    await sleep(300);
    await demo.clickUi('call', { settleMs: 0 });
    expect(await demo.calls()).toEqual([{ e164: '+74959876543', ext: '123', text: '+7 495 987-65-43 доб. 123' }]);
  });

  it('copies the number as E.164 with its extension', async () => {
    await demo.page.browserContext().overridePermissions(server.url, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    await demo.scan();
    await demo.hoverText('#ext-phone', '987-65');
    await sleep(300);
    await demo.clickUi('copy');
    await sleep(100);
    expect(await demo.page.evaluate(() => navigator.clipboard.readText())).toBe('+74959876543;ext=123');
  });

  it('gives a phone field a call button that the keyboard reaches with Tab, and Escape closes', async () => {
    await demo.scan();
    await demo.page.focus('#phone-mobile');
    await demo.waitForUi('field-call');
    await demo.page.keyboard.press('Escape');
    expect(await demo.uiBox('field-call')).toBeUndefined();

    await demo.page.focus('#email');
    await demo.page.focus('#phone-mobile');
    await demo.waitForUi('field-call');
    await sleep(300);
    await demo.page.keyboard.press('Tab');
    // Focus is in our closed shadow root: the page sees only the host.
    expect(await demo.page.evaluate(() => document.activeElement?.localName)).toBe('crm-softphone-ui');
    await demo.page.keyboard.press('Enter');
    expect(await demo.calls()).toEqual([{ e164: '+79037654321', text: '8 903 765-43-21' }]);
    // The call hands focus back to the field.
    expect(await demo.page.evaluate(() => document.activeElement?.id)).toBe('phone-mobile');
  });

  it('opens from keyboard focus on a link holding a number, its buttons reachable by Tab', async () => {
    await demo.scan();
    await demo.page.focus('#office-phone a');
    await demo.waitForUi('card');
    await demo.page.keyboard.press('Tab');
    await demo.page.keyboard.press('Tab');
    await demo.page.keyboard.press('Tab');
    // Call, Copy, then back to the link.
    expect(await demo.page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('tel:+74951234567');
  });
});

describe('a single-page app changing the page', () => {
  it('picks up appended rows and an edited number, and drops removed ones', async () => {
    await demo.scan();
    await demo.page.evaluate(() => {
      const rows = document.querySelector('#contacts tbody')!;
      rows.insertAdjacentHTML(
        'beforeend',
        '<tr><td>Новый клиент</td><td>+7 903 111-00-99</td><td>7707083893</td><td>5 000 ₽</td><td>07.02.2024</td></tr>',
      );
      rows.firstElementChild!.remove(); // Анна Смирнова, +7 926 111-22-33
      const note = document.getElementById('note')!.firstChild as Text;
      note.data = note.data.replace('+7 921 555-12-34', '+7 921 555-99-88');
    });
    const found = await demo.scan();
    const numbers = found.map((number) => number.e164);
    expect(numbers).toContain('+79031110099');
    expect(numbers).toContain('+79215559988');
    expect(numbers).not.toContain('+79215551234');
    expect(numbers).not.toContain('+79261112233');
    expect(found).toHaveLength(EXPECTED.length);
  });

  it('marks a hidden number once it is shown, and a number typed into a field', async () => {
    await demo.scan();
    await demo.page.evaluate(() => {
      document.getElementById('hidden-display')!.style.display = 'block';
      document.getElementById('hidden-attribute')!.hidden = false;
    });
    await demo.page.click('#phone-mobile');
    await demo.page.evaluate(() => document.querySelector<HTMLInputElement>('#phone-mobile')!.select());
    await demo.page.keyboard.type('+7 916 000-11-22');
    const numbers = (await demo.scan()).map((number) => number.e164);
    expect(numbers).toContain('+79990000001');
    expect(numbers).toContain('+79990000003');
    expect(numbers).toContain('+79160001122');
    expect(numbers).not.toContain('+79037654321'); // typed over
    expect(numbers).not.toContain('+79990000002'); // still visibility: hidden
  });

  it('removes every mark, the highlight and the UI when stopped', async () => {
    await demo.scan();
    await demo.hoverText('#note', '555-12');
    await demo.waitForUi('card');
    await demo.stop();
    expect(await demo.highlightSize()).toBeUndefined();
    expect(await demo.page.evaluate(() => document.querySelector('crm-softphone-ui'))).toBeNull();
    expect(await demo.page.evaluate(() => document.adoptedStyleSheets.length)).toBe(0);
  });
});

describe('tel: links', () => {
  it('calls instead of opening the system handler when intercepting, on a trusted click only', async () => {
    await demo.scan({ interceptTelLinks: true });
    const prevented = () =>
      demo.page.evaluate(
        () =>
          new Promise<boolean>((resolve) => {
            document.addEventListener('click', (event) => resolve(event.defaultPrevented), { once: true });
          }),
      );
    const synthetic = prevented();
    await demo.page.evaluate(() => document.querySelector<HTMLAnchorElement>('#support-link')!.click());
    expect(await synthetic).toBe(false);
    expect(await demo.calls()).toEqual([]);

    const trusted = prevented();
    await demo.page.click('#support-link');
    expect(await trusted).toBe(true);
    expect(await demo.calls()).toEqual([{ e164: '+78005553535', text: '8 800 555-35-35' }]);
  });
});

describe('in Firefox', () => {
  it('marks the same numbers with the same highlight', async () => {
    const firefox = await puppeteer.launch({
      browser: 'firefox',
      executablePath: '/usr/lib/firefox-esr/firefox-esr',
      headless: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    try {
      const page = await firefox.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      await page.goto(`${server.url}/`, { waitUntil: 'load' });
      await page.addScriptTag({ content: detectorSource });
      const found = await page.evaluate(() =>
        (globalThis as typeof globalThis & { PhoneDetector: { scan(): Promise<Detected[]> } }).PhoneDetector.scan(),
      );
      expect(sorted(found)).toEqual(sorted(EXPECTED));
      expect(await page.evaluate(() => CSS.highlights.get('crm-softphone-phone')?.size)).toBe(EXPECTED.length - 3);
    } finally {
      await firefox.close();
    }
  });
});
