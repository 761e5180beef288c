import { useState } from 'preact/hooks';
import { tOptions } from '@/lib/i18n/options-messages';
import type { ClickToCallModel } from '@/lib/options/click-to-call-model';
import type { CountryChoice } from '@/lib/options/country-choices';
import type { PageAccessModel } from '@/lib/options/page-access-model';
import { PageAccess } from '@/components/options/page-access';

export interface ClickToCallSectionProps {
  model: ClickToCallModel;
  countries: CountryChoice[];
  /** Preselected in the region picker: the country numbers are read with by default. */
  defaultCountry: string;
  /** Access to pages (the optional host permission); without it the section does not show it. */
  pageAccess?: PageAccessModel;
}

/** Click-to-call on web pages: on/off, tel: links, sites where it is off, region per site. */
export function ClickToCallSection({ model, countries, defaultCountry, pageAccess }: ClickToCallSectionProps) {
  const settings = model.settings.value;
  const problem = model.problem.value;
  const [siteToDisable, setSiteToDisable] = useState('');
  const [regionSite, setRegionSite] = useState('');
  const [region, setRegion] = useState(defaultCountry);

  return (
    <section class="section" aria-labelledby="section-click-to-call">
      <h2 id="section-click-to-call">{tOptions('section.clickToCall')}</h2>
      <p>{tOptions('c2c.explain')}</p>
      {pageAccess && <PageAccess model={pageAccess} />}
      <label class="check">
        <input
          type="checkbox"
          data-testid="c2c-enabled"
          checked={settings.enabled}
          onChange={(event) => void model.setEnabled(event.currentTarget.checked)}
        />
        {tOptions('c2c.enabled')}
      </label>
      <label class="check">
        <input
          type="checkbox"
          data-testid="c2c-intercept"
          checked={settings.interceptTelLinks}
          onChange={(event) => void model.setInterceptTelLinks(event.currentTarget.checked)}
        />
        {tOptions('c2c.interceptTelLinks')}
      </label>

      <h3>{tOptions('c2c.disabledSites')}</h3>
      {settings.disabledSites.length === 0 ? (
        <p class="hint">{tOptions('c2c.noDisabledSites')}</p>
      ) : (
        <SiteList
          entries={settings.disabledSites.map((site) => ({ site, text: site }))}
          testIdPrefix="c2c-enable-"
          removeLabel={(site) => tOptions('c2c.enableOnSite', { site })}
          onRemove={(site) => void model.enableSite(site)}
        />
      )}
      <form
        class="row c2c-form"
        onSubmit={(event) => {
          event.preventDefault();
          void model.disableSite(siteToDisable).then(() => {
            if (!model.problem.value) setSiteToDisable('');
          });
        }}
      >
        <label class="visually-hidden" for="c2c-disable-input">
          {tOptions('c2c.siteLabel')}
        </label>
        <input
          id="c2c-disable-input"
          type="text"
          data-testid="c2c-disable-input"
          placeholder="crm.example.com"
          value={siteToDisable}
          onInput={(event) => setSiteToDisable(event.currentTarget.value)}
        />
        <button type="submit" data-testid="c2c-disable-add">
          {tOptions('c2c.disableOnSite')}
        </button>
      </form>

      <h3>{tOptions('c2c.siteRegions')}</h3>
      <SiteList
        entries={Object.entries(settings.siteRegions).map(([site, code]) => ({ site, text: `${site} — ${code}` }))}
        testIdPrefix="c2c-region-remove-"
        removeLabel={(site) => tOptions('c2c.removeRegion', { site })}
        onRemove={(site) => void model.removeSiteRegion(site)}
      />
      <form
        class="row c2c-form"
        onSubmit={(event) => {
          event.preventDefault();
          void model.setSiteRegion(regionSite, region).then(() => {
            if (!model.problem.value) setRegionSite('');
          });
        }}
      >
        <label class="visually-hidden" for="c2c-region-site">
          {tOptions('c2c.siteLabel')}
        </label>
        <input
          id="c2c-region-site"
          type="text"
          data-testid="c2c-region-site"
          placeholder="crm.example.com"
          value={regionSite}
          onInput={(event) => setRegionSite(event.currentTarget.value)}
        />
        <label class="visually-hidden" for="c2c-region-country">
          {tOptions('c2c.regionLabel')}
        </label>
        <select
          id="c2c-region-country"
          data-testid="c2c-region-country"
          value={region}
          onChange={(event) => setRegion(event.currentTarget.value)}
        >
          {countries.map((country) => (
            <option key={country.code} value={country.code}>
              {country.label}
            </option>
          ))}
        </select>
        <button type="submit" data-testid="c2c-region-add">
          {tOptions('c2c.addRegion')}
        </button>
      </form>
      {problem && (
        <p class="error" role="alert" data-testid="c2c-problem">
          {tOptions(problem)}
        </p>
      )}
    </section>
  );
}

interface SiteListProps {
  entries: { site: string; text: string }[];
  testIdPrefix: string;
  removeLabel: (site: string) => string;
  onRemove: (site: string) => void;
}

/** Sites with a Remove button each; nothing when there are none. */
function SiteList({ entries, testIdPrefix, removeLabel, onRemove }: SiteListProps) {
  if (entries.length === 0) return null;
  return (
    <ul class="site-list">
      {entries.map(({ site, text }) => (
        <li key={site}>
          <span>{text}</span>
          <button
            type="button"
            data-testid={`${testIdPrefix}${site}`}
            aria-label={removeLabel(site)}
            onClick={() => onRemove(site)}
          >
            {tOptions('c2c.remove')}
          </button>
        </li>
      ))}
    </ul>
  );
}
