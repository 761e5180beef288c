/**
 * Page object for the CRM demo page: with the standalone detector (.output/detector/phone-detector.js)
 * loaded from the start of the page ({@link DetectorPage.open}), or with the extension's content script
 * doing the marking ({@link DetectorPage.wrap}: then scan(), stop() and calls() are not available).
 * Reaches into our closed shadow root the way only DevTools can (CDP `DOM.getDocument` with `pierce`),
 * to find the card's buttons and click them like a user (trusted input) or like a page script
 * (synthetic events).
 */
import type { Browser, CDPSession, Page } from 'puppeteer-core';

/** What `PhoneDetector.scan` resolves with. */
export interface Detected {
  e164: string;
  text: string;
  ext?: string;
}

/** What a click on Call hands over (the standalone build dispatches it as `crm-softphone:call`). */
export interface CallRequest {
  e164: string;
  ext?: string;
  text: string;
}

export interface ScanOptions {
  defaultRegion?: string;
  interceptTelLinks?: boolean;
}

interface CdpNode {
  nodeName: string;
  backendNodeId: number;
  attributes?: string[];
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
  contentDocument?: CdpNode;
}

type DetectorWindow = typeof globalThis & {
  PhoneDetector: { scan(root?: Node, options?: ScanOptions): Promise<Detected[]>; stop(): void };
  __calls: CallRequest[];
};

export class DetectorPage {
  readonly page: Page;
  #cdp: CDPSession | undefined;

  private constructor(page: Page) {
    this.page = page;
  }

  /** Opens `url` in a new 1280×800 tab with the detector script evaluated before any page script. */
  static async open(browser: Browser, url: string, detectorSource: string): Promise<DetectorPage> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.evaluateOnNewDocument(detectorSource);
    await page.evaluateOnNewDocument(() => {
      const scope = globalThis as DetectorWindow;
      scope.__calls = [];
      addEventListener('crm-softphone:call', (event) => scope.__calls.push((event as CustomEvent<CallRequest>).detail));
    });
    await page.goto(url, { waitUntil: 'load' });
    return new DetectorPage(page);
  }

  /** A page already open, marked by the extension's content script rather than the standalone build. */
  static wrap(page: Page): DetectorPage {
    return new DetectorPage(page);
  }

  scan(options: ScanOptions = {}, rootSelector?: string): Promise<Detected[]> {
    return this.page.evaluate(
      (scanOptions, selector) => {
        const root = selector ? document.querySelector(selector)! : document;
        return (globalThis as DetectorWindow).PhoneDetector.scan(root, scanOptions);
      },
      options,
      rootSelector,
    );
  }

  stop(): Promise<void> {
    return this.page.evaluate(() => (globalThis as DetectorWindow).PhoneDetector.stop());
  }

  /** Calls the detector reported, in order. */
  calls(): Promise<CallRequest[]> {
    return this.page.evaluate(() => (globalThis as DetectorWindow).__calls);
  }

  /** The page's text and markup, as a reader and a script see them. */
  snapshot(): Promise<{ innerText: string; innerHTML: string; bodyChildren: number }> {
    return this.page.evaluate(() => ({
      innerText: document.body.innerText,
      innerHTML: document.body.innerHTML,
      bodyChildren: document.body.childNodes.length,
    }));
  }

  /**
   * Origins of the extensions whose content scripts run in this page's top frame: each gets an
   * isolated world, which CDP reports (with the extension's origin) when the Runtime domain is
   * enabled. A document_start script's world exists before `load`, so after `goto(…, load)` the
   * answer is final, no waiting needed.
   */
  async contentScriptOrigins(): Promise<string[]> {
    const cdp = await this.page.createCDPSession();
    const origins: string[] = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) => {
      const aux = context.auxData as { type?: string; isDefault?: boolean } | undefined;
      if (aux?.type === 'isolated' && context.origin.startsWith('chrome-extension://')) origins.push(context.origin);
    });
    await cdp.send('Runtime.enable');
    await cdp.detach();
    return [...new Set(origins)];
  }

  /** Ranges in our highlight (numbers painted), or undefined when it is not registered. */
  highlightSize(): Promise<number | undefined> {
    return this.page.evaluate(() => CSS.highlights.get('crm-softphone-phone')?.size);
  }

  /** Moves the mouse (trusted input) onto the middle of `needle` inside the element `selector`. */
  async hoverText(selector: string, needle: string): Promise<void> {
    const point = await this.page.evaluate(
      (sel, text) => {
        const root = document.querySelector(sel)!;
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
          const index = node.data.indexOf(text);
          if (index < 0) continue;
          const range = document.createRange();
          range.setStart(node, index);
          range.setEnd(node, index + text.length);
          const box = range.getClientRects()[0]!;
          return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        }
        throw new Error(`"${text}" not found in ${sel}`);
      },
      selector,
      needle,
    );
    await this.page.mouse.move(point.x - 40, point.y + 40);
    await this.page.mouse.move(point.x, point.y, { steps: 4 });
  }

  /** The box of an element of our UI (class name in the closed shadow root), or undefined when hidden. */
  async uiBox(className: string): Promise<{ x: number; y: number; width: number; height: number } | undefined> {
    const node = await this.#uiNode(className);
    if (!node || node.attributes?.includes('hidden')) return undefined;
    const cdp = await this.#session();
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendNodeId });
    const [x1, y1, , , x3, y3] = model.border;
    return { x: x1!, y: y1!, width: x3! - x1!, height: y3! - y1! };
  }

  /** Waits until a UI element is shown, then returns its box. */
  async waitForUi(className: string, timeoutMs = 3000): Promise<{ x: number; y: number; width: number; height: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const box = await this.uiBox(className);
      if (box && box.width > 0) return box;
      if (Date.now() > deadline) throw new Error(`our UI's .${className} did not show`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Clicks a UI button like a user: real mouse input, trusted. Waits `settleMs` after the button shows
   * first, as a person would: the card ignores clicks in its first 250 ms on screen (clickjacking).
   */
  async clickUi(className: string, { settleMs = 300 }: { settleMs?: number } = {}): Promise<void> {
    await this.waitForUi(className);
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    const box = await this.waitForUi(className);
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  /**
   * Clicks a UI button like a page script that somehow held a reference to it: `click()` and a
   * dispatched MouseEvent, both untrusted. (A real page script cannot even get the reference: the
   * shadow root is closed.)
   */
  async clickUiFromScript(className: string): Promise<void> {
    const node = await this.#uiNode(className);
    if (!node) throw new Error(`no .${className} in our UI`);
    const cdp = await this.#session();
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendNodeId });
    await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId!,
      functionDeclaration: `function () {
        this.click();
        this.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
        this.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      }`,
    });
  }

  async #uiNode(className: string): Promise<CdpNode | undefined> {
    const cdp = await this.#session();
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: CdpNode };
    const host = find(root, (node) => node.nodeName === 'CRM-SOFTPHONE-UI');
    if (!host) return undefined;
    for (const shadow of host.shadowRoots ?? []) {
      const found = find(shadow, (node) => classOf(node).split(' ').includes(className));
      if (found) return found;
    }
    return undefined;
  }

  async #session(): Promise<CDPSession> {
    this.#cdp ??= await this.page.createCDPSession();
    return this.#cdp;
  }
}

function classOf(node: CdpNode): string {
  const attributes = node.attributes ?? [];
  const index = attributes.indexOf('class');
  return index >= 0 && index % 2 === 0 ? (attributes[index + 1] ?? '') : '';
}

function find(node: CdpNode, test: (node: CdpNode) => boolean): CdpNode | undefined {
  if (test(node)) return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const found = find(child, test);
    if (found) return found;
  }
  return undefined;
}
