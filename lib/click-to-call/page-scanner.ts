import { ClickToCallUi, UI_HOST_TAG, type ClickToCallUiDelegate, type UiNumber } from '@/lib/click-to-call/click-to-call-ui';
import { createDetectorCore, type warmUpDetection } from '@/lib/click-to-call/default-detector-core';
import type { DetectorCore } from '@/lib/click-to-call/detector-core';
import { formatInternational } from '@/lib/click-to-call/format-international';
import { DomWalk, type DomWalkVisitor } from '@/lib/click-to-call/dom-walk';
import { documentOf, isElement, isText } from '@/lib/click-to-call/dom-tree';
import { boxesContain, unionBox, type Box } from '@/lib/click-to-call/geometry';
import { HighlightPainter, type installHighlightStyles } from '@/lib/click-to-call/highlight-painter';
import { MarkStore, type Mark } from '@/lib/click-to-call/mark-store';
import { isTextField, mayHoldNumber, telHref } from '@/lib/click-to-call/page-sources';
import { SliceScheduler, createWaitForIdle, createYieldToHost } from '@/lib/click-to-call/slice-scheduler';
import { parseTelHref } from '@/lib/click-to-call/tel-link';
import { visitViewport } from '@/lib/click-to-call/viewport-sources';
import type { FoundNumber, TextRun } from '@/lib/detect/text-run';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('click-to-call');

/** What a click on Call (or on a `tel:` link) asks to dial. */
export interface CallRequest {
  /**
   * The number in E.164 (`+79161234567`). For a `sip:` link whose user part is not a phone number,
   * the SIP URI itself (`sip:alice@pbx.example.com`); a `tel:` link without a country code that the
   * detector cannot place, its digits as written.
   */
  e164: string;
  ext?: string;
  /** The number as written on the page. */
  text: string;
}

export interface PageScannerOptions {
  /** The page (top document, or a frame's document when each frame runs its own scanner). */
  document: Document;
  /** ISO 3166-1 region for numbers written without a country code, e.g. `RU`. */
  defaultRegion: string;
  /** A trusted click on our Call button, or on a `tel:`/`sip:` link when {@link interceptTelLinks}. */
  onCall(number: CallRequest): void;
  /** The user copied a number from the card (`text` is what went to the clipboard). */
  onCopy?(number: CallRequest, text: string): void;
  /** The detection engine. @defaultValue lib/detect ({@link createDetectorCore}) */
  core?: DetectorCore;
  /** International format for the card. @defaultValue {@link formatInternational} (`+7 916 123 45 67`) */
  formatNumber?(found: FoundNumber): string;
  /**
   * A trusted click on a `tel:`/`sip:` link calls {@link onCall} instead of opening the system's
   * handler.
   * @defaultValue false
   */
  interceptTelLinks?: boolean;
  /**
   * Scan same-origin iframes from here. Turn off when a content script runs in every frame itself.
   * @defaultValue true
   */
  scanFrames?: boolean;
  /**
   * Show the hover/focus card. Off, numbers are still marked and reported by {@link PageScanner.marked}.
   * @defaultValue true
   */
  ui?: boolean;
  /**
   * Record each slice with `performance.measure('crm-softphone:scan-slice')` and the moment the
   * viewport's numbers are marked with `performance.mark('crm-softphone:viewport-marked')`.
   * @defaultValue false
   */
  instrument?: boolean;
  /** Milliseconds of work per slice in the background. @defaultValue 6 */
  sliceBudgetMs?: number;
}

/** Counters of the scanner's own work on the main thread. */
export interface ScanStats {
  /** Slices run since start. */
  slices: number;
  /** Milliseconds spent in them. */
  busyMs: number;
  longestSliceMs: number;
  /** Blocks (run containers) extracted and searched. */
  blocksScanned: number;
  /** Milliseconds from start() until the numbers in the viewport were marked and painted. */
  viewportMarkedMs: number | undefined;
  /** Numbers marked now. */
  marks: number;
  /** Numbers painted now (those near the viewport). */
  painted: number;
}

/** Below this many marks in a document every one is painted; above, only those near the viewport. */
const PAINT_ALL_LIMIT = 200;
/** Up to this many newly marked blocks, a paint is skipped when none of them is near the viewport. */
const NEAR_VIEWPORT_CHECKS = 200;
/** Up to this many elements in a document, numbers also get a dotted underline (see HighlightPainter). */
const UNDERLINE_ELEMENT_LIMIT = 6000;
/** Milliseconds per slice while the viewport's numbers are being marked. */
const VIEWPORT_SLICE_MS = 14;
/** Nodes a walk visits per step. */
const WALK_STEP = 256;
/** Milliseconds a step that reads blocks aims at: batches grow or shrink to fit (1 to 64 blocks). */
const BATCH_TARGET_MS = 1.5;
const MAX_BATCH = 64;
/** Mutation records handled per step. */
const RECORD_STEP = 64;
/** Removing these from a block changes its text runs; removing other elements drops their own blocks. */
const INLINE_TAGS: ReadonlySet<string> = new Set([
  'A', 'ABBR', 'B', 'BDI', 'BDO', 'BR', 'CITE', 'CODE', 'DATA', 'DFN', 'EM', 'FONT', 'I', 'KBD', 'LABEL', 'MARK',
  'NOBR', 'Q', 'S', 'SAMP', 'SMALL', 'SPAN', 'STRONG', 'SUB', 'SUP', 'TIME', 'U', 'VAR', 'WBR',
]);
const OBSERVED_ATTRIBUTES = ['value', 'href', 'type', 'class', 'style', 'hidden', 'open'];
const VALUE_ATTRIBUTES: ReadonlySet<string> = new Set(['value', 'href', 'type']);

/** One document we scan: the top page, or a same-origin frame's. */
interface DocumentState {
  readonly document: Document;
  readonly frame: HTMLIFrameElement | HTMLFrameElement | undefined;
  readonly painter: HighlightPainter;
  readonly observer: MutationObserver;
  readonly listeners: AbortController;
  readonly shadowRoots: Set<ShadowRoot>;
  ui: ClickToCallUi | undefined;
}

/**
 * Finds phone numbers on a page and marks them, without changing the page's DOM:
 *
 * 1. **Viewport first**: the numbers on screen are found (a positional descent that skips what is
 *    off screen) and marked before anything else.
 * 2. **The rest in idle time**, walking the document a few hundred nodes per step, in slices of
 *    ~6 ms with `scheduler.yield()` between them, so no task of ours comes near 50 ms.
 * 3. **Only what changed**: a MutationObserver per document (and per open shadow root) collects the
 *    changed nodes; in the next idle slice their blocks (`blockOf`) are re-read and re-searched, and
 *    the marks of removed blocks are dropped.
 *
 * Marks are painted with the CSS Custom Highlight API ({@link HighlightPainter}), only those near the
 * viewport (repainted on scroll), since Chromium re-validates every highlighted range after any DOM
 * change; hit-testing uses the marks themselves, so every number is clickable wherever it is. The card
 * is the {@link ClickToCallUi}. Open shadow roots and same-origin frames are scanned too; hidden
 * blocks (`display: none`, `visibility: hidden`, closed `<details>`) are not marked until they show.
 *
 * For a content script: call {@link installHighlightStyles} and {@link warmUpDetection} at
 * `document_start` (both are free then, and costly later), and start the scanner when the page is
 * ready.
 */
export class PageScanner {
  readonly document: Document;
  readonly #options: PageScannerOptions;
  readonly #core: DetectorCore;
  readonly #store = new MarkStore();
  readonly #docs = new Map<Document, DocumentState>();
  #frames = new WeakSet<Element>();
  #frameListeners = new AbortController();
  #scheduler: SliceScheduler | undefined;
  #started = false;

  // Work queues, drained in this order by #step().
  #viewportPasses: DocumentState[] = [];
  #priority: Node[] = [];
  #records: MutationRecord[] = [];
  #blocks: Node[] = [];
  #blocksHead = 0;
  #walks: DomWalk[] = [];
  /** Blocks waiting in #priority or #blocks. */
  readonly #queued = new Set<Node>();
  /**
   * Blocks scanned (and unchanged since) during the current burst of work, so the first pass's walk
   * does not queue again what the viewport pass did. Cleared when the work is done (a Set, not a
   * WeakSet: tens of thousands of weak entries slow every major GC down).
   */
  readonly #fresh = new Set<Node>();
  /** Blocks skipped because hidden: scanned again when a class/style/hidden change may show them. */
  readonly #hidden = new Set<Element>();
  #pruneDue = false;
  #viewportDue = false;
  #paintDue = false;
  /** Blocks that got new marks since the last paint (to tell whether any is near the viewport). */
  #newlyMarked: Node[] = [];
  #paintFrame: number | undefined;
  /** Text node parent → its block, for the runs of text nodes a walk meets in one element. */
  #lastParent: Node | null = null;
  #lastBlock: Node | null = null;
  /** Blocks per step, adapted to their cost (see #scanBlocks). */
  #batchSize = 8;

  #startedAt = 0;
  #stats: Omit<ScanStats, 'marks' | 'painted'> = {
    slices: 0,
    busyMs: 0,
    longestSliceMs: 0,
    blocksScanned: 0,
    viewportMarkedMs: undefined,
  };

  constructor(options: PageScannerOptions) {
    this.document = options.document;
    this.#options = options;
    this.#core = options.core ?? createDetectorCore();
  }

  get started(): boolean {
    return this.#started;
  }

  get defaultRegion(): string {
    return this.#options.defaultRegion;
  }

  /** Starts scanning: the viewport at once, the rest in idle time, then changes as they happen. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#startedAt = performance.now();
    this.#frames = new WeakSet();
    this.#frameListeners = new AbortController();
    const view = this.document.defaultView ?? globalThis;
    this.#scheduler = new SliceScheduler(
      { hasWork: () => this.#hasWork(), step: () => this.#step() },
      {
        // The viewport's numbers are what the user waits for: larger slices (fewer yields) until they
        // are marked, still far from a 50 ms long task; then small ones for the rest of the page.
        budgetMs: () => (this.#viewportDue ? VIEWPORT_SLICE_MS : (this.#options.sliceBudgetMs ?? 6)),
        yieldToHost: createYieldToHost(view),
        waitForIdle: createWaitForIdle(view),
        onSlice: (start, end) => this.#recordSlice(start, end),
        onDrain: () => this.#onDrain(),
        onError: (error) => log.warn('scan step failed', error),
      },
    );
    const state = this.#attachDocument(this.document, undefined);
    if (!state) return;
    // The first pass reads layout: run it after the next frame, when the page's layout is done anyway.
    this.#afterNextFrame(() => this.#scheduler?.request(true));
  }

  /** Stops: every mark, highlight, listener and observer is removed; the UI host too. */
  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#scheduler?.stop();
    this.#scheduler = undefined;
    for (const state of [...this.#docs.values()]) this.#detachDocument(state);
    this.#frameListeners.abort();
    this.#store.clear();
    this.#viewportPasses = [];
    this.#priority = [];
    this.#records = [];
    this.#blocks = [];
    this.#blocksHead = 0;
    this.#walks = [];
    this.#queued.clear();
    this.#hidden.clear();
    this.#fresh.clear();
    this.#lastParent = this.#lastBlock = null;
    if (this.#paintFrame !== undefined) this.document.defaultView?.cancelAnimationFrame(this.#paintFrame);
    this.#paintFrame = undefined;
  }

  /**
   * Resolves when all pending scanning is complete: the first pass, and every change made to the page
   * before this call (mutations are taken from the observers at once rather than waiting for them).
   * Starts the scanner if needed. `root` narrows nothing today: the scanner finishes everything.
   */
  async scan(root: Node = this.document): Promise<void> {
    void root;
    if (!this.#started) this.start();
    for (const state of this.#docs.values()) this.#onMutations(state.observer.takeRecords());
    // After a change, let the browser lay the page out first: reading visibility or geometry in our
    // slice would otherwise force that layout inside it (200 ms for a row added to a 10,000-row table).
    if (this.#records.length > 0) await this.#nextFrame();
    await this.#scheduler?.whenIdle();
  }

  /** Every number marked under `root` (open shadow roots and same-origin frames included), one per occurrence. */
  marked(root: Node = this.document): FoundNumber[] {
    return this.#store.under(root).map((mark) => mark.found);
  }

  /** The scanner's own main-thread work so far. */
  stats(): ScanStats {
    let painted = 0;
    for (const state of this.#docs.values()) painted += state.painter.paintedCount;
    return { ...this.#stats, marks: this.#store.size, painted };
  }

  // ─── documents, shadow roots, frames ────────────────────────────────────────────────────────

  #attachDocument(document: Document, frame: DocumentState['frame']): DocumentState | undefined {
    const existing = this.#docs.get(document);
    if (existing) return existing;
    if (!document.documentElement) return undefined;
    const painter = new HighlightPainter(document);
    painter.attach();
    const observer = new (document.defaultView?.MutationObserver ?? MutationObserver)((records) =>
      this.#onMutations(records),
    );
    const state: DocumentState = {
      document,
      frame,
      painter,
      observer,
      listeners: new AbortController(),
      shadowRoots: new Set(),
      ui: undefined,
    };
    this.#docs.set(document, state);
    this.#observe(state, document);
    this.#listen(state);
    if (this.#options.ui ?? true) {
      state.ui = new ClickToCallUi(document, this.#uiDelegate(state));
      state.ui.start();
    }
    this.#viewportPasses.push(state);
    this.#viewportDue = true;
    this.#walks.push(new DomWalk(document, this.#walkVisitor(state, false)));
    return state;
  }

  #detachDocument(state: DocumentState): void {
    this.#docs.delete(state.document);
    state.observer.disconnect();
    state.listeners.abort();
    state.ui?.stop();
    state.painter.detach();
    for (const block of [...this.#store.blocks()]) {
      if (documentOf(block) === state.document) this.#store.drop(block);
    }
  }

  #observe(state: DocumentState, root: Document | ShadowRoot): void {
    state.observer.observe(root, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: OBSERVED_ATTRIBUTES,
    });
  }

  #attachShadowRoot(root: ShadowRoot, forced: boolean): void {
    const state = this.#docs.get(root.ownerDocument);
    if (!state || state.shadowRoots.has(root)) return;
    state.shadowRoots.add(root);
    state.painter.adoptInto(root);
    this.#observe(state, root);
    this.#walks.push(new DomWalk(root, this.#walkVisitor(state, forced)));
  }

  #attachFrame(frame: HTMLIFrameElement | HTMLFrameElement): void {
    if (this.#options.scanFrames === false) return;
    if (!this.#frames.has(frame)) {
      this.#frames.add(frame);
      // A frame's first document is often the initial about:blank; its real one arrives with `load`.
      frame.addEventListener(
        'load',
        () => {
          this.#attachFrameDocument(frame);
          this.#scheduler?.request(true);
        },
        { signal: this.#frameListeners.signal },
      );
    }
    this.#attachFrameDocument(frame);
  }

  #attachFrameDocument(frame: HTMLIFrameElement | HTMLFrameElement): void {
    if (!this.#started) return;
    let document: Document | null = null;
    try {
      document = frame.contentDocument; // null for a cross-origin frame
    } catch {
      document = null;
    }
    for (const state of [...this.#docs.values()]) {
      if (state.frame === frame && state.document !== document) this.#detachDocument(state);
    }
    if (document) this.#attachDocument(document, frame);
  }

  #listen(state: DocumentState): void {
    const { document, listeners } = state;
    const signal = listeners.signal;
    // Typing in a field changes its value, which no MutationObserver sees.
    const onInput = (event: Event): void => {
      const target = event.composedPath()[0] as Node | undefined;
      if (isElement(target) && isTextField(target)) {
        this.#invalidate(target);
        this.#scheduler?.request();
      }
    };
    document.addEventListener('input', onInput, { capture: true, passive: true, signal });
    document.addEventListener('change', onInput, { capture: true, passive: true, signal });
    const onViewportChange = (): void => this.#schedulePaint();
    document.addEventListener('scroll', onViewportChange, { capture: true, passive: true, signal });
    document.defaultView?.addEventListener('resize', onViewportChange, { passive: true, signal });
    if (this.#options.interceptTelLinks) {
      document.addEventListener('click', (event) => this.#onLinkClick(event), { capture: true, signal });
    }
  }

  // ─── the work ───────────────────────────────────────────────────────────────────────────────

  #hasWork(): boolean {
    return (
      this.#viewportPasses.length > 0 ||
      this.#priority.length > 0 ||
      this.#viewportDue ||
      this.#records.length > 0 ||
      this.#blocksHead < this.#blocks.length ||
      this.#walks.length > 0 ||
      this.#pruneDue
    );
  }

  #step(): void {
    const viewport = this.#viewportPasses.shift();
    if (viewport) {
      this.#viewportPass(viewport);
      return;
    }
    if (this.#priority.length > 0) {
      this.#scanBlocks(this.#priority.splice(-this.#batchSize).reverse());
      return;
    }
    if (this.#viewportDue) {
      this.#viewportDue = false;
      this.#paintNow();
      if (this.#stats.viewportMarkedMs === undefined) {
        this.#stats.viewportMarkedMs = performance.now() - this.#startedAt;
        if (this.#options.instrument) performance.mark('crm-softphone:viewport-marked');
      }
      return;
    }
    if (this.#records.length > 0) {
      for (const record of this.#records.splice(0, RECORD_STEP)) this.#handleRecord(record);
      return;
    }
    if (this.#pruneDue) {
      this.#pruneDue = false;
      this.#prune();
      return;
    }
    if (this.#blocksHead < this.#blocks.length) {
      const end = Math.min(this.#blocks.length, this.#blocksHead + this.#batchSize);
      const batch = this.#blocks.slice(this.#blocksHead, end);
      this.#blocksHead = end;
      if (end === this.#blocks.length) {
        this.#blocks = [];
        this.#blocksHead = 0;
      }
      this.#scanBlocks(batch);
      return;
    }
    const walk = this.#walks[0];
    if (walk && !walk.advance(WALK_STEP)) this.#walks.shift();
  }

  #onDrain(): void {
    if (this.#paintDue && this.#newMarksNearViewport()) this.#paintNow();
    this.#newlyMarked = [];
    // What the core cached (a table's headers) may be stale by the next change.
    this.#core.reset?.();
    this.#fresh.clear();
  }

  #recordSlice(start: number, end: number): void {
    const duration = end - start;
    this.#stats.slices++;
    this.#stats.busyMs += duration;
    if (duration > this.#stats.longestSliceMs) this.#stats.longestSliceMs = duration;
    if (this.#options.instrument) performance.measure('crm-softphone:scan-slice', { start, end });
  }

  /** Queues the blocks in (and near) the viewport ahead of everything else. */
  #viewportPass(state: DocumentState): void {
    const view = state.document.defaultView;
    if (!view) return;
    const margin = view.innerHeight / 4;
    const box: Box = { top: -margin, bottom: view.innerHeight + margin, left: 0, right: view.innerWidth };
    const visitor: DomWalkVisitor = {
      text: (node, data) => {
        if (!this.#core.rejectsText?.(node, data)) this.#queueBlockOf(node, true);
      },
      element: (element) => this.#queueBlockOf(element, true),
      shadowRoot: (root) => this.#attachShadowRoot(root, false),
      frame: (frame) => this.#attachFrame(frame),
    };
    visitViewport(state.document, box, visitor);
    // Scan in document order (pop() takes from the end).
    this.#priority.reverse();
    this.#viewportDue = true;
  }

  #walkVisitor(state: DocumentState, forced: boolean): DomWalkVisitor {
    void state;
    const queue = forced ? (node: Node) => this.#invalidate(node) : (node: Node) => this.#queueBlockOf(node, false);
    const rejects = this.#core.rejectsText?.bind(this.#core);
    return {
      // Many cells with digits on a CRM list cannot hold a number (amounts, short IDs): a lone text
      // node the core rejects outright is not even queued. (A block that had a number and lost it is
      // re-read through the removal or the character change that took it.)
      text: rejects ? (node, data) => (rejects(node, data) ? undefined : queue(node)) : queue,
      element: queue,
      shadowRoot: (root) => this.#attachShadowRoot(root, forced),
      frame: (frame) => this.#attachFrame(frame),
    };
  }

  #blockOf(node: Node): Node {
    const parent = node.parentNode;
    if (isText(node) && parent !== null && parent === this.#lastParent) return this.#lastBlock!;
    const block = this.#core.blockOf(node) ?? parent ?? node;
    if (isText(node)) {
      this.#lastParent = parent;
      this.#lastBlock = block;
    }
    return block;
  }

  /** Queues the block of `node` unless it is already scanned (first pass) or queued. */
  #queueBlockOf(node: Node, urgent: boolean): void {
    const block = this.#blockOf(node);
    if (this.#queued.has(block) || this.#fresh.has(block)) return;
    this.#queued.add(block);
    if (urgent) this.#priority.push(block);
    else this.#blocks.push(block);
  }

  /** `node` changed: its block is scanned again. */
  #invalidate(node: Node): void {
    const block = this.#blockOf(node);
    this.#fresh.delete(block);
    if (this.#queued.has(block)) return;
    this.#queued.add(block);
    this.#blocks.push(block);
  }

  /**
   * Reads a batch of blocks and marks their numbers, each under the block it sits in. Batches share
   * the work of finding labels; their size adapts so that a step stays near {@link BATCH_TARGET_MS}
   * whatever a block costs (a cell with one text node, or a form whose fields' labels are looked up).
   */
  #scanBlocks(batch: readonly Node[]): void {
    const started = performance.now();
    this.#readBlocks(batch);
    const perBlock = (performance.now() - started) / Math.max(1, batch.length);
    this.#batchSize = Math.max(1, Math.min(MAX_BATCH, Math.round(BATCH_TARGET_MS / Math.max(perBlock, 0.001))));
  }

  #readBlocks(batch: readonly Node[]): void {
    const live: Node[] = [];
    const toExtract: Node[] = [];
    const runs: TextRun[] = [];
    for (const block of batch) {
      // A block queued twice (first pass, then a change) is read once.
      if (!this.#queued.delete(block) && this.#fresh.has(block)) continue;
      this.#fresh.add(block);
      this.#stats.blocksScanned++;
      if (!block.isConnected) {
        this.#apply(block, []);
        continue;
      }
      live.push(block);
      // Most blocks are a cell with one text node: its run is built directly, without a tree walk.
      const lone = this.#core.loneTextRun ? this.#core.loneTextRun(block) : null;
      if (lone === null) toExtract.push(block);
      else if (lone) runs.push(lone);
    }
    if (live.length === 0) return;
    if (toExtract.length > 0) for (const run of this.#core.extractRuns(toExtract)) runs.push(run);
    const found = runs.length === 0 ? [] : this.#core.findNumbersInRuns(runs, { defaultRegion: this.#options.defaultRegion });
    // File each number under its own block: the batch's, or one nested in them.
    const byBlock = new Map<Node, FoundNumber[]>();
    let lastRun: unknown;
    let lastHome: Node | undefined;
    for (const number of found) {
      let home = lastHome;
      if (number.run !== lastRun || home === undefined) {
        const source = number.run.segments[0]?.source ?? number.startSource;
        home = this.#blockOf(source);
        lastRun = number.run;
        lastHome = home;
      }
      const list = byBlock.get(home);
      if (list) list.push(number);
      else byBlock.set(home, [number]);
    }
    for (const block of live) {
      this.#applyVisible(block, byBlock.get(block) ?? []);
      byBlock.delete(block);
    }
    for (const [home, numbers] of byBlock) {
      this.#applyVisible(home, numbers);
      this.#fresh.add(home);
      this.#queued.delete(home);
    }
  }

  /**
   * Marks a block's numbers unless the block is hidden. Visibility costs a style lookup (1–3 µs), so
   * it is asked only of blocks that hold a number, which most blocks with digits (amounts, dates,
   * IDs) do not; a hidden block is remembered and scanned again when a class/style change may show it.
   */
  #applyVisible(block: Node, found: FoundNumber[]): void {
    if (found.length > 0 && isElement(block)) {
      if (isRendered(block)) this.#hidden.delete(block);
      else {
        this.#hidden.add(block);
        found = [];
      }
    }
    this.#apply(block, found);
  }

  #apply(block: Node, found: readonly FoundNumber[]): void {
    if (found.length === 0 && this.#store.inBlock(block).length === 0) return;
    const change = this.#store.replace(block, found);
    if (change.removed.length > 0) this.#docs.get(documentOf(block))?.painter.forget(change.removed);
    if (change.added.length > 0) {
      this.#paintDue = true;
      if (this.#newlyMarked.length <= NEAR_VIEWPORT_CHECKS) this.#newlyMarked.push(block);
    }
  }

  // ─── changes ────────────────────────────────────────────────────────────────────────────────

  #onMutations(records: MutationRecord[]): void {
    if (records.length === 0 || !this.#started) return;
    // The DOM changed: a text node's parent may now sit in another block.
    this.#lastParent = this.#lastBlock = null;
    for (const record of records) this.#records.push(record);
    this.#scheduler?.request();
  }

  #handleRecord(record: MutationRecord): void {
    const target = record.target;
    switch (record.type) {
      case 'characterData':
        if (isText(target) && (mayHoldNumber(target) || this.#store.atSource(target).length > 0)) this.#invalidate(target);
        return;
      case 'attributes': {
        if (!isElement(target)) return;
        if (VALUE_ATTRIBUTES.has(record.attributeName ?? '')) {
          if (isTextField(target) || telHref(target) !== undefined || this.#store.atSource(target).length > 0) {
            this.#invalidate(target);
          }
        } else if (this.#hidden.size > 0) {
          // A class/style/hidden change may show blocks we skipped as hidden.
          for (const hidden of this.#hidden) {
            if (target === hidden || target.contains(hidden)) {
              this.#hidden.delete(hidden);
              this.#invalidate(hidden);
            }
          }
        }
        return;
      }
      case 'childList': {
        const state = this.#docs.get(documentOf(target));
        for (const added of record.addedNodes) {
          if (!added.isConnected) continue;
          if (isText(added)) {
            if (mayHoldNumber(added)) this.#invalidate(added);
          } else if (isElement(added)) {
            if (added.tagName === UI_HOST_TAG.toUpperCase() || added.localName === UI_HOST_TAG) continue;
            if (state) this.#walks.push(new DomWalk(added, this.#walkVisitor(state, true)));
          }
        }
        if (record.removedNodes.length > 0) {
          this.#pruneDue = true;
          for (const removed of record.removedNodes) {
            for (const mark of this.#store.atSource(removed)) if (mark.block.isConnected) this.#invalidate(mark.block);
            // Inline content left a block that stays: its runs changed. (A removed row or cell only
            // takes its own blocks away, which the prune handles.)
            const inline = isText(removed) ? mayHoldNumber(removed) : isElement(removed) && INLINE_TAGS.has(removed.tagName);
            if (inline && target.isConnected && !isDocumentLike(target)) this.#invalidate(target);
          }
        }
        return;
      }
    }
  }

  /** Drops the marks of blocks that left the page, and of frames that left or navigated. */
  #prune(): void {
    for (const state of [...this.#docs.values()]) {
      if (state.frame && (!state.frame.isConnected || safeContentDocument(state.frame) !== state.document)) {
        this.#detachDocument(state);
      }
    }
    for (const [document, state] of this.#docs) {
      void document;
      for (const root of [...state.shadowRoots]) if (!root.host.isConnected) state.shadowRoots.delete(root);
    }
    const removed = this.#store.dropDisconnected();
    if (removed.length === 0) return;
    for (const state of this.#docs.values()) state.painter.forget(removed);
    for (const hidden of [...this.#hidden]) if (!hidden.isConnected) this.#hidden.delete(hidden);
  }

  // ─── painting ───────────────────────────────────────────────────────────────────────────────

  #schedulePaint(): void {
    if (this.#paintFrame !== undefined || !this.#started) return;
    const view = this.document.defaultView;
    if (!view) return;
    this.#paintFrame = view.requestAnimationFrame(() => {
      this.#paintFrame = undefined;
      this.#paintNow();
    });
  }

  /**
   * Whether a paint after this burst of work would show anything new: rows appended below the fold
   * (the common single-page-app case) need no paint until they are scrolled to, and a paint costs a
   * walk of the viewport. (Removed marks were unpainted as they went.)
   */
  #newMarksNearViewport(): boolean {
    if (this.#store.size <= PAINT_ALL_LIMIT || this.#newlyMarked.length > NEAR_VIEWPORT_CHECKS) return true;
    for (const block of this.#newlyMarked) {
      if (!isElement(block)) return true;
      const view = block.ownerDocument.defaultView;
      if (!view) continue;
      const rect = block.getBoundingClientRect();
      const margin = view.innerHeight;
      if (rect.bottom >= -margin && rect.top <= view.innerHeight + margin) return true;
    }
    return false;
  }

  /** Paints the marks near each document's viewport (all of them when there are few). */
  #paintNow(): void {
    this.#paintDue = false;
    this.#newlyMarked = [];
    const paintAll = this.#store.size <= PAINT_ALL_LIMIT;
    for (const state of this.#docs.values()) {
      state.painter.readopt();
      state.painter.setUnderlined(!hasMoreElementsThan(state.document, UNDERLINE_ELEMENT_LIMIT));
      const marks = new Set<Mark>();
      if (paintAll) {
        for (const block of this.#store.blocks()) {
          if (documentOf(block) === state.document) for (const mark of this.#store.inBlock(block)) marks.add(mark);
        }
      } else {
        const view = state.document.defaultView;
        if (!view) continue;
        const margin = view.innerHeight;
        const box: Box = { top: -margin, bottom: view.innerHeight + margin, left: -view.innerWidth, right: view.innerWidth * 2 };
        const collect = (node: Node): void => {
          for (const mark of this.#store.atSource(node)) marks.add(mark);
        };
        visitViewport(state.document, box, { text: collect, element: collect, shadowRoot: () => undefined, frame: () => undefined });
      }
      state.painter.show(marks);
    }
  }

  // ─── the card ───────────────────────────────────────────────────────────────────────────────

  #uiDelegate(state: DocumentState): ClickToCallUiDelegate {
    return {
      numberAtPoint: (x, y, target) => this.#numberAtPoint(state, x, y, target),
      numberIn: (element) => this.#numberIn(element),
      call: (found) => this.#options.onCall(toRequest(found)),
      copied: (found, text) => this.#options.onCopy?.(toRequest(found), text),
      activeChanged: (number) => state.painter.setActive(number?.key as Mark | undefined),
      format: (found) => (this.#options.formatNumber ?? formatInternational)(found),
    };
  }

  #numberAtPoint(state: DocumentState, x: number, y: number, target: Element | null): UiNumber | undefined {
    if (this.#store.size === 0) return undefined;
    // A field or link that is itself the number's source: the pointer target says so.
    for (let element = target, depth = 0; element && depth < 4; element = element.parentElement, depth++) {
      const mark = this.#store.atSource(element)[0];
      if (mark) return this.#uiNumber(mark, element);
    }
    // Text: the text node under the pointer (caret hit test), and the text children of the element
    // under it (the caret lands in the next node when the pointer is on a node's last half-character).
    const candidates = new Set<Mark>();
    const caret = caretNodeAt(state, x, y);
    if (caret) for (const mark of this.#store.atSource(caret)) candidates.add(mark);
    if (target) {
      for (let child = target.firstChild; child; child = child.nextSibling) {
        if (isText(child)) for (const mark of this.#store.atSource(child)) candidates.add(mark);
      }
    }
    for (const mark of candidates) {
      const range = liveRange(mark);
      if (range && boxesContain(range.getClientRects(), x, y)) return this.#uiNumber(mark, undefined);
    }
    return undefined;
  }

  #numberIn(element: Element): UiNumber | undefined {
    if (this.#store.size === 0) return undefined;
    const own = this.#store.atSource(element)[0];
    if (own) return this.#uiNumber(own, element);
    const inside = this.#store.under(element)[0];
    return inside ? this.#uiNumber(inside, element) : undefined;
  }

  #uiNumber(mark: Mark, origin: Element | undefined): UiNumber {
    const field = origin !== undefined && isTextField(origin) && mark.found.startSource === origin;
    return {
      found: mark.found,
      key: mark,
      kind: field ? 'field' : 'text',
      origin,
      anchor: () => {
        if (!mark.block.isConnected) return undefined;
        if (field) return origin.getBoundingClientRect();
        const range = liveRange(mark);
        return range ? unionBox(range.getClientRects()) : origin?.getBoundingClientRect();
      },
    };
  }

  // ─── tel: and sip: links ────────────────────────────────────────────────────────────────────

  #onLinkClick(event: MouseEvent): void {
    if (!event.isTrusted || event.defaultPrevented || event.button !== 0) return;
    const link = event.composedPath().find((node) => isElement(node as Node) && telHref(node as Element) !== undefined) as
      | Element
      | undefined;
    if (!link) return;
    const request = this.#linkRequest(link);
    if (!request) return;
    // The page keeps its own click handlers; only the system's tel:/sip: handler is not launched.
    event.preventDefault();
    this.#options.onCall(request);
  }

  #linkRequest(link: Element): CallRequest | undefined {
    const marked = this.#store.atSource(link)[0] ?? this.#store.under(link)[0];
    if (marked) return toRequest(marked.found);
    const href = telHref(link)!;
    const target = parseTelHref(href);
    if (!target) return undefined;
    const text = link.textContent?.trim() || href;
    if (target.isSipUri || target.number.startsWith('+')) {
      return target.ext ? { e164: target.number, ext: target.ext, text } : { e164: target.number, text };
    }
    const detected = this.#core.detectPhoneNumbers?.(target.number, {
      defaultRegion: this.#options.defaultRegion,
      context: { fromTelLink: true },
    })[0];
    const e164 = detected?.e164 ?? target.number;
    const ext = target.ext ?? detected?.ext;
    return ext ? { e164, ext, text } : { e164, text };
  }

  // ─── helpers ────────────────────────────────────────────────────────────────────────────────

  #nextFrame(): Promise<void> {
    return new Promise((resolve) => this.#afterNextFrame(resolve));
  }

  #afterNextFrame(callback: () => void): void {
    const view = this.document.defaultView;
    let done = false;
    const run = (): void => {
      if (done) return;
      done = true;
      callback();
    };
    // rAF does not run in a background tab: there the next task will do. In a visible one the frame
    // may take long (a 10,000-row table's re-layout takes ~250 ms): wait for it, or our slice would
    // force that layout itself; the long timer is only a safety net.
    if (!view || this.document.visibilityState === 'hidden') {
      setTimeout(run, 0);
      return;
    }
    view.requestAnimationFrame(() => setTimeout(run, 0));
    setTimeout(run, 1000);
  }
}

/**
 * Whether a document has more than `limit` elements, counting no further than that (a live
 * collection's length would count all 130,000 elements of a large page: ~10 ms).
 */
function hasMoreElementsThan(document: Document, limit: number): boolean {
  const root = document.documentElement;
  if (!root) return false;
  const walker = document.createTreeWalker(root, 0x1 /* NodeFilter.SHOW_ELEMENT */);
  let count = 0;
  while (walker.nextNode()) if (++count > limit) return true;
  return false;
}

function toRequest(found: FoundNumber): CallRequest {
  return found.ext ? { e164: found.e164, ext: found.ext, text: found.text } : { e164: found.e164, text: found.text };
}

function isDocumentLike(node: Node): boolean {
  return node.nodeType === 9 || node.nodeType === 11 || (isElement(node) && (node.tagName === 'HTML' || node.tagName === 'BODY'));
}

function safeContentDocument(frame: HTMLIFrameElement | HTMLFrameElement): Document | null {
  try {
    return frame.contentDocument;
  } catch {
    return null;
  }
}

/** Whether an element is rendered and visible: not `display: none` (itself or an ancestor), not `visibility: hidden`. */
function isRendered(element: Element): boolean {
  const check = (element as Element & { checkVisibility?: (options?: object) => boolean }).checkVisibility;
  if (typeof check === 'function') return check.call(element, { visibilityProperty: true, checkVisibilityCSS: true });
  return true;
}

/** A live Range over a marked number in text, for its line boxes (StaticRange has no geometry). */
function liveRange(mark: Mark): Range | undefined {
  const { startSource, startOffset, endSource, endOffset } = mark.found;
  if (!isText(startSource) || !isText(endSource)) return undefined;
  try {
    const range = startSource.ownerDocument.createRange();
    range.setStart(startSource, startOffset);
    range.setEnd(endSource, endOffset);
    return range;
  } catch {
    return undefined; // the text shrank since the mark was made; the re-scan is on its way
  }
}

interface CaretDocument {
  caretPositionFromPoint?(x: number, y: number, options?: { shadowRoots?: ShadowRoot[] }): { offsetNode: Node } | null;
  caretRangeFromPoint?(x: number, y: number): Range | null;
}

/** The node under a point: `caretPositionFromPoint` (standard; told our open shadow roots), else WebKit's `caretRangeFromPoint`. */
function caretNodeAt(state: DocumentState, x: number, y: number): Node | undefined {
  const document = state.document as Document & CaretDocument;
  if (typeof document.caretPositionFromPoint === 'function') {
    const position = document.caretPositionFromPoint(x, y, { shadowRoots: [...state.shadowRoots] });
    return position?.offsetNode ?? undefined;
  }
  return document.caretRangeFromPoint?.(x, y)?.startContainer ?? undefined;
}
