/**
 * The detector as one classic script for any page (the benchmark, the demo, a CRM vendor trying it):
 * `.output/detector/phone-detector.js` defines `globalThis.PhoneDetector`. It runs the same
 * {@link PageScanner} as the content script, so it marks numbers exactly as the extension does.
 *
 * ```js
 * const numbers = await PhoneDetector.scan(document, { defaultRegion: 'RU' });
 * // [{ e164: '+79161234567', text: '+7 (916) 123-45-67' }, …] — one entry per occurrence
 * ```
 *
 * Include it in `<head>` where you can: it installs its highlight style at once, which is free before
 * the page is laid out and costs a restyle of the whole page after. The first call starts the scanner;
 * later calls wait for the re-scan of what changed since (the scanner's MutationObserver keeps track)
 * and return everything marked under `root`. A click on the card's Call button dispatches
 * `crm-softphone:call` on `window` with the number as `detail`.
 */
import { formatInternational } from '@/lib/click-to-call/format-international';
import { warmUpDetection } from '@/lib/click-to-call/default-detector-core';
import { installHighlightStyles } from '@/lib/click-to-call/highlight-painter';
import { PageScanner, type CallRequest, type PageScannerOptions, type ScanStats } from '@/lib/click-to-call/page-scanner';

/** What `PhoneDetector.scan` resolves with: one entry per marked occurrence. */
export interface DetectedNumber {
  e164: string;
  text: string;
  ext?: string;
}

export interface StandaloneScanOptions {
  /** Region for numbers without a country code. @defaultValue the previous call's, else 'RU' */
  defaultRegion?: string;
  /** Measure slices with performance.measure (see {@link PageScannerOptions.instrument}); first call only. */
  instrument?: boolean;
  /** Intercept clicks on tel:/sip: links; first call only. @defaultValue false */
  interceptTelLinks?: boolean;
}

export interface PhoneDetectorApi {
  scan(root?: Node, options?: StandaloneScanOptions): Promise<DetectedNumber[]>;
  /** Removes every mark, listener and the card. */
  stop(): void;
  /** The scanner's main-thread work so far, or undefined before the first scan. */
  stats(): ScanStats | undefined;
}

let scanner: PageScanner | undefined;

/** The page a node belongs to: its document, or for a node in a same-origin frame, the top one. */
function pageOf(root: Node): Document {
  let document = root.nodeType === 9 ? (root as Document) : root.ownerDocument!;
  for (;;) {
    let frame: Element | null = null;
    try {
      frame = document.defaultView?.frameElement ?? null;
    } catch {
      frame = null; // a cross-origin parent: this frame is the page
    }
    if (!frame) return document;
    document = frame.ownerDocument;
  }
}

async function scan(root: Node = document, options: StandaloneScanOptions = {}): Promise<DetectedNumber[]> {
  // A later call without a region keeps the scanner's; the first one defaults to Russia.
  const defaultRegion = (options.defaultRegion ?? scanner?.defaultRegion ?? 'RU').toUpperCase();
  const page = pageOf(root);
  if (scanner && (scanner.defaultRegion !== defaultRegion || scanner.document !== page)) {
    scanner.stop();
    scanner = undefined;
  }
  scanner ??= new PageScanner({
    document: page,
    defaultRegion,
    instrument: options.instrument ?? false,
    interceptTelLinks: options.interceptTelLinks ?? false,
    formatNumber: formatInternational,
    onCall: (number: CallRequest) => {
      page.defaultView?.dispatchEvent(new CustomEvent('crm-softphone:call', { detail: number }));
    },
  });
  await scanner.scan(root);
  return scanner.marked(root).map(({ e164, text, ext }) => (ext ? { e164, text, ext } : { e164, text }));
}

const api: PhoneDetectorApi = {
  scan,
  stop() {
    scanner?.stop();
    scanner = undefined;
  },
  stats: () => scanner?.stats(),
};

(globalThis as typeof globalThis & { PhoneDetector: PhoneDetectorApi }).PhoneDetector = api;

// Loaded early (in <head>), the highlight rule is there before the page is laid out (see
// installHighlightStyles for why that matters on large pages), and the detector's code is compiled in
// an idle moment while the page loads rather than when the user waits for the first marks.
if (typeof document !== 'undefined') {
  installHighlightStyles(document);
  const idle = (globalThis as { requestIdleCallback?: (callback: () => void, options?: { timeout: number }) => void })
    .requestIdleCallback;
  if (idle) idle(() => warmUpDetection(), { timeout: 1000 });
  else setTimeout(() => warmUpDetection(), 0);
}
