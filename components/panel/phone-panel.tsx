import { useSignal } from '@preact/signals';
import { tPanel } from '@/lib/i18n/panel-messages';
import type { AnalyticsModel } from '@/lib/panel/analytics-model';
import type { CrmOutboxModel } from '@/lib/panel/crm-outbox-model';
import { TIMELINE_KEY, type CallerCardModel, type CallerView } from '@/lib/panel/caller-card-model';
import type { HistoryModel } from '@/lib/panel/history-model';
import type { MissedCallsModel } from '@/lib/panel/missed-calls-model';
import type { CallbackListModel } from '@/lib/panel/callback-list-model';
import type { PhoneModel } from '@/lib/panel/phone-model';
import type { WrapUpModel, WrapUpView } from '@/lib/panel/wrap-up-model';
import { AnalyticsView } from '@/components/panel/analytics-view';
import { AudioFallbackNotice } from '@/components/panel/audio-fallback-notice';
import { CallCard } from '@/components/panel/call-card';
import { CallerCard } from '@/components/panel/caller-card';
import { CallEndedNotice } from '@/components/panel/call-ended-notice';
import { CallTools } from '@/components/panel/call-tools';
import { CrmOutboxLine } from '@/components/panel/crm-outbox-line';
import { InCallKeys } from '@/components/panel/in-call-keys';
import { Dialpad } from '@/components/panel/dialpad';
import { DndToggle } from '@/components/panel/dnd-toggle';
import { HistoryList } from '@/components/panel/history-list';
import { LineControls } from '@/components/panel/line-controls';
import { LiveRegion } from '@/components/panel/live-region';
import { MissedCallsList } from '@/components/panel/missed-calls-list';
import { CallbackList } from '@/components/panel/callback-list';
import { RegistrationBar } from '@/components/panel/registration-bar';
import { SetupNotice } from '@/components/panel/setup-notice';
import { WrapUpEditor } from '@/components/panel/wrap-up-editor';
import { PanelTabs, type PanelTab } from '@/components/panel/panel-tabs';
import '@/components/panel/panel.css';

export interface PhonePanelProps {
  model: PhoneModel;
  /** The call history; without it the panel has no History tab. */
  history?: HistoryModel;
  /** Note and disposition of the calls on screen; without it the cards have no editor. */
  wrapUp?: WrapUpModel;
  /** Call analytics; without it (or without history) the panel has no Analytics tab. */
  analytics?: AnalyticsModel;
  /** The missed calls to handle; without it the Phone tab has no missed-calls list. */
  missed?: MissedCallsModel;
  /** The callbacks owed to missed callers; without it the Phone tab has no callback list. */
  callbacks?: CallbackListModel;
  /** The screen pop: who each call is with. */
  callers?: CallerCardModel;
  /** Calls not yet logged to the CRM; without it the History tab has no outbox line. */
  outbox?: CrmOutboxModel;
}

/** The whole side panel: binds the model's signals to the presentational components. */
export function PhonePanel({ model, history, wrapUp, analytics, missed, callers, outbox, callbacks }: PhonePanelProps) {
  const callerViews = callers?.views.value;
  const timelineCaller = callers?.timelineView.value;
  // Which view is shown is presentation only: nothing is lost when the panel closes.
  const tab = useSignal<PanelTab>('phone');
  const calls = model.calls.value;
  const lineControls = model.lineControls.value;
  const ended = model.endedNotice.value;
  const openOptions = (): void => void model.openOptions();
  const callError = model.callError.value;
  const dialError = model.dialError.value;
  const wrapUps = wrapUp?.views.value ?? [];
  const editor = (view: WrapUpView | undefined) =>
    wrapUp &&
    view && (
      <WrapUpEditor
        key={`wrap-up-${view.id}`}
        view={view}
        onNote={(id, text) => wrapUp.setNote(id, text)}
        onNoteBlur={(id) => void wrapUp.flush(id)}
        onDisposition={(id, disposition) => void wrapUp.setDisposition(id, disposition)}
        onDone={(id) => void wrapUp.done(id)}
      />
    );
  const recordingError = model.recordingErrorText.value;
  return (
    <main class="panel">
      <LiveRegion text={model.announcement.value} />
      <InCallKeys callId={model.keypadCallId.value} onDtmf={(id, digit) => void model.sendDtmf(id, digit)} />
      <RegistrationBar
        accounts={model.accounts.value}
        status={model.status.value}
        onRetry={(accountId) => void model.retryRegistration(accountId)}
      />
      <DndToggle
        on={model.doNotDisturb.value}
        busy={model.togglingDoNotDisturb.value}
        onToggle={() => void model.toggleDoNotDisturb()}
      />
      {history && (
        <PanelTabs
          tab={tab.value}
          onTab={(next) => (tab.value = next)}
          analytics={analytics !== undefined}
          historyCount={missed?.countText.value}
        />
      )}
      {model.noAccount.value && (
        <SetupNotice testId="no-account" text={tPanel('setup.noAccount')} onOpenOptions={openOptions} />
      )}
      {model.microphoneBlocked.value && (
        <SetupNotice testId="mic-warning" text={tPanel('setup.micBlocked')} onOpenOptions={openOptions} />
      )}
      <AudioFallbackNotice notices={model.audioFallbackNotices.value} />
      {calls.length > 0 && (
        <section class="calls" aria-label={tPanel('call.list')}>
          {calls.map((call) => [
            <CallCard
              key={call.id}
              call={call}
              onAnswer={(id) => void model.answer(id)}
              onDecline={(id) => void model.decline(id)}
              onHangup={(id) => void model.hangup(id)}
              onToggleMute={(id) => void model.toggleMute(id)}
              onToggleRecording={(id) => void model.toggleRecording(id)}
              onToggleHold={(id) => void model.toggleHold(id)}
              onCancelAutoAnswer={(id) => void model.cancelAutoAnswer(id)}
              onHangupAndAnswer={(id) => void model.hangupAndAnswer(id)}
              onSplit={(id) => void model.splitConference(id)}
              caller={
                callers &&
                callerViews?.get(call.id) && (
                  <CallerCard
                    caller={callerViews.get(call.id)!}
                    onChoose={(value) => void callers.choose(call.id, value)}
                    onOpenInCrm={() => void callers.openInCrm(call.id)}
                    onOpenForm={() => callers.openForm(call.id)}
                    onOpenCrmForm={(kind) => callers.openCrmForm(call.id, kind)}
                    onEditForm={(change) => callers.editForm(call.id, change)}
                    onSaveForm={() => void callers.saveForm(call.id)}
                    onCloseForm={() => callers.closeForm(call.id)}
                  />
                )
              }
            >
              <CallTools
                call={call}
                {...(model.transferFor.value === call.id
                  ? {
                      transferForm: {
                        value: model.transferInput.value,
                        preview: model.transferPreview.value,
                        canSubmit: model.transferResult.value.ok,
                      },
                    }
                  : {})}
                onDtmf={(id, digit) => void model.sendDtmf(id, digit)}
                onOpenTransfer={(id) => model.openTransfer(id)}
                onTransferInput={(value) => model.setTransferInput(value)}
                onBlindTransfer={(id) => void model.blindTransfer(id)}
                onConsultTransfer={(id) => void model.consultTransfer(id)}
                onCloseTransfer={() => model.closeTransfer()}
                onCompleteTransfer={(id) => void model.completeTransfer(id)}
                onCancelTransfer={(id) => void model.cancelTransfer(id)}
              />
            </CallCard>,
            editor(wrapUps.find((view) => view.callId === call.id)),
          ])}
          {lineControls && (
            <LineControls
              controls={lineControls}
              busy={model.lineBusy.value}
              onSwap={() => void model.swapCalls()}
              onMerge={() => void model.mergeCalls()}
            />
          )}
        </section>
      )}
      {callError && (
        <p class="error" data-testid="call-error" role="alert">
          {callError}
        </p>
      )}
      {ended && <CallEndedNotice notice={ended} />}
      {wrapUps.filter((view) => view.ended).map((view) => editor(view))}
      {recordingError && (
        <div class="error recording-error" data-testid="recording-error" role="alert">
          <p>{recordingError}</p>
          <button type="button" class="button button--small" onClick={() => void model.dismissRecordingError()}>
            {tPanel('recording.dismiss')}
          </button>
        </div>
      )}
      {history && analytics && tab.value === 'analytics' ? (
        <AnalyticsView
          preset={analytics.preset.value}
          customFrom={analytics.customFrom.value}
          customTo={analytics.customTo.value}
          range={analytics.range.value}
          loading={analytics.loading.value}
          {...(analytics.error.value ? { error: analytics.error.value } : {})}
          {...(analytics.view.value ? { figures: analytics.view.value } : {})}
          onPreset={(preset) => analytics.choosePreset(preset)}
          onCustomFrom={(value) => analytics.setCustomFrom(value)}
          onCustomTo={(value) => analytics.setCustomTo(value)}
          onOpenNumber={(numberKey, title) => {
            void history.openNumberTimeline(numberKey, title);
            tab.value = 'history';
          }}
        />
      ) : history && tab.value === 'history' ? (
        <>
          {outbox?.text.value && (
            <CrmOutboxLine
              text={outbox.text.value}
              {...(outbox.detail.value ? { detail: outbox.detail.value } : {})}
              busy={outbox.busy.value}
              onRetry={() => void outbox.retry()}
            />
          )}
          <HistoryList
          filter={history.filter.value}
          items={history.items.value}
          loading={history.loading.value}
          hasMore={history.hasMore.value}
          {...(history.error.value ? { error: history.error.value } : {})}
          query={history.query.value}
          searching={history.searching.value}
          results={history.searchResults.value}
          numberResults={history.searchNumberResults.value}
          {...(history.timeline.value ? { timeline: history.timeline.value } : {})}
          timelineContact={callers && timelineCaller && <TimelineContact callers={callers} caller={timelineCaller} />}
          onQuery={(text) => history.setQuery(text)}
          onOpenTimeline={(id) => void history.openTimeline(id)}
          onOpenNumber={(numberKey, title) => void history.openNumberTimeline(numberKey, title)}
          onTimelineBack={() => history.closeTimeline()}
          onComposeInput={(text) => history.setComposeDraft(text)}
          onComposeSend={() => void history.sendMessage()}
          onFilter={(filter) => void history.setFilter(filter)}
          onMore={() => void history.loadMore()}
          onCallBack={(id) => {
            void history.callBack(id);
            tab.value = 'phone';
          }}
          onNoteInput={(id, text) => history.setNoteDraft(id, text)}
          onNoteSave={(id) => void history.saveNote(id)}
          onLoadRecording={(id) => void history.loadRecording(id)}
          onRequestRecordingDelete={(id) => history.requestRecordingDelete(id)}
          onConfirmRecordingDelete={() => void history.confirmRecordingDelete()}
          onCancelRecordingDelete={() => history.cancelRecordingDelete()}
          />
        </>
      ) : (
        <Dialpad
          value={model.dialInput.value}
          preview={model.dialPreview.value}
          canDial={model.canDial.value}
          {...(dialError ? { error: dialError } : {})}
          {...(model.showAccountPicker.value
            ? { accounts: model.accounts.value, fromAccountId: model.fromAccount.value?.accountId ?? '' }
            : {})}
          onInput={(value) => model.setDialInput(value)}
          onKey={(char) => model.pressKey(char)}
          onBackspace={() => model.backspace()}
          onCall={() => void model.placeCall()}
          onChooseAccount={(accountId) => model.chooseAccount(accountId)}
          keysTakenByCall={model.keypadCallId.value !== undefined}
        />
      )}
      {callbacks && tab.value === 'phone' && (
        <CallbackList
          entries={callbacks.entries.value}
          {...(callbacks.error.value ? { error: callbacks.error.value } : {})}
          onCall={(id) => void callbacks.call(id)}
          onDone={(id) => void callbacks.done(id)}
        />
      )}
      {missed && tab.value === 'phone' && (
        <MissedCallsList
          entries={missed.entries.value}
          {...(missed.error.value ? { error: missed.error.value } : {})}
          onCallBack={(numberKey) => void missed.callBack(numberKey)}
          onDone={(numberKey) => void missed.done(numberKey)}
          onDoneAll={() => void missed.doneAll()}
        />
      )}
    </main>
  );
}

/** The contact of the number whose timeline is open: Add contact, or its card with Edit and Delete. */
function TimelineContact({ callers, caller }: { callers: CallerCardModel; caller: CallerView }) {
  return (
    <CallerCard
      caller={caller}
      onChoose={(value) => void callers.choose(TIMELINE_KEY, value)}
      onOpenInCrm={() => void callers.openInCrm(TIMELINE_KEY)}
      onOpenForm={() => callers.openForm(TIMELINE_KEY)}
      onOpenCrmForm={(kind) => callers.openCrmForm(TIMELINE_KEY, kind)}
      onEditForm={(change) => callers.editForm(TIMELINE_KEY, change)}
      onSaveForm={() => void callers.saveForm(TIMELINE_KEY)}
      onCloseForm={() => callers.closeForm(TIMELINE_KEY)}
      onDelete={() => void callers.deleteContact(TIMELINE_KEY)}
    />
  );
}
