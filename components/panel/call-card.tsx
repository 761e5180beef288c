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
  /** "Don't answer automatically"; without it the card offers no way to stop an auto-answer. */
  onCancelAutoAnswer?: (callId: string) => void;
  /** "Hang up and answer" on a waiting call. */
  onHangupAndAnswer?: (callId: string) => void;
  /** Split the conference, keeping this call with the agent. */
  onSplit?: (callId: string) => void;
  /** In-call tools shown at the bottom of the card (keypad, transfer). */
  children?: ComponentChildren;
  /** Who is calling (the screen pop), under the number. */
  caller?: ComponentChildren;
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
  onCancelAutoAnswer,
  onHangupAndAnswer,
  onSplit,
  children,
  caller,
}: CallCardProps) {
  const classes = ['call', call.incoming && 'call--incoming', call.waiting && 'call--waiting', call.held && 'call--held']
    .filter(Boolean)
    .join(' ');
  return (
    <article
      class={classes}
      data-testid={`call-${call.id}`}
      data-state={call.state}
      data-direction={call.direction}
      data-recording={call.recording ? 'true' : 'false'}
      data-held={call.held ? 'true' : 'false'}
      data-line={call.line}
      data-reconnecting={call.reconnecting ? 'true' : 'false'}
      aria-label={`${call.directionText}: ${call.remoteLabel}`}
    >
      <div class="call-meta">
        <span class="call-direction" role="img" aria-label={call.directionText} title={call.directionText}>
          {call.direction === 'inbound' ? '↙' : '↗'}
        </span>
        <span class="call-state" data-testid="call-state" role={call.reconnecting ? 'status' : undefined}>
          {call.stateText}
        </span>
        {call.lineText && (
          <span class="call-line" data-testid="call-line">
            {call.lineText}
          </span>
        )}
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
      {caller}
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
      {call.incoming && call.autoAnswerText !== undefined && (
        <div class="call-auto-answer" data-testid="call-auto-answer" role="status">
          <span data-testid="call-auto-answer-text">{call.autoAnswerText}</span>
          {onCancelAutoAnswer && (
            <button
              type="button"
              class="button button--small"
              data-testid="call-cancel-auto-answer"
              disabled={call.busy}
              onClick={() => onCancelAutoAnswer(call.id)}
            >
              {tPanel('call.cancelAutoAnswer')}
            </button>
          )}
        </div>
      )}
      {call.incoming ? (
        <div class="call-actions call-actions--incoming">
          <button
            type="button"
            class="button button--big button--answer"
            data-testid="call-answer"
            disabled={call.busy || !call.canAnswer}
            title={call.waiting ? tPanel('call.answerAndHoldTitle') : undefined}
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
          {call.waiting && onHangupAndAnswer && (
            <button
              type="button"
              class="button"
              data-testid="call-hangup-answer"
              disabled={call.busy}
              onClick={() => onHangupAndAnswer(call.id)}
            >
              {tPanel('call.hangupAndAnswer')}
            </button>
          )}
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
          {call.inConference && onSplit ? (
            <button
              type="button"
              class="button"
              data-testid="call-split"
              title={tPanel('line.splitTitle', { remote: call.remoteLabel })}
              disabled={call.busy}
              onClick={() => onSplit(call.id)}
            >
              {tPanel('line.split')}
            </button>
          ) : (
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
          )}
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
