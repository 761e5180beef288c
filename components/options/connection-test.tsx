import { tOptions } from '@/lib/i18n/options-messages';
import { tPhone } from '@/lib/i18n/phone-messages';
import type { ConnectionTestStatus } from '@/lib/options/options-model';

export interface ConnectionTestProps {
  /** `data-testid` prefix: the button is `<testId>`, the status `<testId>-status`. */
  testId: string;
  status: ConnectionTestStatus | undefined;
  onTest: () => void;
}

/** "Test connection" button and its outcome. */
export function ConnectionTest({ testId, status, onTest }: ConnectionTestProps) {
  const running = status?.state === 'running';
  return (
    <div class="connection-test">
      <button type="button" data-testid={testId} disabled={running} aria-busy={running} onClick={onTest}>
        {tOptions('test.button')}
      </button>
      <p
        class={`test-status test-status--${status?.state ?? 'idle'}`}
        data-testid={`${testId}-status`}
        data-state={status?.state ?? 'idle'}
        role="status"
        aria-live="polite"
      >
        {status && <ConnectionTestMessage status={status} />}
      </p>
    </div>
  );
}

function ConnectionTestMessage({ status }: { status: ConnectionTestStatus }) {
  switch (status.state) {
    case 'running':
      return (
        <>
          <span class="spinner" aria-hidden="true" />
          {tOptions('test.running')}
        </>
      );
    case 'ok':
      return <>{tOptions('test.ok', { ms: Math.round(status.elapsedMs) })}</>;
    case 'failed':
      return (
        <>
          {status.failure ? tPhone(`failure.${status.failure}`) : tOptions('test.failed')}
          {status.detail && <span class="detail"> ({status.detail})</span>}
        </>
      );
    case 'invalid':
      return <>{tOptions('test.invalid')}</>;
    case 'error':
      return <>{tOptions('test.error', { message: status.message })}</>;
  }
}
