export interface LiveRegionProps {
  text: string;
}

/**
 * Invisible text a screen reader reads whenever it changes (incoming call, call and registration
 * state). It is always in the document: a live region added together with its text is often not read.
 */
export function LiveRegion({ text }: LiveRegionProps) {
  return (
    <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {text}
    </div>
  );
}
