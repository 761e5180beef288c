import type { ComponentChildren } from 'preact';
import { FieldFrame, describedBy } from '@/components/options/form-field';
import { tOptions } from '@/lib/i18n/options-messages';
import type { OptionsModel } from '@/lib/options/options-model';
import type { AfterCallDraft } from '@/lib/options/settings-draft';
import type { AfterCallSettings, NewNumberRule } from '@/lib/settings/after-call-settings';

export interface AfterCallSectionProps {
  model: OptionsModel;
}

const NEW_NUMBER_RULES: readonly NewNumberRule[] = ['lead', 'contact', 'off'];

/**
 * The after-call rules: callbacks of missed calls (and when they are due), notes, new numbers. A rule
 * the administrator's policy fixes shows the policy's value, disabled, with the lock note; the
 * others stay the agent's.
 */
export function AfterCallSection({ model }: AfterCallSectionProps) {
  const draft = model.draft.value.afterCall;
  const { locked, effective } = model.policy.value;
  const errors = model.visibleErrors.value;
  const isLocked = (rule: keyof AfterCallSettings): boolean => locked.has(`afterCall.${rule}`);
  const rules: AfterCallDraft = {
    callbackTask: isLocked('callbackTask') ? effective.afterCall.callbackTask : draft.callbackTask,
    callbackDueMinutes: isLocked('callbackDueMinutes')
      ? String(effective.afterCall.callbackDueMinutes)
      : draft.callbackDueMinutes,
    answeredNote: isLocked('answeredNote') ? effective.afterCall.answeredNote : draft.answeredNote,
    newNumber: isLocked('newNumber') ? effective.afterCall.newNumber : draft.newNumber,
  };
  const dueLocked = isLocked('callbackDueMinutes');
  const dueError = dueLocked ? undefined : errors.get('callbackDueMinutes');
  const dueHint = tOptions('hint.callbackDueMinutes');
  return (
    <section class="section" aria-labelledby="section-after-call">
      <h2 id="section-after-call">{tOptions('section.afterCall')}</h2>
      <RuleCheckbox
        rule="callbackTask"
        checked={rules.callbackTask}
        locked={isLocked('callbackTask')}
        onChange={(checked) => model.setAfterCall('callbackTask', checked)}
      >
        {tOptions('field.callbackTask')}
      </RuleCheckbox>
      <FieldFrame
        id="after-call-callbackDueMinutes"
        testId="callbackDueMinutes"
        label={tOptions('field.callbackDueMinutes')}
        hint={dueHint}
        error={dueError}
        locked={dueLocked}
      >
        <input
          id="after-call-callbackDueMinutes"
          data-testid="callbackDueMinutes"
          type="number"
          inputMode="decimal"
          min={0}
          max={10080}
          step="any"
          disabled={dueLocked || !rules.callbackTask}
          aria-invalid={dueError ? true : undefined}
          aria-describedby={describedBy('after-call-callbackDueMinutes', {
            hint: dueHint,
            error: dueError,
            locked: dueLocked,
          })}
          value={rules.callbackDueMinutes}
          onInput={(event) => model.setAfterCall('callbackDueMinutes', event.currentTarget.value)}
        />
      </FieldFrame>
      <RuleCheckbox
        rule="answeredNote"
        checked={rules.answeredNote}
        locked={isLocked('answeredNote')}
        onChange={(checked) => model.setAfterCall('answeredNote', checked)}
      >
        {tOptions('field.answeredNote')}
      </RuleCheckbox>
      <FieldFrame
        id="after-call-newNumber"
        testId="newNumber"
        label={tOptions('field.newNumber')}
        locked={isLocked('newNumber')}
      >
        <select
          id="after-call-newNumber"
          data-testid="newNumber"
          value={rules.newNumber}
          disabled={isLocked('newNumber')}
          aria-describedby={describedBy('after-call-newNumber', { locked: isLocked('newNumber') })}
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

interface RuleCheckboxProps {
  rule: 'callbackTask' | 'answeredNote';
  checked: boolean;
  locked: boolean;
  onChange: (checked: boolean) => void;
  children: ComponentChildren;
}

/** An on/off rule; when the policy fixes it, disabled with the lock note (`<rule>-locked`). */
function RuleCheckbox({ rule, checked, locked, onChange, children }: RuleCheckboxProps) {
  const noteId = `after-call-${rule}-locked`;
  return (
    <>
      <label class="checkbox">
        <input
          type="checkbox"
          data-testid={rule}
          checked={checked}
          disabled={locked}
          aria-describedby={locked ? noteId : undefined}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        {children}
      </label>
      {locked && (
        <p id={noteId} class="lock-note" data-testid={`${rule}-locked`}>
          {tOptions('policy.lockNote')}
        </p>
      )}
    </>
  );
}
