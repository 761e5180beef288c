import type { ContentScriptContext } from '#imports';
import type { AmoPageContext } from '@/lib/crm/amocrm/amo-page-context';
import { amoEntityOfUrl } from '@/lib/crm/amocrm/amo-page-entity';

/** amoCRM's phone field in a card: the number is the input's value, not text (undocumented markup). */
export const AMO_PHONE_INPUTS = 'input.control-phone__formatted';

/** At most this many phones of a card are reported (a card with more is a call centre's directory). */
const MAX_PHONES = 20;
const MAX_PHONE_CHARS = 64;

/** Options of {@link AmoPageWatcher}. */
export interface AmoPageWatcherOptions {
  /** The page's current address (`location.href`). */
  href: () => string;
  /** The document whose phone inputs are read. */
  document: Pick<Document, 'querySelectorAll'>;
  /** Called with the new context whenever the card or its phones change (and once at the first check). */
  onChange: (context: AmoPageContext) => void;
}

/**
 * Follows which amoCRM card a tab shows. amoCRM is a single-page app: it moves between cards with
 * `history.pushState` and renders the card after the address changes. The isolated world cannot hook
 * the page's `pushState`, so {@link AmoPageWatcher.start} listens to what the browser tells it (the
 * Navigation API's `currententrychange`, where there is one, and `popstate`) and checks once a second
 * besides, which also picks up phone inputs rendered after the address changed. A check reads
 * `location.href` and one `querySelectorAll` of the phone inputs — microseconds, measured in the e2e.
 */
export class AmoPageWatcher {
  private last = '';
  /** The report refused last, and how many times in a row. */
  private lastRefused = '';
  private refusals = 0;

  constructor(private readonly options: AmoPageWatcherOptions) {}

  /** The card and its phones as the page shows them right now. */
  current(): AmoPageContext {
    const entity = amoEntityOfUrl(this.options.href());
    return entity ? { entity, phones: readPhones(this.options.document) } : { phones: [] };
  }

  /** Reads the page and reports when it changed since the last report. */
  check(): void {
    const context = this.current();
    const key = JSON.stringify(context);
    if (key === this.last) return;
    if (key !== this.lastRefused) this.refusals = 0;
    this.last = key;
    this.options.onChange(context);
  }

  /**
   * The background refused the last report: most likely the address moved on between reading it and
   * the browser's view of the sender, so the next check reports again — a few times, not forever
   * (a page the background keeps refusing, e.g. after the CRM was disconnected, is left alone).
   */
  refused(context: AmoPageContext): void {
    const key = JSON.stringify(context);
    // A newer report is already out: that one counts.
    if (key !== this.last) return;
    this.lastRefused = key;
    this.refusals += 1;
    if (this.refusals < 3) this.last = '';
  }

  /** Checks now, once loaded, on every same-document navigation, and once a second, until `ctx` is invalidated. */
  start(ctx: ContentScriptContext, window: Window): void {
    const check = (): void => this.check();
    const navigation = (window as Window & { navigation?: EventTarget }).navigation;
    if (navigation) ctx.addEventListener(navigation, 'currententrychange', check);
    ctx.addEventListener(window, 'popstate', check);
    // The script runs at document_start: the card's inputs exist by the time the page has loaded.
    ctx.addEventListener(window, 'load', check);
    ctx.setInterval(check, 1000);
    check();
  }
}

/** The card's phone numbers as shown, without blanks and repeats. */
function readPhones(document: Pick<Document, 'querySelectorAll'>): string[] {
  const phones = new Set<string>();
  for (const input of document.querySelectorAll<HTMLInputElement>(AMO_PHONE_INPUTS)) {
    const value = input.value.trim().slice(0, MAX_PHONE_CHARS);
    if (/\d/.test(value)) phones.add(value);
    if (phones.size === MAX_PHONES) break;
  }
  return [...phones];
}
