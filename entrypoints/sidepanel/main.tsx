import { computed } from '@preact/signals';
import { render } from 'preact';
import { browser } from '#imports';
import { PhonePanel } from '@/components/panel/phone-panel';
import { currentLocale } from '@/lib/i18n/i18n';
import { tPanel } from '@/lib/i18n/panel-messages';
import { PanelToBackground } from '@/lib/messaging/panel-to-background';
import { createClient } from '@/lib/messaging/protocol';
import { sendRuntimeMessage } from '@/lib/messaging/runtime-transport';
import { HistoryModel } from '@/lib/panel/history-model';
import { createEffectiveSettingsSource } from '@/lib/panel/panel-settings';
import { PhoneModel } from '@/lib/panel/phone-model';
import { createStorageRecordingErrorSource } from '@/lib/panel/recording-error-source';
import { createStorageSnapshotSource } from '@/lib/panel/snapshot-source';

// The panel is UI only (it can close at any moment): it shows the engine's snapshot and sends commands.
const client = createClient(PanelToBackground, sendRuntimeMessage);
const model = new PhoneModel({
  client,
  snapshotSource: createStorageSnapshotSource(),
  settingsSource: createEffectiveSettingsSource(),
  openOptionsPage: () => browser.runtime.openOptionsPage(),
  recordingErrorSource: createStorageRecordingErrorSource(),
});
const history = new HistoryModel({ client, recent: computed(() => model.snapshot.value.recent) });

document.documentElement.lang = currentLocale();
document.title = tPanel('title');
render(<PhonePanel model={model} history={history} />, document.getElementById('app')!);
void model.start();
history.start();
addEventListener('pagehide', () => {
  model.dispose();
  history.dispose();
});
