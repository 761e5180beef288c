import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { nearEnd, virtualWindow, windowSegments } from '@/lib/panel/virtual-window';

/** Attributes every rendered item's `<li>` must carry (position in the whole list, and its key). */
export interface VirtualItemAttributes {
  'data-key': string;
  'aria-setsize': number;
  'aria-posinset': number;
}

export interface VirtualListProps<T extends { key: string }> {
  items: readonly T[];
  /** Height to assume for an item not rendered yet, in px. */
  estimateSize: (item: T) => number;
  /** Renders one item as an `<li>` spreading `attributes`. */
  renderItem: (item: T, attributes: VirtualItemAttributes) => ComponentChildren;
  /** The list's accessible name. */
  label: string;
  testId: string;
  /** Called when the window comes near the end (the owner loads the next page, if any). */
  onNearEnd: () => void;
  /** @defaultValue 4 */
  overscan?: number;
  /** Items from the end at which {@link VirtualListProps.onNearEnd} fires. @defaultValue 8 */
  endThreshold?: number;
}

/**
 * A list that renders only the items in view (plus an overscan) between two spacers, inside its own
 * scroll container. Presentation only: it measures rendered items, keeps the item holding the
 * keyboard focus rendered while it is scrolled away, and says when the end comes near; the windowing
 * math is `lib/panel/virtual-window.ts`.
 */
export function VirtualList<T extends { key: string }>(props: VirtualListProps<T>) {
  const { items, estimateSize, renderItem, overscan = 4, endThreshold = 8 } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const measured = useRef(new Map<string, number>());
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(0);
  const [measureVersion, setMeasureVersion] = useState(0);
  const [focusedKey, setFocusedKey] = useState<string | undefined>(undefined);

  const sizes = useMemo(
    () => items.map((item) => measured.current.get(item.key) ?? estimateSize(item)),
    // measureVersion: new measurements change the sizes of the same items.
    [items, measureVersion, estimateSize],
  );
  const window = virtualWindow({ sizes, scrollTop, viewportHeight, overscan });
  const pinned = focusedKey === undefined ? undefined : items.findIndex((item) => item.key === focusedKey);
  const segments = windowSegments(window, sizes, pinned === -1 ? undefined : pinned);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const update = (): void => setViewportHeight(element.clientHeight);
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Measure what was rendered; a change re-renders with the real sizes (items are keyed, so the
  // same elements stay and only the spacers move).
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    let changed = false;
    for (const child of element.querySelectorAll<HTMLElement>(':scope > [data-key]')) {
      const key = child.dataset.key!;
      // Margins are part of the room an item takes; a spacer must stand for them too.
      const style = getComputedStyle(child);
      const height = child.getBoundingClientRect().height + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
      if (Math.abs((measured.current.get(key) ?? -1) - height) > 0.5) {
        measured.current.set(key, height);
        changed = true;
      }
    }
    if (changed) setMeasureVersion((version) => version + 1);
  });

  const near = items.length > 0 && nearEnd(window, items.length, endThreshold);
  useEffect(() => {
    if (near) props.onNearEnd();
  }, [near, items.length]);

  return (
    <div
      class="virtual-list"
      ref={scroller}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <ul
        ref={list}
        class="virtual-list__items"
        aria-label={props.label}
        data-testid={props.testId}
        data-count={items.length}
        onFocusIn={(event) => {
          const owner = (event.target as HTMLElement).closest<HTMLElement>('[data-key]');
          setFocusedKey(owner?.dataset.key);
        }}
        onFocusOut={(event) => {
          const next = event.relatedTarget as Node | null;
          if (!next || !list.current?.contains(next)) setFocusedKey(undefined);
        }}
      >
        {segments.map((segment, index) => {
          if (segment.kind === 'gap') {
            return <li key={`gap-${index}`} class="virtual-list__gap" aria-hidden="true" style={{ height: `${segment.size}px` }} />;
          }
          const item = items[segment.index]!;
          return (
            <Fragment key={item.key}>
              {renderItem(item, {
                'data-key': item.key,
                'aria-setsize': items.length,
                'aria-posinset': segment.index + 1,
              })}
            </Fragment>
          );
        })}
      </ul>
    </div>
  );
}
