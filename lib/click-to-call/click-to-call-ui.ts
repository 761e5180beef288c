import { isElement } from '@/lib/click-to-call/dom-tree';
import { boxContains, placeCard, placeInputButton, type Box } from '@/lib/click-to-call/geometry';
import type { FoundNumber } from '@/lib/detect/text-run';
import { tClickToCall } from '@/lib/i18n/click-to-call-messages';

/** Tag of the element that hosts our UI; `data-crm-softphone-ui` is set on it too. */
export const UI_HOST_TAG = 'crm-softphone-ui';

/** A number the UI can show a card for. */
export interface UiNumber {
  readonly found: FoundNumber;
  /** A number typed in a form field gets a small call button instead of a highlight and card. */
  readonly kind: 'text' | 'field';
  /** The number's box now (client coordinates of the document), or undefined when it is gone. */
  anchor(): Box | undefined;
  /** The element focus returns to when the card closes (the focused field or link). */
  readonly origin?: Element;
  /** Whatever the delegate needs to recognise the number again (the scanner's mark). */
  readonly key?: unknown;
}

/** What the UI asks of, and tells, the scanner. */
export interface ClickToCallUiDelegate {
  /** The marked number at a point of the viewport (`target` is the innermost element there), if any. */
  numberAtPoint(x: number, y: number, target: Element | null): UiNumber | undefined;
  /** The marked number a focused element holds (a phone field, a link, a focusable cell), if any. */
  numberIn(element: Element): UiNumber | undefined;
  /** The user clicked Call (a trusted click on our own button). */
  call(found: FoundNumber): void;
  /** The user copied a number. */
  copied?(found: FoundNumber, text: string): void;
  /** The number the card is open for changed (for emphasising it); undefined when the card closed. */
  activeChanged?(number: UiNumber | undefined): void;
  /** The number in international format, e.g. `+7 916 123-45-67`. */
  format(found: FoundNumber): string;
}

export interface ClickToCallUiOptions {
  /**
   * Milliseconds a Call button must have been on screen before a click on it counts, so a page cannot
   * slide the card under a click aimed at something else (clickjacking).
   * @defaultValue 250
   */
  minVisibleMs?: number;
  /**
   * Milliseconds the card stays after the pointer leaves the number, to let it travel to the card.
   * @defaultValue 300
   */
  hideDelayMs?: number;
}

/** How the card was opened, which decides how it closes and where the keyboard goes. */
type Via = 'pointer' | 'keyboard';

interface Shown {
  number: UiNumber;
  via: Via;
  shownAt: number;
}

/** `all: initial` on the host cuts every inherited page style; `!important` in :host beats the page's. */
const UI_CSS = `
:host {
  all: initial !important;
  position: fixed !important;
  inset: 0 auto auto 0 !important;
  width: 0 !important;
  height: 0 !important;
  overflow: visible !important;
  z-index: 2147483647 !important;
  display: block !important;
  visibility: visible !important;
  opacity: 1 !important;
  pointer-events: none !important;
  transform: none !important;
  filter: none !important;
  contain: none !important;
}
.card, .field-call {
  position: fixed;
  pointer-events: auto;
  box-sizing: border-box;
  font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1f1f1f;
}
.card {
  min-width: 190px;
  max-width: 320px;
  padding: 10px 12px;
  background: #fff;
  border: 1px solid #d0d7de;
  border-radius: 8px;
  box-shadow: 0 4px 16px rgba(0, 0, 0, 0.16);
}
[hidden] { display: none !important; }
.number { font-size: 15px; font-weight: 600; letter-spacing: 0.01em; white-space: nowrap; }
.ext { margin-inline-start: 6px; font-weight: 400; color: #57606a; }
.contact { margin-top: 2px; color: #57606a; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.actions { display: flex; gap: 8px; margin-top: 8px; }
button {
  all: unset;
  box-sizing: border-box;
  display: inline-flex;
  align-items: center;
  justify-content: center;
  gap: 6px;
  cursor: pointer;
  border-radius: 6px;
  font: inherit;
}
.actions button { padding: 5px 12px; border: 1px solid #d0d7de; background: #f6f8fa; color: #1f1f1f; }
.actions button.call { background: #1a7f37; border-color: #1a7f37; color: #fff; }
.actions button:hover { filter: brightness(0.95); }
button:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
.status { min-height: 0; margin-top: 6px; font-size: 12px; color: #57606a; }
.status:empty { display: none; }
.field-call {
  width: 24px;
  height: 24px;
  border-radius: 50%;
  background: #1a7f37;
  color: #fff;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25);
}
svg { width: 14px; height: 14px; fill: currentColor; flex: none; }
`;

/** A handset (Material "call" glyph), drawn in our shadow root. */
const PHONE_PATH =
  'M6.6 10.8c1.4 2.8 3.8 5.1 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1C10.6 21 3 13.4 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1l-2.3 2.2z';

/**
 * The click-to-call card: hover a marked number (or focus an element holding one) and a small card
 * shows the number in international format with Call and Copy; a phone field gets a round call button
 * beside it. Everything lives in a closed shadow root on `<crm-softphone-ui data-crm-softphone-ui>`,
 * appended to `<html>` the first time it is needed (never inside `<body>`), so page scripts cannot
 * reach our buttons, and neither the page's CSS nor ours crosses the boundary.
 *
 * Only a trusted click on our own Call button starts a call: synthetic events (`dispatchEvent`,
 * `click()`) have `isTrusted === false` and are ignored, and a click within `minVisibleMs` of the
 * card appearing does not count.
 */
export class ClickToCallUi {
  readonly document: Document;
  readonly #delegate: ClickToCallUiDelegate;
  readonly #minVisibleMs: number;
  readonly #hideDelayMs: number;
  readonly #listeners = new AbortController();
  #host: HTMLElement | undefined;
  #root: ShadowRoot | undefined;
  #card: HTMLElement | undefined;
  #digits: HTMLElement | undefined;
  #ext: HTMLElement | undefined;
  #status: HTMLElement | undefined;
  #callButton: HTMLButtonElement | undefined;
  #copyButton: HTMLButtonElement | undefined;
  #fieldButton: HTMLButtonElement | undefined;
  #shown: Shown | undefined;
  #fieldShown: Shown | undefined;
  #pointer: { x: number; y: number; target: Element | null } | undefined;
  #frame: number | undefined;
  #hideTimer: ReturnType<typeof setTimeout> | undefined;
  #statusTimer: ReturnType<typeof setTimeout> | undefined;
  /** Focus we are moving back to the page ourselves: its focusin must not reopen the card. */
  #returningFocusTo: Element | undefined;
  #started = false;

  constructor(document: Document, delegate: ClickToCallUiDelegate, options: ClickToCallUiOptions = {}) {
    this.document = document;
    this.#delegate = delegate;
    this.#minVisibleMs = options.minVisibleMs ?? 250;
    this.#hideDelayMs = options.hideDelayMs ?? 300;
  }

  /** The host element, once the UI has been shown (for tests). */
  get host(): HTMLElement | undefined {
    return this.#host;
  }

  /** The number the card is open for. */
  get current(): FoundNumber | undefined {
    return (this.#shown ?? this.#fieldShown)?.number.found;
  }

  /** Starts listening to the pointer and focus in the document. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const options = { capture: true, passive: true, signal: this.#listeners.signal };
    const doc = this.document;
    doc.addEventListener('pointermove', (event) => this.#onPointerMove(event), options);
    doc.addEventListener('pointerdown', (event) => this.#onPointerDown(event), options);
    doc.documentElement.addEventListener('pointerleave', () => this.#scheduleHide(), options);
    doc.addEventListener('focusin', (event) => this.#onFocusIn(event), options);
    doc.addEventListener('focusout', (event) => this.#onFocusOut(event), options);
    doc.addEventListener('scroll', () => this.#reposition(), options);
    doc.defaultView?.addEventListener('resize', () => this.#reposition(), options);
    doc.addEventListener('keydown', (event) => this.#onPageKeyDown(event), {
      capture: true,
      signal: this.#listeners.signal,
    });
  }

  /** Closes the card, removes the host element and every listener. */
  stop(): void {
    this.#started = false;
    this.#listeners.abort();
    if (this.#frame !== undefined) this.document.defaultView?.cancelAnimationFrame(this.#frame);
    clearTimeout(this.#hideTimer);
    clearTimeout(this.#statusTimer);
    this.hide();
    this.#host?.remove();
    this.#host = undefined;
  }

  /** Opens the card for a number (the pointer rests on it, or an element holding it got focus). */
  show(number: UiNumber, via: Via): void {
    this.#cancelHide();
    if (number.kind === 'field') {
      this.#showField(number, via);
      return;
    }
    this.#hideField();
    const same = this.#shown?.number.found === number.found;
    if (same && this.#shown!.via === via) {
      this.#shown!.number = number;
      this.#reposition();
      return;
    }
    this.#ensureUi();
    const formatted = this.#delegate.format(number.found);
    this.#digits!.textContent = formatted;
    const ext = number.found.ext;
    this.#ext!.textContent = ext ? tClickToCall('card.extension', { ext }) : '';
    this.#ext!.hidden = !ext;
    this.#status!.textContent = '';
    this.#card!.setAttribute('aria-label', tClickToCall('card.label', { number: formatted }));
    this.#callButton!.setAttribute('aria-label', tClickToCall('card.callLabel', { number: formatted }));
    this.#copyButton!.setAttribute('aria-label', tClickToCall('card.copyLabel', { number: formatted }));
    this.#card!.hidden = false;
    this.#shown = { number, via, shownAt: same ? this.#shown!.shownAt : performance.now() };
    this.#reposition();
    this.#delegate.activeChanged?.(number);
  }

  /** Closes the card and the field button. */
  hide(): void {
    this.#cancelHide();
    this.#hideField();
    if (!this.#shown) return;
    this.#shown = undefined;
    if (this.#card) this.#card.hidden = true;
    this.#delegate.activeChanged?.(undefined);
  }

  // ─── pointer ───────────────────────────────────────────────────────────────────────────────

  #onPointerMove(event: PointerEvent): void {
    if (event.pointerType === 'touch') return;
    const target = event.composedPath()[0];
    // Elements of a frame's document are not `instanceof` this realm's Element: test the node type.
    this.#pointer = { x: event.clientX, y: event.clientY, target: isElement(target as Node) ? (target as Element) : null };
    // One hit test per animation frame, however many pointer events arrive.
    if (this.#frame === undefined) {
      const view = this.document.defaultView;
      if (!view) return;
      this.#frame = view.requestAnimationFrame(() => {
        this.#frame = undefined;
        this.#checkPointer();
      });
    }
  }

  #onPointerDown(event: PointerEvent): void {
    // A press elsewhere on the page closes a card opened by the pointer.
    if (event.composedPath().includes(this.#host as EventTarget)) return;
    if (this.#shown?.via === 'pointer' || this.#fieldShown?.via === 'pointer') this.hide();
  }

  #checkPointer(): void {
    const pointer = this.#pointer;
    if (!pointer || !this.#started) return;
    if (this.#host && pointer.target === this.#host) {
      this.#cancelHide();
      return;
    }
    const number = this.#delegate.numberAtPoint(pointer.x, pointer.y, pointer.target);
    if (number) {
      if (this.#shown?.via === 'keyboard' && number.kind === 'text') return;
      this.show(number, 'pointer');
      return;
    }
    if (this.#overOpenCard(pointer.x, pointer.y)) this.#cancelHide();
    else this.#scheduleHide();
  }

  #overOpenCard(x: number, y: number): boolean {
    for (const element of [this.#card, this.#fieldButton]) {
      if (element && !element.hidden && boxContains(element.getBoundingClientRect(), x, y, 2)) return true;
    }
    return false;
  }

  #scheduleHide(): void {
    if (this.#hideTimer !== undefined) return;
    const pointerCard = this.#shown?.via === 'pointer';
    const pointerField = this.#fieldShown?.via === 'pointer';
    if (!pointerCard && !pointerField) return;
    this.#hideTimer = setTimeout(() => {
      this.#hideTimer = undefined;
      if (this.#containsFocus()) return;
      if (this.#shown?.via === 'pointer') this.hide();
      if (this.#fieldShown?.via === 'pointer') this.#hideField();
    }, this.#hideDelayMs);
  }

  #cancelHide(): void {
    clearTimeout(this.#hideTimer);
    this.#hideTimer = undefined;
  }

  // ─── keyboard and focus ────────────────────────────────────────────────────────────────────

  #onFocusIn(event: FocusEvent): void {
    const target = event.composedPath()[0] as Node | undefined;
    if (!isElement(target) || target === this.#host) return;
    if (this.#returningFocusTo === target) {
      this.#returningFocusTo = undefined;
      return;
    }
    const number = this.#delegate.numberIn(target);
    if (number) this.show(number, 'keyboard');
    else if (this.#shown?.via === 'keyboard' || this.#fieldShown?.via === 'keyboard') this.hide();
  }

  #onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget;
    if (next === this.#host) return;
    const via = this.#shown?.via ?? this.#fieldShown?.via;
    // Focus left the origin for something that is not our card: a keyboard card goes with it. (Focus
    // moving into our closed shadow root shows up here as the host.)
    if (via === 'keyboard' && next !== null) {
      queueMicrotask(() => {
        if (!this.#containsFocus()) this.hide();
      });
    }
  }

  /** Keys pressed on the page while a card opened by focus is showing. */
  #onPageKeyDown(event: KeyboardEvent): void {
    const shown = this.#shown ?? this.#fieldShown;
    if (!shown) return;
    if (event.key === 'Escape') {
      this.hide();
      return;
    }
    // Tab from the focused field/link moves into the card, which otherwise sits at the end of the page.
    if (event.key === 'Tab' && !event.shiftKey && shown.via === 'keyboard' && event.composedPath()[0] === shown.number.origin) {
      const first = this.#shown ? this.#callButton : this.#fieldButton;
      if (first) {
        event.preventDefault();
        first.focus({ preventScroll: true });
      }
    }
  }

  /** Keys pressed inside our card. */
  #onUiKeyDown(event: KeyboardEvent): void {
    event.stopPropagation();
    const shown = this.#shown ?? this.#fieldShown;
    if (!shown) return;
    const active = this.#root?.activeElement;
    if (event.key === 'Escape') {
      event.preventDefault();
      this.#closeAndReturnFocus(shown);
      return;
    }
    if (event.key !== 'Tab') return;
    const buttons = this.#shown ? [this.#callButton!, this.#copyButton!] : [this.#fieldButton!];
    const index = buttons.indexOf(active as HTMLButtonElement);
    const next = index + (event.shiftKey ? -1 : 1);
    event.preventDefault();
    if (next >= 0 && next < buttons.length) buttons[next]!.focus({ preventScroll: true });
    // Past either end: back to the page element the card belongs to; the next Tab goes on from there.
    else this.#closeAndReturnFocus(shown);
  }

  #closeAndReturnFocus(shown: Shown): void {
    const origin = shown.number.origin;
    this.hide();
    if (origin && typeof (origin as HTMLElement).focus === 'function') {
      this.#returningFocusTo = origin;
      (origin as HTMLElement).focus({ preventScroll: true });
      if (this.document.activeElement !== origin && !origin.contains(this.document.activeElement)) {
        this.#returningFocusTo = undefined;
      }
    }
  }

  #containsFocus(): boolean {
    return this.#root?.activeElement != null;
  }

  // ─── actions ───────────────────────────────────────────────────────────────────────────────

  #onCallClick(event: MouseEvent, shown: Shown | undefined): void {
    event.stopPropagation();
    // Page scripts cannot reach into our closed shadow root, and anything they dispatch is untrusted.
    if (!event.isTrusted || !shown) return;
    if (performance.now() - shown.shownAt < this.#minVisibleMs) return;
    const found = shown.number.found;
    const origin = shown.number.origin;
    if (shown.via === 'keyboard' && origin) this.#closeAndReturnFocus(shown);
    else this.hide();
    this.#delegate.call(found);
  }

  async #onCopyClick(event: MouseEvent): Promise<void> {
    event.stopPropagation();
    const shown = this.#shown;
    if (!event.isTrusted || !shown) return;
    const found = shown.number.found;
    const text = found.ext ? `${found.e164};ext=${found.ext}` : found.e164;
    const copied = await this.#writeClipboard(text);
    if (this.#shown?.number.found !== found || !this.#status) return;
    this.#status.textContent = tClickToCall(copied ? 'card.copied' : 'card.copyFailed');
    clearTimeout(this.#statusTimer);
    this.#statusTimer = setTimeout(() => {
      if (this.#status) this.#status.textContent = '';
    }, 1500);
    if (copied) this.#delegate.copied?.(found, text);
  }

  async #writeClipboard(text: string): Promise<boolean> {
    const clipboard = this.document.defaultView?.navigator.clipboard;
    try {
      if (!clipboard) throw new Error('no async clipboard');
      await clipboard.writeText(text);
      return true;
    } catch {
      // An iframe without the clipboard-write permission: the old way, inside our own shadow root,
      // so the page's selection is untouched.
      return this.#copyWithExecCommand(text);
    }
  }

  #copyWithExecCommand(text: string): boolean {
    const root = this.#root;
    if (!root) return false;
    const area = this.document.createElement('textarea');
    area.value = text;
    area.setAttribute('aria-hidden', 'true');
    area.style.cssText = 'position:fixed;left:-9999px;top:0;opacity:0;';
    root.append(area);
    const previous = root.activeElement;
    area.select();
    let ok = false;
    try {
      ok = this.document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    if (previous && typeof (previous as HTMLElement).focus === 'function') (previous as HTMLElement).focus({ preventScroll: true });
    return ok;
  }

  // ─── field button ──────────────────────────────────────────────────────────────────────────

  #showField(number: UiNumber, via: Via): void {
    if (this.#shown) this.hide();
    this.#ensureUi();
    const same = this.#fieldShown?.number.found === number.found;
    const formatted = this.#delegate.format(number.found);
    this.#fieldButton!.setAttribute('aria-label', tClickToCall('field.callLabel', { number: formatted }));
    this.#fieldButton!.title = formatted;
    this.#fieldButton!.hidden = false;
    this.#fieldShown = { number, via: same && this.#fieldShown!.via === 'keyboard' ? 'keyboard' : via, shownAt: same ? this.#fieldShown!.shownAt : performance.now() };
    this.#reposition();
  }

  #hideField(): void {
    if (!this.#fieldShown) return;
    this.#fieldShown = undefined;
    if (this.#fieldButton) this.#fieldButton.hidden = true;
  }

  // ─── layout ────────────────────────────────────────────────────────────────────────────────

  #reposition(): void {
    const view = this.document.defaultView;
    if (!view) return;
    const viewport = { width: view.innerWidth, height: view.innerHeight };
    if (this.#shown && this.#card) {
      const anchor = this.#shown.number.anchor();
      if (!anchor || anchor.bottom < 0 || anchor.top > viewport.height) {
        this.hide();
      } else {
        const size = this.#card.getBoundingClientRect();
        const place = placeCard(anchor, { width: size.width || 220, height: size.height || 90 }, viewport);
        this.#card.style.left = `${place.left}px`;
        this.#card.style.top = `${place.top}px`;
      }
    }
    if (this.#fieldShown && this.#fieldButton) {
      const anchor = this.#fieldShown.number.anchor();
      if (!anchor || anchor.bottom < 0 || anchor.top > viewport.height) {
        this.#hideField();
      } else {
        const place = placeInputButton(anchor, { width: 24, height: 24 }, viewport);
        this.#fieldButton.style.left = `${place.left}px`;
        this.#fieldButton.style.top = `${place.top}px`;
      }
    }
  }

  /** Builds the host and the closed shadow root the first time something is shown. */
  #ensureUi(): void {
    const doc = this.document;
    if (this.#host) {
      // The page may have removed or moved our host: put it back.
      if (this.#host.parentNode !== doc.documentElement) doc.documentElement.append(this.#host);
      return;
    }
    const host = doc.createElement(UI_HOST_TAG);
    host.setAttribute('data-crm-softphone-ui', '');
    const root = host.attachShadow({ mode: 'closed' });
    this.#adoptStyles(root);

    const card = this.#element('div', 'card');
    card.setAttribute('role', 'dialog');
    card.hidden = true;
    const numberLine = this.#element('div', 'number');
    this.#digits = this.#element('span', 'digits');
    this.#ext = this.#element('span', 'ext');
    numberLine.append(this.#digits, this.#ext);
    // Room for the contact's name once the CRM lookup exists.
    const contact = this.#element('div', 'contact');
    contact.hidden = true;
    const actions = this.#element('div', 'actions');
    this.#callButton = this.#button('call', tClickToCall('card.call'), true);
    this.#copyButton = this.#button('copy', tClickToCall('card.copy'), false);
    actions.append(this.#callButton, this.#copyButton);
    this.#status = this.#element('div', 'status');
    this.#status.setAttribute('role', 'status');
    this.#status.setAttribute('aria-live', 'polite');
    card.append(numberLine, contact, actions, this.#status);

    this.#fieldButton = this.#button('field-call', '', true);
    this.#fieldButton.hidden = true;

    root.append(card, this.#fieldButton);
    this.#callButton.addEventListener('click', (event) => this.#onCallClick(event, this.#shown));
    this.#copyButton.addEventListener('click', (event) => void this.#onCopyClick(event));
    this.#fieldButton.addEventListener('click', (event) => this.#onCallClick(event, this.#fieldShown));
    root.addEventListener('keydown', (event) => this.#onUiKeyDown(event as KeyboardEvent));
    // Our clicks are not the page's business (a CRM closing its own popup on an outside click).
    for (const type of ['pointerdown', 'mousedown', 'mouseup', 'pointerup'] as const) {
      root.addEventListener(type, (event) => event.stopPropagation());
    }
    card.addEventListener('pointerenter', () => this.#cancelHide());
    card.addEventListener('pointerleave', () => this.#scheduleHide());
    this.#fieldButton.addEventListener('pointerenter', () => this.#cancelHide());
    this.#fieldButton.addEventListener('pointerleave', () => this.#scheduleHide());

    this.#host = host;
    this.#root = root;
    this.#card = card;
    doc.documentElement.append(host);
  }

  #adoptStyles(root: ShadowRoot): void {
    const view = this.document.defaultView as (Window & { CSSStyleSheet: typeof CSSStyleSheet }) | null;
    try {
      // A constructed stylesheet is not subject to the page's CSP style-src, as a <style> would be.
      const sheet = new view!.CSSStyleSheet();
      sheet.replaceSync(UI_CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {
      const style = this.document.createElement('style');
      style.textContent = UI_CSS;
      root.append(style);
    }
  }

  #element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
    const element = this.document.createElement(tag);
    element.className = className;
    return element;
  }

  #button(className: string, label: string, withIcon: boolean): HTMLButtonElement {
    const button = this.#element('button', className);
    button.type = 'button';
    if (withIcon) {
      const ns = 'http://www.w3.org/2000/svg';
      const svg = this.document.createElementNS(ns, 'svg');
      svg.setAttribute('viewBox', '0 0 24 24');
      svg.setAttribute('aria-hidden', 'true');
      const path = this.document.createElementNS(ns, 'path');
      path.setAttribute('d', PHONE_PATH);
      svg.append(path);
      button.append(svg);
    }
    if (label) {
      const text = this.document.createElement('span');
      text.textContent = label;
      button.append(text);
    }
    return button;
  }
}
