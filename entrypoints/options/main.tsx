import { computed, effect } from '@preact/signals';
import { render } from 'preact';
import { browser } from '#imports';
import { OptionsApp } from '@/components/options/options-app';
import { currentLocale } from '@/lib/i18n/i18n';
import { tOptions } from '@/lib/i18n/options-messages';
import { createClient } from '@/lib/messaging/protocol';
import { OptionsToBackground } from '@/lib/messaging/options-to-background';
import { sendRuntimeMessage } from '@/lib/messaging/runtime-transport';
import { createAudioDevicesModel } from '@/lib/options/audio-devices-model';
import { createClickToCallModel } from '@/lib/options/click-to-call-model';
import { createCrmConnectionModel } from '@/lib/options/crm-connection-model';
import { countryChoices } from '@/lib/options/country-choices';
import { downloadTextFile } from '@/lib/options/download-text-file';
import { createContactsImportModel } from '@/lib/options/contacts-import-model';
import { createHistoryToolsModel } from '@/lib/options/history-tools-model';
import { createMicrophoneModel } from '@/lib/options/microphone-model';
import { createOptionsModel } from '@/lib/options/options-model';
import { createRecordingStorageModel } from '@/lib/options/recording-storage-model';
import { createOutputPreview } from '@/lib/options/output-preview';
import { createPageAccessModel } from '@/lib/options/page-access-model';
import { createSettingsTransferModel } from '@/lib/options/settings-transfer-model';
import { contextSinkSupport, elementSinkSupported } from '@/lib/phone/audio-sink';
import { clickToCallItem, loadClickToCallSettings } from '@/lib/settings/click-to-call-settings';
import { ALL_SITES_ORIGINS } from '@/lib/settings/page-access';
import { loadLocalSettings, saveAudioSettings, saveCrmSettings, settingsItem } from '@/lib/settings/settings-store';

const locale = currentLocale();
document.documentElement.lang = locale;
document.title = tOptions('page.title');

const client = createClient(OptionsToBackground, sendRuntimeMessage);
const options = createOptionsModel({ client });
const microphone = createMicrophoneModel({
  mediaDevices: navigator.mediaDevices,
  permissions: navigator.permissions,
  notifyChanged: () => client.microphoneChanged({}),
});
const audio = createAudioDevicesModel({
  mediaDevices: navigator.mediaDevices,
  store: {
    load: async () => (await loadLocalSettings()).audio,
    save: saveAudioSettings,
    watch: (callback) => settingsItem.watch(callback),
  },
  playSound: createOutputPreview(),
  outputSupport: { speaker: elementSinkSupported(), ringer: contextSinkSupport() !== 'none' },
});
// Device names (and ids) appear once the microphone is allowed: list them again then.
effect(() => {
  if (microphone.state.value === 'granted') void audio.refresh();
});
const transfer = createSettingsTransferModel({
  download: downloadTextFile,
  onImported: (settings) => options.showSaved(settings),
});
const history = createHistoryToolsModel({ client, download: downloadTextFile });
const contacts = createContactsImportModel({ client });
const storage = createRecordingStorageModel({
  client,
  storage: navigator.storage,
  recordingEnabled: computed(() => options.policy.value.effective.accounts.some((a) => a.recording !== 'off')),
});

const clickToCall = createClickToCallModel({
  load: loadClickToCallSettings,
  save: (settings) => clickToCallItem.setValue(settings),
  watch: (callback) => clickToCallItem.watch(callback),
});

// Optional host permission for pages; granting or revoking it (here or in the browser's own
// settings) makes the background register or unregister the click-to-call script.
const pageAccess = createPageAccessModel({
  contains: () => browser.permissions.contains({ origins: [...ALL_SITES_ORIGINS] }),
  request: () => browser.permissions.request({ origins: [...ALL_SITES_ORIGINS] }),
  remove: () => browser.permissions.remove({ origins: [...ALL_SITES_ORIGINS] }),
  removeOrigins: (origins) => browser.permissions.remove({ origins }),
  grantedOrigins: async () => (await browser.permissions.getAll()).origins ?? [],
  requestOrigins: (origins) => browser.permissions.request({ origins }),
  watch(callback) {
    browser.permissions.onAdded.addListener(callback);
    browser.permissions.onRemoved.addListener(callback);
    return () => {
      browser.permissions.onAdded.removeListener(callback);
      browser.permissions.onRemoved.removeListener(callback);
    };
  },
});

const crm = createCrmConnectionModel({
  store: { load: async () => (await loadLocalSettings()).crm, save: saveCrmSettings },
  client,
  // Optional host permission (manifest `optional_host_permissions` / MV2 `optional_permissions`),
  // asked for within the Save or Test click.
  requestOrigins: (origins) => browser.permissions.request({ origins }),
  // amoCRM's OAuth sign-in window; the browser ends it when amoCRM redirects to getRedirectURL()
  // (https://<id>.chromiumapp.org/ on Chrome, https://<hash>.extensions.allizom.org/ on Firefox).
  oauth:
    typeof browser.identity?.launchWebAuthFlow === 'function'
      ? {
          redirectUri: browser.identity.getRedirectURL(),
          launch: async (url) => {
            const redirect = await browser.identity.launchWebAuthFlow({ url, interactive: true });
            if (!redirect) throw new Error('the sign-in window returned no address');
            return redirect;
          },
        }
      : undefined,
});

render(
  <OptionsApp
    options={options}
    microphone={microphone}
    audio={audio}
    transfer={transfer}
    clickToCall={clickToCall}
    history={history}
    contacts={contacts}
    storage={storage}
    countries={countryChoices(locale)}
    crm={crm}
    pageAccess={pageAccess}
  />,
  document.getElementById('app')!,
);
void options.start();
void microphone.start();
void clickToCall.start();
void pageAccess.start();
void crm.start();
void audio.start();
storage.start();
