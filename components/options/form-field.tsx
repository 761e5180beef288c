import type { ComponentChildren } from 'preact';
import { tOptions } from '@/lib/i18n/options-messages';
import type { FieldError } from '@/lib/options/settings-draft';

export interface FieldFrameProps {
  /** Id of the control, for `<label for>` and the ids of its hint and error. */
  id: string;
  /** `data-testid` of the control; its error is `<testId>-error`, its lock note `<testId>-locked`. */
  testId: string;
  label: string;
  hint?: string;
  error?: FieldError;
  locked?: boolean;
  children: ComponentChildren;
}

/** The ids a control lists in `aria-describedby`. */
export function describedBy(
  id: string,
  parts: { hint?: unknown; error?: unknown; locked?: unknown },
): string | undefined {
  const ids = [
    parts.locked ? `${id}-locked` : undefined,
    parts.hint ? `${id}-hint` : undefined,
    parts.error ? `${id}-error` : undefined,
  ].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** Label, control, hint, lock note and error message of one form field. */
export function FieldFrame({ id, testId, label, hint, error, locked, children }: FieldFrameProps) {
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {locked && (
        <p id={`${id}-locked`} class="lock-note" data-testid={`${testId}-locked`}>
          {tOptions('policy.lockNote')}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error" data-testid={`${testId}-error`}>
          {tOptions(error.key, error.params)}
        </p>
      )}
    </div>
  );
}

export interface TextFieldProps {
  id: string;
  testId: string;
  label: string;
  value: string;
  hint?: string;
  error?: FieldError;
  locked?: boolean;
  type?: 'text' | 'url' | 'password';
  multiline?: boolean;
  readOnly?: boolean;
  autoComplete?: string;
  placeholder?: string;
  inputRef?: (element: HTMLInputElement | HTMLTextAreaElement | null) => void;
  onInput?: (value: string) => void;
  /** Rendered after the control, inside the field (e.g. the show-password button). */
  after?: ComponentChildren;
}

/** A labelled text input or textarea. */
export function TextField(props: TextFieldProps) {
  const common = {
    id: props.id,
    'data-testid': props.testId,
    value: props.value,
    readOnly: props.readOnly,
    placeholder: props.placeholder,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy(props.id, props),
    onInput: (event: Event) => props.onInput?.((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <FieldFrame {...props}>
      {props.multiline ? (
        <textarea {...common} ref={props.inputRef} rows={3} spellcheck={false} />
      ) : (
        <div class="control-row">
          <input
            {...common}
            ref={props.inputRef}
            type={props.type ?? 'text'}
            autoComplete={props.autoComplete ?? 'off'}
            spellcheck={false}
          />
          {props.after}
        </div>
      )}
    </FieldFrame>
  );
}
