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
import { HistoryModel } from '@/lib/panel/history-model';
import { createEffectiveSettingsSource } from '@/lib/panel/panel-settings';
import { PhoneModel } from '@/lib/panel/phone-model';
import { createStorageSnapshotSource } from '@/lib/panel/snapshot-source';

// The panel is UI only (it can close at any moment): it shows the engine's snapshot and sends commands.
const client = createClient(PanelToBackground, sendRuntimeMessage);
const model = new PhoneModel({
  client,
  snapshotSource: createStorageSnapshotSource(),
  settingsSource: createEffectiveSettingsSource(),
  openOptionsPage: () => browser.runtime.openOptionsPage(),
});
const recent = computed(() => model.snapshot.value.recent);
const history = new HistoryModel({ client, recent });
const analytics = new AnalyticsModel({ client, recent });

document.documentElement.lang = currentLocale();
document.title = tPanel('title');
render(<PhonePanel model={model} history={history} analytics={analytics} />, document.getElementById('app')!);
void model.start();
history.start();
analytics.start();
addEventListener('pagehide', () => {
  model.dispose();
  history.dispose();
  analytics.dispose();
});
