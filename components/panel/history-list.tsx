import type { ComponentChildren } from 'preact';
import { tPanel } from '@/lib/i18n/panel-messages';
import type { HistoryFilterName } from '@/lib/history/history-row';
import {
  HISTORY_FILTERS,
  type HistoryListItem,
  type HistoryRowView,
  type NumberHitView,
  type TimelineView,
} from '@/lib/panel/history-model';
import { NumberTimeline } from '@/components/panel/number-timeline';
import { VirtualList, type VirtualItemAttributes } from '@/components/panel/virtual-list';

/** Heights assumed for items not measured yet (px): a day title, a call with its note field. */
const DAY_TITLE_ESTIMATE = 28;
const ROW_ESTIMATE = 92;
const estimateSize = (item: HistoryListItem): number => (item.kind === 'day' ? DAY_TITLE_ESTIMATE : ROW_ESTIMATE);

export interface HistoryListProps {
  filter: HistoryFilterName;
  /** Day titles and calls, newest first, for the virtualized list. */
  items: HistoryListItem[];
  loading: boolean;
  hasMore: boolean;
  error?: string;
  /** The search box as typed. */
  query: string;
  /** A query is in the box: `results` replace the days. */
  searching: boolean;
  results: HistoryRowView[];
  /** Numbers the search found without calls among `results`. */
  numberResults: NumberHitView[];
  /** When set, the timeline of a number is shown instead of the list. */
  timeline?: TimelineView;
  /** The timeline's contact card. */
  timelineContact?: ComponentChildren;
  onQuery: (text: string) => void;
  onOpenTimeline: (id: string) => void;
  onOpenNumber: (numberKey: string, title: string) => void;
  onTimelineBack: () => void;
  onComposeInput: (text: string) => void;
  onComposeSend: () => void;
  onFilter: (filter: HistoryFilterName) => void;
  onMore: () => void;
  onCallBack: (id: string) => void;
  onNoteInput: (id: string, text: string) => void;
  onNoteSave: (id: string) => void;
  onLoadRecording: (recordingId: string) => void;
  onRequestRecordingDelete: (recordingId: string) => void;
  onConfirmRecordingDelete: () => void;
  onCancelRecordingDelete: () => void;
}

/**
 * Recent calls grouped by day (a virtualized list that loads further pages as it is scrolled), with
 * a filter, search, "call back" and a note per call; or one number's timeline.
 */
export function HistoryList(props: HistoryListProps) {
  const { items, loading, error, searching, results, numberResults, timeline } = props;
  if (timeline) {
    return (
      <section class="history" aria-label={tPanel('history.list')}>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <NumberTimeline
          timeline={timeline}
          onBack={props.onTimelineBack}
          onComposeInput={props.onComposeInput}
          onComposeSend={props.onComposeSend}
          onLoadRecording={props.onLoadRecording}
          onRequestRecordingDelete={props.onRequestRecordingDelete}
          onConfirmRecordingDelete={props.onConfirmRecordingDelete}
          onCancelRecordingDelete={props.onCancelRecordingDelete}
          contact={props.timelineContact}
        />
      </section>
    );
  }
  return (
    <section class="history" aria-label={tPanel('history.list')}>
      <input
        type="search"
        class="history__search"
        data-testid="history-search"
        aria-label={tPanel('history.search')}
        placeholder={tPanel('history.searchPlaceholder')}
        value={props.query}
        onInput={(event) => props.onQuery(event.currentTarget.value)}
      />
      <div class="history__filters" role="group" aria-label={tPanel('history.filters')}>
        {HISTORY_FILTERS.map((filter) => (
          <button
            key={filter}
            type="button"
            class="button button--small button--toggle"
            data-testid={`history-filter-${filter}`}
            aria-pressed={filter === props.filter}
            onClick={() => props.onFilter(filter)}
          >
            {tPanel(`history.filter.${filter}`)}
          </button>
        ))}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {searching && results.length === 0 && numberResults.length === 0 && !loading && (
        <p class="history__empty" data-testid="history-search-empty">
          {tPanel('history.searchEmpty')}
        </p>
      )}
      {searching && results.length > 0 && (
        <ul class="history__rows" aria-label={tPanel('history.searchResults')}>
          {results.map((row) => (
            <HistoryRowItem key={row.id} row={row} {...props} />
          ))}
        </ul>
      )}
      {searching && numberResults.length > 0 && (
        <ul class="history__rows" aria-label={tPanel('history.numbers')} data-testid="history-number-results">
          {numberResults.map((hit) => (
            <li key={hit.numberKey} class="history__row history__row--number" data-testid="history-number">
              <button
                type="button"
                class="history__who history__who--link"
                data-testid="history-open-number"
                title={tPanel('history.openTimeline')}
                onClick={() => props.onOpenNumber(hit.numberKey, hit.label)}
              >
                <span class="history__label">{hit.label}</span>
                {hit.detail && <span class="history__detail">{hit.detail}</span>}
              </button>
              <time class="history__time">{hit.time}</time>
            </li>
          ))}
        </ul>
      )}
      {!searching && items.length === 0 && !loading && <p class="history__empty" data-testid="history-empty">{tPanel('history.empty')}</p>}
      {!searching && items.length > 0 && (
        <VirtualList
          items={items}
          estimateSize={estimateSize}
          label={tPanel('history.list')}
          testId="history-list"
          onNearEnd={() => {
            if (props.hasMore && !loading) props.onMore();
          }}
          renderItem={(item, attributes) =>
            item.kind === 'day' ? (
              <li class="history__day-title" {...attributes}>
                <h2 class="history__day-heading">{item.title}</h2>
              </li>
            ) : (
              <HistoryRowItem row={item.row} attributes={attributes} {...props} />
            )
          }
        />
      )}
      {!searching && props.hasMore && (
        <button
          type="button"
          class="button button--small history__more"
          data-testid="history-more"
          title={tPanel('history.moreHint')}
          disabled={loading}
          onClick={props.onMore}
        >
          {tPanel('history.more')}
        </button>
      )}
    </section>
  );
}

type HistoryRowItemProps = Pick<HistoryListProps, 'onCallBack' | 'onNoteInput' | 'onNoteSave' | 'onOpenTimeline'> & {
  row: HistoryRowView;
  /** Position in the virtualized list, when the row is in it. */
  attributes?: VirtualItemAttributes;
};

function HistoryRowItem({ row, attributes, onCallBack, onNoteInput, onNoteSave, onOpenTimeline }: HistoryRowItemProps) {
  const icon = row.direction === 'inbound' ? '↙' : '↗';
  return (
    <li
      {...attributes}
      class={`history__row history__row--${row.outcome}`}
      data-testid={`history-row-${row.callId}`}
      data-outcome={row.outcome}
    >
      <span class="history__icon" role="img" aria-label={row.directionText}>
        {icon}
      </span>
      {row.numberKey ? (
        <button
          type="button"
          class="history__who history__who--link"
          data-testid="history-open-timeline"
          title={tPanel('history.openTimeline')}
          onClick={() => onOpenTimeline(row.id)}
        >
          <span class="history__label">{row.label}</span>
          {row.detail && <span class="history__detail">{row.detail}</span>}
        </button>
      ) : (
        <span class="history__who">
          <span class="history__label">{row.label}</span>
          {row.detail && <span class="history__detail">{row.detail}</span>}
        </span>
      )}
      <time class="history__time">{row.time}</time>
      <span class="history__summary">
        {row.summary}
        {row.hasRecording && (
          <span class="history__recorded" data-testid="history-recorded" title={tPanel('history.recorded')}>
            {' · '}
            {tPanel('history.recorded')}
          </span>
        )}
      </span>
      {row.dispositionLabel && (
        <span class="history__disposition" data-testid="history-disposition">
          {row.dispositionLabel}
        </span>
      )}
      {row.dialTarget && (
        <button type="button" class="button button--small history__callback" data-testid="history-callback" onClick={() => onCallBack(row.id)}>
          {tPanel('history.callBack')}
        </button>
      )}
      <form
        class="history__note"
        onSubmit={(event) => {
          event.preventDefault();
          onNoteSave(row.id);
        }}
      >
        <input
          type="text"
          data-testid="history-note-input"
          aria-label={tPanel('history.noteLabel')}
          placeholder={tPanel('history.notePlaceholder')}
          value={row.noteDraft}
          onInput={(event) => onNoteInput(row.id, event.currentTarget.value)}
        />
        <button type="submit" class="button button--small" data-testid="history-note-save" disabled={!row.canSaveNote}>
          {tPanel('history.noteSave')}
        </button>
      </form>
    </li>
  );
}
