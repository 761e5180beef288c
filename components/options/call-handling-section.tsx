import { FieldFrame, describedBy } from '@/components/options/form-field';
import { tOptions } from '@/lib/i18n/options-messages';
import type { OptionsModel } from '@/lib/options/options-model';
import type { CallHandlingField } from '@/lib/options/settings-draft';

export interface CallHandlingSectionProps {
  model: OptionsModel;
}

/** What callers get under Do not disturb, and auto-answer (its delay and PBX intercom hints). */
export function CallHandlingSection({ model }: CallHandlingSectionProps) {
  const draft = model.draft.value;
  const errors = model.visibleErrors.value;
  const frame = (field: CallHandlingField, hint?: string) => ({
    id: `incoming-${field}`,
    testId: field,
    label: tOptions(`field.${field}`),
    hint,
    error: errors.get(field),
  });
  const controlProps = (field: CallHandlingField, hint?: string) => ({
    id: `incoming-${field}`,
    'data-testid': field,
    'aria-invalid': errors.has(field) ? true : undefined,
    'aria-describedby': describedBy(`incoming-${field}`, { hint, error: errors.has(field) }),
  });
  const dndHint = tOptions('hint.dndResponse');
  const redirectHint = tOptions('hint.dndRedirectTarget');
  const delayHint = tOptions('hint.autoAnswerDelaySeconds');
  return (
    <section class="section" aria-labelledby="section-call-handling">
      <h2 id="section-call-handling">{tOptions('section.callHandling')}</h2>
      <FieldFrame {...frame('dndResponse', dndHint)}>
        <select
          {...controlProps('dndResponse', dndHint)}
          value={String(draft.dndResponse)}
          onChange={(event) => {
            const value = event.currentTarget.value;
            model.setGlobal('dndResponse', value === '302' ? 302 : value === '480' ? 480 : 486);
          }}
        >
          <option value="486">{tOptions('dndResponse.486')}</option>
          <option value="480">{tOptions('dndResponse.480')}</option>
          <option value="302">{tOptions('dndResponse.302')}</option>
        </select>
      </FieldFrame>
      {draft.dndResponse === 302 && (
        <FieldFrame {...frame('dndRedirectTarget', redirectHint)}>
          <input
            {...controlProps('dndRedirectTarget', redirectHint)}
            type="text"
            value={draft.dndRedirectTarget}
            onInput={(event) => model.setGlobal('dndRedirectTarget', event.currentTarget.value)}
          />
        </FieldFrame>
      )}
      <label class="checkbox">
        <input
          type="checkbox"
          data-testid="autoAnswer"
          checked={draft.autoAnswer}
          onChange={(event) => model.setGlobal('autoAnswer', event.currentTarget.checked)}
        />
        {tOptions('field.autoAnswer')}
      </label>
      <FieldFrame {...frame('autoAnswerDelaySeconds', delayHint)}>
        <input
          {...controlProps('autoAnswerDelaySeconds', delayHint)}
          type="number"
          inputMode="numeric"
          min={0}
          max={10}
          step={1}
          disabled={!draft.autoAnswer && !draft.intercomAutoAnswer}
          value={draft.autoAnswerDelaySeconds}
          onInput={(event) => model.setGlobal('autoAnswerDelaySeconds', event.currentTarget.value)}
        />
      </FieldFrame>
      <label class="checkbox">
        <input
          type="checkbox"
          data-testid="intercomAutoAnswer"
          aria-describedby="incoming-intercom-hint"
          checked={draft.intercomAutoAnswer}
          onChange={(event) => model.setGlobal('intercomAutoAnswer', event.currentTarget.checked)}
        />
        {tOptions('field.intercomAutoAnswer')}
      </label>
      <p id="incoming-intercom-hint" class="hint">
        {tOptions('hint.intercomAutoAnswer')}
      </p>
    </section>
  );
}
