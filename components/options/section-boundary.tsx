import type { ComponentChildren } from 'preact';
import { useErrorBoundary } from 'preact/hooks';
import { tOptions } from '@/lib/i18n/options-messages';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('options');

/** Keeps a failing part of the page from blanking the rest; says what failed instead. */
export function SectionBoundary({ children }: { children: ComponentChildren }) {
  const [error] = useErrorBoundary((caught: unknown) => log.error('options page section failed', caught));
  if (error) {
    return (
      <p class="error" role="alert" data-testid="section-error">
        {tOptions('page.sectionFailed', { message: error instanceof Error ? error.message : String(error) })}
      </p>
    );
  }
  return <>{children}</>;
}
