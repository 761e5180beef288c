import { tPanel } from '@/lib/i18n/panel-messages';

export interface SetupNoticeProps {
  /** `data-testid` of the notice (`no-account`, `mic-warning`). */
  testId: string;
  text: string;
  onOpenOptions: () => void;
}

/** Something only the settings can fix, with a link to them. */
export function SetupNotice({ testId, text, onOpenOptions }: SetupNoticeProps) {
  return (
    <div class="notice notice--warning" data-testid={testId} role="note">
      <span>{text}</span>{' '}
      <a
        href="#"
        class="notice-link"
        data-testid="open-options"
        onClick={(event) => {
          event.preventDefault();
          onOpenOptions();
        }}
      >
        {tPanel('setup.openOptions')}
      </a>
    </div>
  );
}
