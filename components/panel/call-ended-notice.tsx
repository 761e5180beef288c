import type { EndedNotice } from '@/lib/panel/phone-model';

export interface CallEndedNoticeProps {
  notice: EndedNotice;
}

/** How the last call ended, for a few seconds after it did. */
export function CallEndedNotice({ notice }: CallEndedNoticeProps) {
  return (
    <p class="notice notice--ended" data-testid="call-ended" data-reason={notice.reason ?? ''} data-call-id={notice.callId}>
      {notice.text}
    </p>
  );
}
