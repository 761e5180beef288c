import { browser } from '#imports';
import {
  callIdOfNotification,
  syncCallNotifications,
  updateCallNotification,
  type CallerNameLookup,
} from '@/lib/background/call-notifications';
import { createCallerCardPush } from '@/lib/background/caller-card-push';
import { showBadge } from '@/lib/background/badge';
import type { CallAction } from '@/lib/background/call-commands';
import { callHandlingFor } from '@/lib/background/call-handling-settings';
import { extensionCallbackReminders } from '@/lib/background/callback-reminders-hub';
import type { EngineLink } from '@/lib/background/engine-link';
import { browserAmoExchange, completeAmoSignIn } from '@/lib/background/amo-sign-in';
import { browserCrmConnectionTestDeps, testCrmConnection } from '@/lib/background/crm-connection-test';
import { createCrmTimelineService } from '@/lib/background/crm-timeline-service';
import { wordLineError } from '@/lib/background/line-error';
import { createCallerLookup } from '@/lib/background/caller-lookup';
import { createContactService } from '@/lib/background/contact-service';
import { crmAdapterFor } from '@/lib/background/crm-adapters';
import { createCrmRecordService } from '@/lib/background/crm-record-service';
import type { CrmEntityRef } from '@/lib/crm/crm-adapter';
import { startCrmOutbox } from '@/lib/background/crm-outbox-hub';
import { createHistoryService } from '@/lib/background/history-service';
import { createHistoryTools } from '@/lib/background/history-tools';
import { createMessageService } from '@/lib/background/message-service';
import { createMissedCallsService } from '@/lib/background/missed-calls-service';
import { isMessageNotification, notifyMessage } from '@/lib/background/message-notifications';
import { isPanelOpen, openPanel } from '@/lib/background/panel-presence';
import { clearRecordingError, reportRecordingError } from '@/lib/background/recording-alerts';
import { createRecordingService, retentionOf } from '@/lib/background/recording-service';
import { pushedCallerCardsItem } from '@/lib/crm/pushed-caller-cards';
import { db } from '@/lib/db/db';
import { markWrapUpDone, requeueChangedWrapUp } from '@/lib/history/crm-outbox';
import { messageFeedItem } from '@/lib/history/message-feed-item';
import { tBackground } from '@/lib/i18n/background-messages';
import type { EngineToBackground } from '@/lib/messaging/engine-to-background';
import { OptionsToBackground } from '@/lib/messaging/options-to-background';
import { PanelToBackground } from '@/lib/messaging/panel-to-background';
import { createHandler, type Handlers } from '@/lib/messaging/protocol';
import { isOwnExtensionPage, listenRuntimeMessages, type RuntimeSender } from '@/lib/messaging/runtime-transport';
import { normalizeDialTarget, toSipUri } from '@/lib/numbers/normalize-dial-target';
import { CallState } from '@/lib/phone/call-state';
import type { PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';
import { phoneSnapshotItem } from '@/lib/phone/snapshot-store';
import { splitSipAddress } from '@/lib/settings/settings-schema';
import { doNotDisturbItem } from '@/lib/settings/do-not-disturb';
import {
  loadEffectiveSettings,
  loadLocalSettings,
  saveCrmSettings,
  watchEffectiveSettings,
} from '@/lib/settings/settings-store';
import { Exception } from '@/lib/util/exception';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('hub');

/** A dial string that cannot be called; the message is for the user. */
export class InvalidDialTargetError extends Exception {}

/** No account can place the call. */
export class NoAccountError extends Exception {}

/** The call a command was about is no longer there. */
export class CallGoneError extends Exception {}

/**
 * How long a snapshot waits for its calls' cached caller cards before it is mirrored anyway: the
 * cache answers in a few milliseconds, and a ringing call must never wait on a slow database.
 */
const CARD_PUSH_WAIT_MS = 100;

/**
 * Whether `next` ends a call of `current` or changes the finished calls (`recent`, whose ids the
 * panel's history, analytics and outbox line reload on).
 */
function finishesCalls(current: PhoneSnapshot, next: PhoneSnapshot): boolean {
  const ids = (calls: readonly { id: string }[]): string => calls.map((call) => call.id).join('\n');
  return current.calls.some((call) => !next.calls.some((live) => live.id === call.id)) || ids(current.recent) !== ids(next.recent);
}

export interface PhoneHub {
  /** The engine's side of the link calls these (directly on Firefox, through messages on Chrome). */
  readonly engineEvents: Handlers<(typeof EngineToBackground)['methods'], RuntimeSender | undefined>;
  /** Brings the engine in line with the settings and mirrors its state (run at every worker start). */
  reconcile(): Promise<void>;
  /**
   * Normalizes a number, extension or SIP URI and calls it from a ready account; `crmEntity` is the
   * CRM card the call was started on (history and the CRM log the call against it).
   */
  dial(target: string, accountId?: string, crmEntity?: CrmEntityRef): Promise<{ callId: string }>;
  /** Acts on a call as the panel's buttons would (global shortcuts). */
  runCallAction(action: CallAction): Promise<void>;
}

/** What else wants to see the engine's snapshots (e.g. the call history journal). */
export interface PhoneHubObserver {
  /**
   * Every accepted (newer) snapshot: before it is mirrored into session storage when it ends a call
   * or changes the finished calls, right after otherwise (a ringing call is not kept waiting).
   */
  onSnapshot(snapshot: PhoneSnapshot): Promise<void>;
  /** The engine's authoritative snapshot at a worker start, after it is mirrored. */
  onReconciled(snapshot: PhoneSnapshot): Promise<void>;
}

/**
 * The background's phone logic: routes the panel's and options page's requests to the engine,
 * configures the engine from settings, and mirrors the engine's snapshot into session storage, the
 * badge and notifications. It keeps nothing in worker memory that must survive: the worker may be
 * stopped at any moment, and everything here can be rebuilt from storage and the engine.
 */
export function startPhoneHub(link: EngineLink, observer?: PhoneHubObserver): PhoneHub {
  const region = async () => (await loadEffectiveSettings()).settings.defaultCountry;
  const crmAdapter = crmAdapterFor(db, region, {
    loadCrm: async () => (await loadLocalSettings()).crm,
    saveCrm: saveCrmSettings,
    hasOrigin: (origin) => browser.permissions.contains({ origins: [origin] }),
  });
  const callerLookup = createCallerLookup({ db, adapter: crmAdapter, region });
  const crmTimeline = createCrmTimelineService({ adapter: crmAdapter, lookup: callerLookup });
  // Calls are logged to the CRM through the same adapter (and rate limiter) as the lookups.
  const crmOutbox = startCrmOutbox(crmAdapter);
  const contacts = createContactService({ db, lookup: callerLookup, region });
  const crmRecords = createCrmRecordService({ adapter: crmAdapter, lookup: callerLookup, region });
  const callerNameOf: CallerNameLookup = async (call) => {
    const { matches } = await callerLookup.lookupCaller(call.remoteNumber || call.remoteUri);
    return matches[0]?.card;
  };
  // Screen pop: a call that starts ringing or dialling has its number looked up at once and its
  // cached card pushed to the panels; a missing or stale CRM card is fetched meanwhile and pushed
  // (and put into the ringing notification) when the CRM answers.
  const callerCards = createCallerCardPush({
    lookup: callerLookup,
    store: pushedCallerCardsItem,
    onRefreshed: (call, result) => {
      void isPanelOpen()
        .then((open) => (open ? undefined : updateCallNotification(call, result.matches[0]?.card)))
        .catch((error: unknown) => log.warn('notification update failed', error));
    },
  });
  // Snapshot writes are serialized so an older snapshot can never overwrite a newer one.
  let mirroring: Promise<void> = Promise.resolve();
  const acceptSnapshot = (snapshot: PhoneSnapshot): Promise<void> => {
    mirroring = mirroring.then(async () => {
      const current = await phoneSnapshotItem.getValue();
      if (current.engineId === snapshot.engineId && snapshot.seq <= current.seq) return;
      // The cached caller cards are looked up alongside the history write and stored before the
      // snapshot, so a panel has the card when the ringing call reaches it (no request of its own).
      const cards = callerCards.onSnapshot(snapshot).catch((error: unknown) => log.warn('caller cards not pushed', error));
      const journal = async (): Promise<void> =>
        observer?.onSnapshot(snapshot).catch((error: unknown) => log.error('snapshot observer failed', error));
      const cardsReady = (): Promise<unknown> =>
        Promise.race([cards, new Promise((resolve) => setTimeout(resolve, CARD_PUSH_WAIT_MS))]);
      if (finishesCalls(current, snapshot)) {
        // History first: a panel that sees a call end and asks for the history finds it written.
        await journal();
        await cardsReady();
        await phoneSnapshotItem.setValue(snapshot);
      } else {
        // Nothing the panel reloads the history for (no call ended): mirror first, so a ringing
        // call reaches the panel without waiting for its history row (the screen pop's 10–50 ms).
        await cardsReady();
        await phoneSnapshotItem.setValue(snapshot);
        await journal();
      }
      // A call has just ended and is journaled: it is a pending CRM write now.
      if (current.calls.some((call) => !snapshot.calls.some((live) => live.id === call.id))) crmOutbox.kick();
      await Promise.all([
        showBadge(snapshot),
        isPanelOpen().then((open) => syncCallNotifications(snapshot, open, callerNameOf)),
        cards,
      ]).catch((error: unknown) => log.warn('badge/notification update failed', error));
    });
    return mirroring;
  };

  // One configuration at a time, each reading the settings when its turn comes: two that overlap
  // (a worker start and a settings change a moment later) could otherwise reach the engine in the
  // wrong order, and the stale one would win (e.g. undo a microphone just chosen).
  let configuring: Promise<void> = Promise.resolve();
  const configure = (): Promise<void> => {
    const run = configuring.then(async () => {
      const { settings } = await loadEffectiveSettings();
      const doNotDisturb = await doNotDisturbItem.getValue();
      const engine = await link.connect();
      const snapshot = await engine.configure({
        accounts: settings.accounts,
        ringbackRegion: settings.defaultCountry,
        callHandling: callHandlingFor(settings, doNotDisturb),
        audio: settings.audio,
      });
      await acceptSnapshot(snapshot);
    });
    configuring = run.catch(() => undefined);
    return run;
  };

  const recordings = createRecordingService({
    db,
    retention: async () => retentionOf((await loadEffectiveSettings()).settings),
    onError: reportRecordingError,
    onSaved: clearRecordingError,
  });

  const engineEvents: PhoneHub['engineEvents'] = {
    engineReady: async ({ engineId }) => {
      log.info(`engine ${engineId} ready`);
      await configure();
      return null;
    },
    snapshotChanged: async ({ snapshot }) => {
      await acceptSnapshot(snapshot);
      return null;
    },
    messageReceived: async (message) => {
      await messages.receive(message);
      return null;
    },
    recordingFinished: async (data) => {
      // After the snapshots already received: the call's row is journaled before its audio is linked.
      await mirroring;
      await recordings.recordingFinished(data);
      return null;
    },
    recordingFailed: async (failure) => {
      await recordings.recordingFailed(failure);
      return null;
    },
  };

  /** Normalizes what the user asked to call and places the call from a ready account. */
  const dial = async (target: string, accountId?: string, crmEntity?: CrmEntityRef): Promise<{ callId: string }> => {
    const { settings } = await loadEffectiveSettings();
    const parsed = normalizeDialTarget(target, settings);
    if (!parsed.ok) throw new InvalidDialTargetError(tBackground('error.invalidNumber', { input: target }));
    const snapshot = await phoneSnapshotItem.getValue();
    const ready = new Set(
      snapshot.accounts.filter((a) => a.state === RegistrationState.Registered).map((a) => a.accountId),
    );
    const account = settings.accounts.find((a) =>
      accountId === undefined ? a.enabled && ready.has(a.id) : a.id === accountId,
    );
    if (!account) throw new NoAccountError(tBackground('error.noAccount'));
    const engine = await link.connect();
    try {
      return await engine.placeCall({
        accountId: account.id,
        target: toSipUri(parsed.target, splitSipAddress(account.sipUri).host),
        displayTarget: parsed.target.display,
        ...(crmEntity ? { crmEntity } : {}),
      });
    } catch (error) {
      // The line rules (two calls up, one still connecting) or the hold of the current call.
      throw wordLineError(error);
    }
  };

  /** Runs a second-line move on the engine, its refusals worded for the panel. */
  const lineMove = async <T>(move: (engine: Awaited<ReturnType<EngineLink['connect']>>) => Promise<T>): Promise<T> => {
    try {
      return await move(await link.connect());
    } catch (error) {
      throw wordLineError(error);
    }
  };

  /**
   * A transfer target typed by the agent, normalized like the dialpad's and made a SIP URI on the
   * domain of the account the call is on.
   */
  const transferTarget = async (callId: string, target: string): Promise<{ target: string; displayTarget: string }> => {
    const { settings } = await loadEffectiveSettings();
    const parsed = normalizeDialTarget(target, settings);
    if (!parsed.ok) throw new InvalidDialTargetError(tBackground('error.invalidNumber', { input: target }));
    const call = (await phoneSnapshotItem.getValue()).calls.find((c) => c.id === callId);
    if (!call) throw new CallGoneError(tBackground('error.callGone'));
    const account = settings.accounts.find((a) => a.id === call.accountId);
    if (!account) throw new NoAccountError(tBackground('error.noAccount'));
    return {
      target: toSipUri(parsed.target, splitSipAddress(account.sipUri).host),
      displayTarget: parsed.target.display,
    };
  };

  const messages = createMessageService({
    db,
    settings: async () => (await loadEffectiveSettings()).settings,
    snapshot: () => phoneSnapshotItem.getValue(),
    engine: () => link.connect(),
    panelOpen: isPanelOpen,
    notify: notifyMessage,
    announce: (latest) => messageFeedItem.setValue(latest),
  });

  const missedCalls = createMissedCallsService({ db });
  const callbacks = extensionCallbackReminders();

  const history = createHistoryService({
    db,
    region: async () => (await loadEffectiveSettings()).settings.defaultCountry,
  });

  const panelHandlers: Handlers<(typeof PanelToBackground)['methods'], RuntimeSender> = {
    getSnapshot: async () => {
      const engine = await link.connect();
      const snapshot = await engine.getSnapshot({});
      await acceptSnapshot(snapshot);
      return phoneSnapshotItem.getValue();
    },
    placeCall: ({ target, accountId }) => dial(target, accountId),
    answerCall: ({ callId }) => lineMove((engine) => engine.answer({ callId })),
    answerAndHold: ({ callId }) => lineMove((engine) => engine.answerAndHold({ callId })),
    hangupAndAnswer: ({ callId }) => lineMove((engine) => engine.hangupAndAnswer({ callId })),
    swapCalls: () => lineMove((engine) => engine.swapCalls({})),
    mergeCalls: () => lineMove((engine) => engine.mergeCalls({})),
    splitConference: ({ keepCallId }) => lineMove((engine) => engine.splitConference({ keepCallId })),
    cancelAutoAnswer: async ({ callId }) => (await link.connect()).cancelAutoAnswer({ callId }),
    setDoNotDisturb: async ({ on }) => {
      // Stored first: the engine is configured from storage, now and after any restart.
      await doNotDisturbItem.setValue(on);
      await configure();
      return null;
    },
    dismissMissedCalls: async ({ numberKey }) => {
      await missedCalls.dismiss(numberKey);
      // Missed calls dealt with are callbacks no longer owed (and their CRM tasks are completed).
      await callbacks.closeNumber(numberKey);
      crmOutbox.kick();
      return null;
    },
    declineCall: async ({ callId }) => {
      const { settings } = await loadEffectiveSettings();
      return (await link.connect()).decline({ callId, code: settings.declineCode });
    },
    hangupCall: async ({ callId }) => (await link.connect()).hangup({ callId }),
    setMute: async ({ callId, muted }) => (await link.connect()).setMute({ callId, muted }),
    setHold: async ({ callId, hold }) => {
      try {
        return await (await link.connect()).setHold({ callId, hold });
      } catch (error) {
        // Resuming beside an active call is a swap: the hold of the other call may be what failed,
        // so the error's own words (hold or resume) decide the sentence.
        throw wordLineError(error);
      }
    },
    sendDtmf: async ({ callId, digits }) => (await link.connect()).sendDtmf({ callId, digits }),
    blindTransfer: async ({ callId, target }) =>
      (await link.connect()).blindTransfer({ callId, ...(await transferTarget(callId, target)) }),
    startConsultTransfer: async ({ callId, target }) =>
      (await link.connect()).startConsultTransfer({ callId, ...(await transferTarget(callId, target)) }),
    completeTransfer: async ({ callId }) => (await link.connect()).completeTransfer({ callId }),
    cancelTransfer: async ({ callId }) => (await link.connect()).cancelTransfer({ callId }),
    startRecording: async ({ callId }) => (await link.connect()).startRecording({ callId }),
    stopRecording: async ({ callId }) => (await link.connect()).stopRecording({ callId }),
    getRecordingAudio: (request) => recordings.getRecordingAudio(request),
    deleteRecording: (request) => recordings.deleteRecording(request),
    clearRecordingError: async () => {
      await clearRecordingError();
      return null;
    },
    retryRegistration: async ({ accountId }) => (await link.connect()).retry({ accountId }),
    getHistoryPage: (request) => history.getHistoryPage(request),
    saveCallNote: async (request) => {
      const saved = await history.saveCallNote(request);
      // A call already in the CRM gets the change as a follow-up note.
      if (await requeueChangedWrapUp(db, request.callId, Date.now())) crmOutbox.kick();
      return saved;
    },
    setCallDisposition: async (request) => {
      await history.setCallDisposition(request);
      if (await requeueChangedWrapUp(db, request.callId, Date.now())) crmOutbox.kick();
      return null;
    },
    getCallWrapUp: (request) => history.getCallWrapUp(request),
    searchHistory: (request) => history.searchHistory(request),
    getNumberTimeline: (request) => history.getNumberTimeline(request),
    getCrmTimeline: (request) => crmTimeline.getCrmTimeline(request),
    sendMessage: (request) => messages.send(request),
    getAnalytics: (request) => history.getAnalytics(request),
    getCrmOutboxStatus: () => crmOutbox.status(),
    retryCrmOutbox: () => crmOutbox.retryNow(),
    finishWrapUp: async ({ callId }) => {
      if (await markWrapUpDone(db, callId, Date.now())) crmOutbox.kick();
      return null;
    },
    completeCallback: async ({ taskId }) => {
      const task = await callbacks.complete(taskId);
      if (task?.numberKey) await missedCalls.dismiss(task.numberKey);
      // Its CRM task is completed there too.
      crmOutbox.kick();
      return null;
    },
    lookupCaller: async (request) => {
      const [found, creates] = await Promise.all([contacts.lookupCaller(request), crmRecords.creatable()]);
      return creates.length > 0 ? { ...found, crmCreates: creates } : found;
    },
    createCrmRecord: (request) => crmRecords.createCrmRecord(request),
    chooseCaller: (request) => contacts.chooseCaller(request),
    saveContact: (request) => contacts.saveContact(request),
    deleteContact: (request) => contacts.deleteContact(request),
    openCrmRecord: (request) => contacts.openCrmRecord(request),
  };

  const historyTools = createHistoryTools({ db });
  const crmTestDeps = browserCrmConnectionTestDeps({
    region: async () => (await loadEffectiveSettings()).settings.defaultCountry,
    loadCrm: async () => (await loadLocalSettings()).crm,
    saveCrm: saveCrmSettings,
  });
  const optionsHandlers: Handlers<(typeof OptionsToBackground)['methods'], RuntimeSender> = {
    testConnection: async ({ account }) => (await link.connect()).testConnection({ account }),
    microphoneChanged: async () => (await link.connect()).checkMicrophone({}),
    exportCallsCsv: () => historyTools.exportCallsCsv(),
    exportHistoryBackup: ({ includeRecordings }) => historyTools.exportBackup({ includeRecordings }),
    importHistoryBackup: async ({ json }) => {
      const result = await historyTools.importBackup(json);
      await missedCalls.refresh({ badge: true });
      return result;
    },
    clearHistory: async () => {
      const result = await historyTools.clearHistory();
      await missedCalls.refresh({ badge: true });
      return result;
    },
    getRecordingStorage: () => recordings.getRecordingStorage(),
    testCrmConnection: ({ amocrm }) => testCrmConnection(amocrm, crmTestDeps),
    signInAmoCrm: (request) =>
      completeAmoSignIn(request, {
        hasOrigin: (origin) => browser.permissions.contains({ origins: [origin] }),
        exchange: browserAmoExchange,
        loadCrm: async () => (await loadLocalSettings()).crm,
        saveCrm: saveCrmSettings,
        test: (connection) => testCrmConnection(connection, crmTestDeps),
      }),
    importContacts: (request) => contacts.importContacts(request),
  };

  listenRuntimeMessages(
    createHandler(PanelToBackground, panelHandlers, {
      isAllowedSender: (sender) => isOwnExtensionPage(sender, '/sidepanel.html'),
    }),
  );
  listenRuntimeMessages(
    createHandler(OptionsToBackground, optionsHandlers, {
      isAllowedSender: (sender) => isOwnExtensionPage(sender, '/options.html'),
    }),
  );

  watchEffectiveSettings(() => {
    configure().catch((error: unknown) => log.error('configure after settings change failed', error));
  });

  // Answer/Decline from the notification (Chrome shows buttons; Firefox only a click).
  browser.notifications.onButtonClicked?.addListener((notificationId, buttonIndex) => {
    const callId = callIdOfNotification(notificationId);
    if (!callId) return;
    void (buttonIndex === 0 ? panelHandlers.answerCall({ callId }, {}) : panelHandlers.declineCall({ callId }, {}));
    if (buttonIndex === 0) void openPanel();
  });
  browser.notifications.onClicked.addListener((notificationId) => {
    if (callIdOfNotification(notificationId) || isMessageNotification(notificationId)) void openPanel();
  });

  return {
    engineEvents,
    dial,
    async runCallAction(action) {
      const { callId } = action;
      switch (action.kind) {
        case 'answer':
          await panelHandlers.answerCall({ callId }, {});
          break;
        case 'decline':
          await panelHandlers.declineCall({ callId }, {});
          break;
        case 'hangup':
          await panelHandlers.hangupCall({ callId }, {});
          break;
        case 'mute':
          await panelHandlers.setMute({ callId, muted: action.muted }, {});
          break;
        case 'hold':
          await panelHandlers.setHold({ callId, hold: action.hold }, {});
          break;
      }
    },
    async reconcile() {
      const stored = await phoneSnapshotItem.getValue();
      const effective = await loadEffectiveSettings();
      const wanted = effective.settings.accounts.some((a) => a.enabled);
      // Without accounts there is nothing to run; but an engine that already runs must hear that.
      if (!wanted && stored.engineId === '') {
        await showBadge(stored);
        // No engine runs, so no call is live: whatever the history still has open was cut off.
        await observer?.onReconciled(stored);
        // Calls journaled (or closed as interrupted) before the worker stopped may still be owed to the CRM.
        crmOutbox.kick();
        return;
      }
      await configure();
      const snapshot = await phoneSnapshotItem.getValue();
      if (snapshot.calls.some((c) => c.state === CallState.Incoming)) log.info('reconciled with a ringing call');
      await observer?.onReconciled(snapshot);
      crmOutbox.kick();
    },
  };
}
