import { computed } from '@preact/signals';
import { render } from 'preact';
import { browser } from '#imports';
import { PhonePanel } from '@/components/panel/phone-panel';
import { currentLocale } from '@/lib/i18n/i18n';
import { tPanel } from '@/lib/i18n/panel-messages';
import { PanelToBackground } from '@/lib/messaging/panel-to-background';
import { createClient } from '@/lib/messaging/protocol';
import { sendRuntimeMessage } from '@/lib/messaging/runtime-transport';
import { AnalyticsModel } from '@/lib/panel/analytics-model';
import { CallerCardModel } from '@/lib/panel/caller-card-model';
import { CrmOutboxModel } from '@/lib/panel/crm-outbox-model';
import { HistoryModel } from '@/lib/panel/history-model';
import { createMessageFeed } from '@/lib/panel/message-feed';
import { MissedCallsModel } from '@/lib/panel/missed-calls-model';
import { createStorageMissedCallsSource } from '@/lib/panel/missed-calls-source';
import { CallbackListModel } from '@/lib/panel/callback-list-model';
import { createStorageCallbackListSource } from '@/lib/panel/callback-list-source';
import { createEffectiveSettingsSource } from '@/lib/panel/panel-settings';
import { PhoneModel } from '@/lib/panel/phone-model';
import { WrapUpModel } from '@/lib/panel/wrap-up-model';
import { wrapUpDismissed } from '@/lib/panel/wrap-up-dismissed';
import { createStoragePushedCallerCardsSource } from '@/lib/panel/pushed-caller-cards-source';
import { createStorageRecordingErrorSource } from '@/lib/panel/recording-error-source';
import { createStorageSnapshotSource } from '@/lib/panel/snapshot-source';
import { RegistrationState } from '@/lib/phone/registration-state';

// The panel is UI only (it can close at any moment): it shows the engine's snapshot and sends commands.
const client = createClient(PanelToBackground, sendRuntimeMessage);
const model = new PhoneModel({
  client,
  snapshotSource: createStorageSnapshotSource(),
  settingsSource: createEffectiveSettingsSource(),
  openOptionsPage: () => browser.runtime.openOptionsPage(),
  recordingErrorSource: createStorageRecordingErrorSource(),
});
const registered = computed(() => model.accounts.value.some((a) => a.state === RegistrationState.Registered));
const recent = computed(() => model.snapshot.value.recent);
const history = new HistoryModel({ client, recent, canMessage: registered, messageFeed: createMessageFeed() });
const dispositions = computed(() => model.settings.value?.dispositions ?? []);
const wrapUp = new WrapUpModel({ client, snapshot: model.snapshot, now: model.now, dispositions, dismissed: wrapUpDismissed });
const analytics = new AnalyticsModel({ client, recent });
const missed = new MissedCallsModel({ client, source: createStorageMissedCallsSource() });
const callbacks = new CallbackListModel({ client, source: createStorageCallbackListSource(), now: model.now });
const outbox = new CrmOutboxModel({ client, changes: recent });
const timelineNumber = computed(() => history.timeline.value?.numberKey);
const callers = new CallerCardModel({ client, snapshot: model.snapshot, timelineNumber, pushed: createStoragePushedCallerCardsSource() });

document.documentElement.lang = currentLocale();
document.title = tPanel('title');
render(
  <PhonePanel model={model} history={history} wrapUp={wrapUp} analytics={analytics} missed={missed} callers={callers} outbox={outbox} callbacks={callbacks} />,
  document.getElementById('app')!,
);
void model.start();
history.start();
wrapUp.start();
analytics.start();
missed.start();
callbacks.start();
callers.start();
outbox.start();
addEventListener('pagehide', () => {
  missed.dispose();
  callbacks.dispose();
  callers.dispose();
  outbox.dispose();
  model.dispose();
  history.dispose();
  wrapUp.dispose();
  analytics.dispose();
});
