import { tPanel } from '@/lib/i18n/panel-messages';
import type { RecordingView, TimelineEntryView, TimelineView } from '@/lib/panel/history-model';

export interface NumberTimelineProps {
  timeline: TimelineView;
  onBack: () => void;
  onLoadRecording: (recordingId: string) => void;
  onRequestRecordingDelete: (recordingId: string) => void;
  onConfirmRecordingDelete: () => void;
  onCancelRecordingDelete: () => void;
}

const KIND_LABEL = {
  call: 'timeline.call',
  note: 'timeline.note',
  recording: 'timeline.recording',
} as const;

/** Everything about one number, newest first: its calls, the notes about it and its recordings. */
export function NumberTimeline({ timeline, onBack, ...recordingActions }: NumberTimelineProps) {
  return (
    <section class="timeline" data-testid="timeline" aria-label={tPanel('timeline.title', { who: timeline.title })}>
      <div class="timeline__header">
        <button type="button" class="button button--small" data-testid="timeline-back" onClick={onBack}>
          {tPanel('timeline.back')}
        </button>
        <h2 class="timeline__title">{timeline.title}</h2>
      </div>
      {timeline.entries.length === 0 && <p class="history__empty">{tPanel('timeline.empty')}</p>}
      <ol class="timeline__entries">
        {timeline.entries.map((entry) => (
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
        ))}
      </ol>
    </section>
  );
}

type RecordingControlsProps = Omit<NumberTimelineProps, 'timeline' | 'onBack'> & {
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
