import { FieldFrame, describedBy } from '@/components/options/form-field';
import { tOptions } from '@/lib/i18n/options-messages';
import type { CountryChoice } from '@/lib/options/country-choices';
import type { OptionsModel } from '@/lib/options/options-model';
import type { GlobalField, RetentionField } from '@/lib/options/settings-draft';
import { DialFormatSchema, type DialFormat } from '@/lib/settings/settings-schema';

export interface GeneralSettingsProps {
  model: OptionsModel;
  countries: { common: CountryChoice[]; all: CountryChoice[] };
}

/**
 * Default country, dial format, decline code, the team's dispositions and how long recordings are
 * kept. Fields the policy fixes show its value, disabled.
 */
export function GeneralSettings({ model, countries }: GeneralSettingsProps) {
  const draft = model.draft.value;
  const { locked, effective } = model.policy.value;
  const errors = model.visibleErrors.value;
  const shown = <F extends Exclude<GlobalField, 'dispositions'>>(field: F) =>
    locked.has(field) ? effective[field] : draft[field];
  const frame = (field: GlobalField, hint?: string) => ({
    id: `general-${field}`,
    testId: field,
    label: tOptions(`field.${field}`),
    hint,
    error: locked.has(field) ? undefined : errors.get(field),
    locked: locked.has(field),
  });
  const controlProps = (field: GlobalField, hint?: string) => ({
    id: `general-${field}`,
    'data-testid': field,
    disabled: locked.has(field),
    'aria-invalid': errors.has(field) && !locked.has(field) ? true : undefined,
    'aria-describedby': describedBy(`general-${field}`, {
      hint,
      error: !locked.has(field) && errors.has(field),
      locked: locked.has(field),
    }),
  });
  const countryHint = tOptions('hint.defaultCountry');
  const dispositionsHint = tOptions('hint.dispositions');
  const retention = (field: RetentionField, max: number) => {
    const hint = tOptions(`hint.${field}`);
    return (
      <FieldFrame {...frame(field, hint)}>
        <input
          {...controlProps(field, hint)}
          type="number"
          inputMode="numeric"
          min={field === 'recordingMaxMb' ? 1 : 0}
          max={max}
          step={1}
          value={locked.has(field) ? String(effective[field]) : draft[field]}
          onInput={(event) => model.setGlobal(field, event.currentTarget.value)}
        />
      </FieldFrame>
    );
  };

  return (
    <section class="section" aria-labelledby="section-general">
      <h2 id="section-general">{tOptions('section.general')}</h2>
      <FieldFrame {...frame('defaultCountry', countryHint)}>
        <select
          {...controlProps('defaultCountry', countryHint)}
          value={shown('defaultCountry')}
          onChange={(event) => model.setGlobal('defaultCountry', event.currentTarget.value)}
        >
          <optgroup label={tOptions('country.common')}>
            {countries.common.map((country) => (
              <option key={`common-${country.code}`} value={country.code}>
                {country.label}
              </option>
            ))}
          </optgroup>
          <optgroup label={tOptions('country.all')}>
            {countries.all.map((country) => (
              <option key={country.code} value={country.code}>
                {country.label}
              </option>
            ))}
          </optgroup>
        </select>
      </FieldFrame>
      <FieldFrame {...frame('dialFormat')}>
        <select
          {...controlProps('dialFormat')}
          value={shown('dialFormat')}
          onChange={(event) => model.setGlobal('dialFormat', event.currentTarget.value as DialFormat)}
        >
          {DialFormatSchema.options.map((format) => (
            <option key={format} value={format}>
              {tOptions(`dialFormat.${format}`)}
            </option>
          ))}
        </select>
      </FieldFrame>
      <FieldFrame {...frame('declineCode')}>
        <select
          {...controlProps('declineCode')}
          value={String(shown('declineCode'))}
          onChange={(event) =>
            model.setGlobal('declineCode', event.currentTarget.value === '603' ? 603 : 486)
          }
        >
          <option value="486">{tOptions('declineCode.486')}</option>
          <option value="603">{tOptions('declineCode.603')}</option>
        </select>
      </FieldFrame>
      <FieldFrame {...frame('dispositions', dispositionsHint)}>
        <textarea
          {...controlProps('dispositions', dispositionsHint)}
          rows={4}
          placeholder={tOptions('placeholder.dispositions')}
          value={locked.has('dispositions') ? effective.dispositions.join('\n') : draft.dispositions}
          onInput={(event) => model.setGlobal('dispositions', event.currentTarget.value)}
        />
      </FieldFrame>
      <h3>{tOptions('general.recordings')}</h3>
      {retention('recordingRetentionDays', 3650)}
      {retention('recordingMaxMb', 1_000_000)}
    </section>
  );
}
