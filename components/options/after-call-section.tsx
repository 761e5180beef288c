import { FieldFrame, describedBy } from '@/components/options/form-field';
import { tOptions } from '@/lib/i18n/options-messages';
import type { OptionsModel } from '@/lib/options/options-model';
import type { NewNumberRule } from '@/lib/settings/after-call-settings';

export interface AfterCallSectionProps {
  model: OptionsModel;
}

const NEW_NUMBER_RULES: readonly NewNumberRule[] = ['lead', 'contact', 'off'];

/** The after-call rules: callbacks of missed calls (and when they are due), notes, new numbers. */
export function AfterCallSection({ model }: AfterCallSectionProps) {
  const rules = model.draft.value.afterCall;
  const errors = model.visibleErrors.value;
  const dueHint = tOptions('hint.callbackDueMinutes');
  return (
    <section class="section" aria-labelledby="section-after-call">
      <h2 id="section-after-call">{tOptions('section.afterCall')}</h2>
      <label class="checkbox">
        <input
          type="checkbox"
          data-testid="callbackTask"
          checked={rules.callbackTask}
          onChange={(event) => model.setAfterCall('callbackTask', event.currentTarget.checked)}
        />
        {tOptions('field.callbackTask')}
      </label>
      <FieldFrame
        id="after-call-callbackDueMinutes"
        testId="callbackDueMinutes"
        label={tOptions('field.callbackDueMinutes')}
        hint={dueHint}
        error={errors.get('callbackDueMinutes')}
      >
        <input
          id="after-call-callbackDueMinutes"
          data-testid="callbackDueMinutes"
          type="number"
          inputMode="decimal"
          min={0}
          max={10080}
          step="any"
          disabled={!rules.callbackTask}
          aria-invalid={errors.has('callbackDueMinutes') ? true : undefined}
          aria-describedby={describedBy('after-call-callbackDueMinutes', {
            hint: dueHint,
            error: errors.has('callbackDueMinutes'),
          })}
          value={rules.callbackDueMinutes}
          onInput={(event) => model.setAfterCall('callbackDueMinutes', event.currentTarget.value)}
        />
      </FieldFrame>
      <label class="checkbox">
        <input
          type="checkbox"
          data-testid="answeredNote"
          checked={rules.answeredNote}
          onChange={(event) => model.setAfterCall('answeredNote', event.currentTarget.checked)}
        />
        {tOptions('field.answeredNote')}
      </label>
      <FieldFrame id="after-call-newNumber" testId="newNumber" label={tOptions('field.newNumber')}>
        <select
          id="after-call-newNumber"
          data-testid="newNumber"
          value={rules.newNumber}
          onChange={(event) => {
            const value = event.currentTarget.value;
            const rule = NEW_NUMBER_RULES.find((candidate) => candidate === value);
            if (rule) model.setAfterCall('newNumber', rule);
          }}
        >
          {NEW_NUMBER_RULES.map((rule) => (
            <option key={rule} value={rule}>
              {tOptions(`newNumber.${rule}`)}
            </option>
          ))}
        </select>
      </FieldFrame>
    </section>
  );
}
