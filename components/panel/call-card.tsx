import type { ComponentChildren } from 'preact';
import { tPanel } from '@/lib/i18n/panel-messages';
import type { CallView } from '@/lib/panel/phone-model';

export interface CallCardProps {
  call: CallView;
  onAnswer: (callId: string) => void;
  onDecline: (callId: string) => void;
  onHangup: (callId: string) => void;
  onToggleMute: (callId: string) => void;
  onToggleRecording: (callId: string) => void;
  onToggleHold: (callId: string) => void;
  /** In-call tools shown at the bottom of the card (keypad, transfer). */
  children?: ComponentChildren;
}

/** One call: who, which way, its state and timer, and what can be done with it. */
export function CallCard({
  call,
  onAnswer,
  onDecline,
  onHangup,
  onToggleMute,
  onToggleRecording,
  onToggleHold,
  children,
}: CallCardProps) {
  return (
    <article
      class={call.incoming ? 'call call--incoming' : 'call'}
      data-testid={`call-${call.id}`}
      data-state={call.state}
      data-direction={call.direction}
      data-recording={call.recording ? 'true' : 'false'}
      data-held={call.held ? 'true' : 'false'}
      aria-label={`${call.directionText}: ${call.remoteLabel}`}
    >
      <div class="call-meta">
        <span class="call-direction" role="img" aria-label={call.directionText} title={call.directionText}>
          {call.direction === 'inbound' ? '↙' : '↗'}
        </span>
        <span class="call-state">{call.stateText}</span>
        {call.timer !== undefined && (
          <span class="call-timer" data-testid="call-timer" role="timer">
            {call.timer}
          </span>
        )}
        {call.recording && (
          <span class="call-recording" data-testid="call-recording" role="status">
            {tPanel('call.recording')}
          </span>
        )}
      </div>
      <div class="call-remote" data-testid="call-remote">
        {call.remoteLabel}
      </div>
      {call.remoteDetail && <div class="call-remote-detail">{call.remoteDetail}</div>}
      {call.holdNotice && (
        <div class="call-hold-notice" data-testid="call-hold-notice" role="status">
          {call.holdNotice}
        </div>
      )}
      {call.quality && (
        <div
          class={`call-quality call-quality--${call.quality.level}`}
          data-testid="call-quality"
          data-level={call.quality.level}
          title={call.quality.detail}
          role={call.quality.level === 'poor' ? 'alert' : undefined}
        >
          <span class="call-quality__dot" aria-hidden="true" />
          {call.quality.text}
          <span class="visually-hidden"> ({call.quality.detail})</span>
        </div>
      )}
      {call.incoming ? (
        <div class="call-actions call-actions--incoming">
          <button
            type="button"
            class="button button--big button--answer"
            data-testid="call-answer"
            disabled={call.busy}
            onClick={() => onAnswer(call.id)}
          >
            {tPanel('call.answer')}
          </button>
          <button
            type="button"
            class="button button--big button--danger"
            data-testid="call-decline"
            disabled={call.busy}
            onClick={() => onDecline(call.id)}
          >
            {tPanel('call.decline')}
          </button>
        </div>
      ) : (
        <div class="call-actions">
          <button
            type="button"
            class="button button--toggle"
            data-testid="call-mute"
            aria-pressed={call.muted}
            disabled={!call.canMute || call.busy}
            onClick={() => onToggleMute(call.id)}
          >
            {tPanel('call.mute')}
          </button>
          <button
            type="button"
            class="button button--toggle"
            data-testid="call-hold"
            aria-pressed={call.held}
            disabled={!call.canHold || call.busy}
            onClick={() => onToggleHold(call.id)}
          >
            {call.holdText}
          </button>
          {call.canRecord && (
            <button
              type="button"
              class="button button--toggle"
              data-testid="call-record"
              aria-pressed={call.recording}
              disabled={call.busy}
              onClick={() => onToggleRecording(call.id)}
            >
              {tPanel(call.recording ? 'call.stopRecording' : 'call.record')}
            </button>
          )}
          <button
            type="button"
            class="button button--danger"
            data-testid="call-hangup"
            disabled={!call.canHangup || call.busy}
            onClick={() => onHangup(call.id)}
          >
            {call.hangupText}
          </button>
        </div>
      )}
      {children}
    </article>
  );
}
