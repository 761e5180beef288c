import type { ComponentChildren } from 'preact';
import { tCrmTimeline } from '@/lib/i18n/crm-timeline-messages';
import { tPanel } from '@/lib/i18n/panel-messages';
import type { ComposeView, RecordingView, TimelineEntryView, TimelineView } from '@/lib/panel/history-model';

export interface NumberTimelineProps {
  timeline: TimelineView;
  onBack: () => void;
  onComposeInput: (text: string) => void;
  onComposeSend: () => void;
  onLoadRecording: (recordingId: string) => void;
  onRequestRecordingDelete: (recordingId: string) => void;
  onConfirmRecordingDelete: () => void;
  onCancelRecordingDelete: () => void;
  /** The number's contact card (Add contact / Edit / Delete), under the title. */
  contact?: ComponentChildren;
}

const KIND_LABEL = {
  call: 'timeline.call',
  note: 'timeline.note',
  recording: 'timeline.recording',
} as const;

/** Everything about one number, newest first: its calls, the notes about it, its recordings and messages. */
export function NumberTimeline({
  timeline,
  onBack,
  onComposeInput,
  onComposeSend,
  contact,
  ...recordingActions
}: NumberTimelineProps) {
  return (
    <section class="timeline" data-testid="timeline" aria-label={tPanel('timeline.title', { who: timeline.title })}>
      <div class="timeline__header">
        <button type="button" class="button button--small" data-testid="timeline-back" onClick={onBack}>
          {tPanel('timeline.back')}
        </button>
        <h2 class="timeline__title">{timeline.title}</h2>
      </div>
      {contact}
      <ComposeBox who={timeline.title} compose={timeline.compose} onInput={onComposeInput} onSend={onComposeSend} />
      {timeline.entries.length === 0 && <p class="history__empty">{tPanel('timeline.empty')}</p>}
      <ol class="timeline__entries">
        {timeline.entries.map((entry) =>
          entry.kind === 'message' ? (
            <MessageBubble key={entry.id} entry={entry} />
          ) : (
            <li
              key={entry.id}
              class={`timeline__entry timeline__entry--${entry.kind}`}
              data-testid="timeline-entry"
              data-kind={entry.kind}
              data-id={entry.id}
              {...(entry.outcome ? { 'data-outcome': entry.outcome } : {})}
            >
              <time class="timeline__time">{entry.time}</time>
              <span class="timeline__kind">{tPanel(KIND_LABEL[entry.kind])}</span>
              <span class="timeline__text">{entry.text}</span>
              {entry.recording && <RecordingControls entry={entry} recording={entry.recording} {...recordingActions} />}
            </li>
          ),
        )}
      </ol>
      {timeline.crm && <CrmEntries crm={timeline.crm} />}
    </section>
  );
}

/** The number's record in the CRM, worded, apart from the local history (logged calls are in both). */
function CrmEntries({ crm }: { crm: NonNullable<TimelineView['crm']> }) {
  return (
    <section class="timeline__crm" data-testid="timeline-crm" aria-labelledby="timeline-crm-heading">
      <h3 id="timeline-crm-heading" class="timeline__crm-heading">
        {tCrmTimeline('crmTimeline.heading')}
      </h3>
      {crm.unavailable && (
        <p class="history__empty" data-testid="timeline-crm-unavailable">
          {tCrmTimeline('crmTimeline.unavailable')}
        </p>
      )}
      <ol class="timeline__entries">
        {crm.entries.map((entry) => (
          <li
            key={entry.id}
            class="timeline__entry timeline__entry--crm"
            data-testid="timeline-crm-entry"
            data-what={entry.what}
            {...(entry.direction ? { 'data-direction': entry.direction } : {})}
          >
            <time class="timeline__time">{entry.time}</time>
            <span class="timeline__kind">{entry.title}</span>
            {entry.text && <span class="timeline__text">{entry.text}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A message as a chat bubble: theirs on the left, ours on the right. The text is rendered as text. */
function MessageBubble({ entry }: { entry: TimelineEntryView }) {
  const outbound = entry.direction === 'outbound';
  return (
    <li
      class={`timeline__entry timeline__entry--message bubble bubble--${outbound ? 'out' : 'in'} bubble--${entry.status}`}
      data-testid="timeline-entry"
      data-kind="message"
      data-direction={entry.direction}
      data-status={entry.status}
    >
      <span class="visually-hidden">{tPanel(outbound ? 'timeline.messageOut' : 'timeline.messageIn')}</span>
      <p class="bubble__text" data-testid="message-text">
        {entry.text}
      </p>
      <span class="bubble__meta">
        <time>{entry.time}</time> · <span data-testid="message-status">{entry.statusText}</span>
      </span>
      {entry.failureText && (
        <span class="bubble__failure" data-testid="message-failure">
          {entry.failureText}
        </span>
      )}
    </li>
  );
}

interface ComposeBoxProps {
  who: string;
  compose: ComposeView;
  onInput: (text: string) => void;
  onSend: () => void;
}

/** Where a message to the number is written: Enter sends, Shift+Enter starts a new line. */
function ComposeBox({ who, compose, onInput, onSend }: ComposeBoxProps) {
  const disabled = compose.disabledReason !== undefined;
  return (
    <form
      class="compose"
      data-testid="compose"
      onSubmit={(event) => {
        event.preventDefault();
        onSend();
      }}
    >
      <label class="visually-hidden" for="compose-text">
        {tPanel('compose.label', { who })}
      </label>
      <textarea
        id="compose-text"
        class="compose__text"
        data-testid="compose-input"
        rows={2}
        placeholder={tPanel('compose.placeholder')}
        aria-describedby="compose-hint compose-status"
        disabled={disabled}
        value={compose.draft}
        onInput={(event) => onInput(event.currentTarget.value)}
        onKeyDown={(event) => {
          // Enter sends; Shift+Enter is a new line; Enter while an IME composes a word is the IME's.
          if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
          event.preventDefault();
          onSend();
        }}
      />
      <div class="compose__bar">
        <span id="compose-hint" class="compose__hint">
          {tPanel('compose.hint')}
        </span>
        <span class="compose__counter" data-testid="compose-counter">
          {tPanel('compose.counter', { count: compose.length, max: compose.maxLength })}
        </span>
        <button type="submit" class="button button--small" data-testid="compose-send" disabled={!compose.canSend}>
          {compose.sending ? tPanel('compose.sending') : tPanel('compose.send')}
        </button>
      </div>
      <div id="compose-status" role="status" aria-live="polite">
        {compose.disabledReason && (
          <p class="compose__reason" data-testid="compose-disabled">
            {compose.disabledReason}
          </p>
        )}
        {compose.problem && <p class="error">{compose.problem}</p>}
        {compose.error && (
          <p class="error" data-testid="compose-error">
            {compose.error}
          </p>
        )}
      </div>
    </form>
  );
}

type RecordingControlsProps = Omit<NumberTimelineProps, 'timeline' | 'onBack' | 'onComposeInput' | 'onComposeSend'> & {
  entry: TimelineEntryView;
  recording: RecordingView;
};

/** A recording's player (loaded when asked), its download link and its deletion with confirmation. */
function RecordingControls({ entry, recording, ...actions }: RecordingControlsProps) {
  return (
    <div class="timeline__recording" data-testid="recording-controls" data-audio={recording.audio}>
      {recording.url ? (
        <>
          {/* The audio element gives play, pause and seek; the label names what it plays. */}
          <audio
            class="timeline__player"
            data-testid="recording-player"
            controls
            preload="metadata"
            src={recording.url}
            aria-label={tPanel('recording.player', { time: entry.time })}
          />
          <a class="button button--small" data-testid="recording-download" href={recording.url} download={recording.fileName}>
            {tPanel('recording.download')}
          </a>
        </>
      ) : (
        <button
          type="button"
          class="button button--small"
          data-testid="recording-listen"
          disabled={recording.audio === 'loading'}
          onClick={() => actions.onLoadRecording(entry.id)}
        >
          {tPanel(recording.audio === 'loading' ? 'recording.loading' : 'recording.listen')}
        </button>
      )}
      {recording.confirmingDelete ? (
        <span class="timeline__confirm" role="group" aria-label={tPanel('recording.deleteQuestion')}>
          <span>{tPanel('recording.deleteQuestion')}</span>
          <button
            type="button"
            class="button button--small button--danger"
            data-testid="recording-delete-confirm"
            onClick={actions.onConfirmRecordingDelete}
          >
            {tPanel('recording.deleteConfirm')}
          </button>
          <button type="button" class="button button--small" onClick={actions.onCancelRecordingDelete}>
            {tPanel('recording.deleteCancel')}
          </button>
        </span>
      ) : (
        <button
          type="button"
          class="button button--small"
          data-testid="recording-delete"
          disabled={recording.deleting}
          onClick={() => actions.onRequestRecordingDelete(entry.id)}
        >
          {tPanel('recording.delete')}
        </button>
      )}
    </div>
  );
}
