import { AccountsSection } from '@/components/options/accounts-section';
import { AfterCallSection } from '@/components/options/after-call-section';
import { CallHandlingSection } from '@/components/options/call-handling-section';
import { AudioSection } from '@/components/options/audio-section';
import { ClickToCallSection } from '@/components/options/click-to-call-section';
import { CrmSection } from '@/components/options/crm-section';
import { fieldLabel } from '@/components/options/field-labels';
import { GeneralSettings } from '@/components/options/general-settings';
import { ContactsSection } from '@/components/options/contacts-section';
import { HistorySection } from '@/components/options/history-section';
import { MicrophoneSection } from '@/components/options/microphone-section';
import { SaveBar } from '@/components/options/save-bar';
import { SectionBoundary } from '@/components/options/section-boundary';
import { SettingsTransferSection } from '@/components/options/settings-transfer-section';
import { StorageSection } from '@/components/options/storage-section';
import { tOptions } from '@/lib/i18n/options-messages';
import type { AudioDevicesModel } from '@/lib/options/audio-devices-model';
import type { ClickToCallModel } from '@/lib/options/click-to-call-model';
import type { CountryChoice } from '@/lib/options/country-choices';
import type { CrmConnectionModel } from '@/lib/options/crm-connection-model';
import type { PageAccessModel } from '@/lib/options/page-access-model';
import type { ContactsImportModel } from '@/lib/options/contacts-import-model';
import type { HistoryToolsModel } from '@/lib/options/history-tools-model';
import type { MicrophoneModel } from '@/lib/options/microphone-model';
import type { OptionsModel } from '@/lib/options/options-model';
import type { RecordingStorageModel } from '@/lib/options/recording-storage-model';
import type { SettingsTransferModel } from '@/lib/options/settings-transfer-model';

export interface OptionsAppProps {
  options: OptionsModel;
  microphone: MicrophoneModel;
  /** The Audio section; without it the page has none. */
  audio?: AudioDevicesModel;
  transfer: SettingsTransferModel;
  clickToCall: ClickToCallModel;
  history: HistoryToolsModel;
  /** Local contacts import; absent in tests of other sections. */
  contacts?: ContactsImportModel;
  storage: RecordingStorageModel;
  countries: { common: CountryChoice[]; all: CountryChoice[] };
  /** The CRM section; without it the page has none. */
  crm?: CrmConnectionModel;
  /** Click-to-call's access to pages; absent in tests of other sections. */
  pageAccess?: PageAccessModel;
}

/**
 * The options page: the settings form (accounts, dialing, recordings, Save), the microphone, audio devices, import
 * and export, history tools and storage.
 */
export function OptionsApp({
  options,
  microphone,
  audio,
  transfer,
  clickToCall,
  history,
  storage,
  countries,
  crm,
  contacts,
  pageAccess,
}: OptionsAppProps) {
  if (options.loading.value) {
    return (
      <main class="page" data-testid="options-loading" aria-busy="true">
        <p role="status">{tOptions('page.loading')}</p>
      </main>
    );
  }
  const loadError = options.loadError.value;
  if (loadError !== undefined) {
    return (
      <main class="page">
        <p class="error" role="alert" data-testid="options-load-error">
          {tOptions('page.loadFailed', { message: loadError })}
        </p>
      </main>
    );
  }

  const policyErrors = [...new Set(options.policy.value.errors.map((key) => fieldLabel(key.split('.')[0]!)))];

  return (
    <main class="page" data-testid="options-page">
      <h1>{tOptions('page.title')}</h1>

      {policyErrors.length > 0 && (
        <p class="warning" role="alert" data-testid="policy-errors">
          {tOptions('policy.errors', { keys: policyErrors.join(', ') })}
        </p>
      )}

      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void options.save();
        }}
      >
        <SectionBoundary>
          <AccountsSection model={options} />
        </SectionBoundary>
        <SectionBoundary>
          <GeneralSettings model={options} countries={countries} />
        </SectionBoundary>
        <SectionBoundary>
          <CallHandlingSection model={options} />
        </SectionBoundary>
        <SectionBoundary>
          <AfterCallSection model={options} />
        </SectionBoundary>
        <SaveBar model={options} />
      </form>

      <SectionBoundary>
        <MicrophoneSection model={microphone} />
      </SectionBoundary>
      {audio && (
        <SectionBoundary>
          <AudioSection model={audio} />
        </SectionBoundary>
      )}
      <SectionBoundary>
        <ClickToCallSection
          model={clickToCall}
          countries={countries.all}
          defaultCountry={options.draft.value.defaultCountry}
          {...(pageAccess ? { pageAccess } : {})}
        />
      </SectionBoundary>
      {crm && (
        <SectionBoundary>
          <CrmSection model={crm} />
        </SectionBoundary>
      )}
      <SectionBoundary>
        <SettingsTransferSection model={transfer} dirty={options.dirty.value} />
      </SectionBoundary>
      {contacts && (
        <SectionBoundary>
          <ContactsSection model={contacts} />
        </SectionBoundary>
      )}
      <SectionBoundary>
        <HistorySection model={history} />
      </SectionBoundary>
      <SectionBoundary>
        <StorageSection model={storage} />
      </SectionBoundary>
    </main>
  );
}
