import { useEffect, useRef, useState } from 'preact/hooks';
import { tPanel } from '@/lib/i18n/panel-messages';
import { DIALPAD_KEYS, isDialpadChar } from '@/lib/panel/dialpad-keys';
import type { AccountView, DialPreview } from '@/lib/panel/phone-model';

export interface DialpadProps {
  value: string;
  preview: DialPreview;
  canDial: boolean;
  error?: string;
  /** Accounts to choose from; the selector is shown only when given. */
  accounts?: readonly AccountView[];
  fromAccountId?: string;
  onInput: (value: string) => void;
  onKey: (char: string) => void;
  onBackspace: () => void;
  onCall: () => void;
  onChooseAccount: (accountId: string) => void;
  /** Keys typed outside the field go elsewhere (a call is up and takes them as DTMF). */
  keysTakenByCall?: boolean;
}

/** How long a key stays lit after being typed on the keyboard. */
const KEY_FLASH_MS = 150;

/** Whether a key typed on `target` is typing into a field (and not a keypad shortcut). */
export function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))
  );
}

/**
 * The number field with its preview, the twelve-key pad, and the Call button. Typing a keypad
 * character anywhere in the panel types into the field; Enter in the field calls.
 */
export function Dialpad(props: DialpadProps) {
  const { value, preview, canDial, error, accounts, fromAccountId } = props;
  const input = useRef<HTMLInputElement>(null);
  const [litKey, setLitKey] = useState<string | undefined>(undefined);
  const flashTimer = useRef<ReturnType<typeof setTimeout>>();

  const flash = (char: string): void => {
    setLitKey(char === '+' ? '0' : char);
    clearTimeout(flashTimer.current);
    flashTimer.current = setTimeout(() => setLitKey(undefined), KEY_FLASH_MS);
  };

  // Latest props for the document listener, which is added once.
  const latest = useRef(props);
  latest.current = props;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || isEditable(event.target)) return;
      if (latest.current.keysTakenByCall) return;
      if (isDialpadChar(event.key)) {
        event.preventDefault();
        flash(event.key);
        latest.current.onKey(event.key);
        input.current?.focus();
      } else if (event.key === 'Backspace') {
        event.preventDefault();
        latest.current.onBackspace();
        input.current?.focus();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      clearTimeout(flashTimer.current);
    };
  }, []);

  const pressKey = (char: string): void => {
    props.onKey(char);
    input.current?.focus();
  };

  return (
    <form
      class="dialpad"
      aria-label={tPanel('dial.form')}
      onSubmit={(event) => {
        event.preventDefault();
        if (canDial) props.onCall();
      }}
    >
      {accounts && (
        <label class="dial-from">
          <span>{tPanel('dial.from')}</span>
          <select
            data-testid="dial-account"
            value={fromAccountId}
            onChange={(event) => props.onChooseAccount(event.currentTarget.value)}
          >
            {accounts.map((account) => (
              <option key={account.accountId} value={account.accountId}>
                {account.state === 'registered'
                  ? account.aor
                  : `${account.aor} (${tPanel('dial.notRegistered')})`}
              </option>
            ))}
          </select>
        </label>
      )}
      <div class="dial-field">
        <input
          ref={input}
          id="dial-input"
          class="dial-input"
          data-testid="dial-input"
          type="text"
          inputMode="text"
          autocomplete="off"
          spellcheck={false}
          aria-label={tPanel('dial.label')}
          aria-describedby="dial-preview"
          placeholder={tPanel('dial.placeholder')}
          value={value}
          onInput={(event) => props.onInput(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (isDialpadChar(event.key)) flash(event.key);
          }}
        />
        <button
          type="button"
          class="button button--icon"
          data-testid="dial-backspace"
          aria-label={tPanel('dial.backspace')}
          title={tPanel('dial.backspace')}
          disabled={value.length === 0}
          onClick={() => {
            props.onBackspace();
            input.current?.focus();
          }}
        >
          ⌫
        </button>
      </div>
      <p
        id="dial-preview"
        class={preview.kind === 'error' ? 'dial-preview dial-preview--invalid' : 'dial-preview'}
        data-testid="dial-preview"
        data-kind={preview.kind}
      >
        {preview.text}
      </p>
      <div class="keypad" role="group" aria-label={tPanel('dial.keypad')}>
        {DIALPAD_KEYS.map((key) => (
          <button
            key={key.char}
            type="button"
            class={litKey === key.char ? 'key key--lit' : 'key'}
            data-testid={`dialpad-key-${key.char}`}
            aria-label={key.char}
            onClick={() => pressKey(key.char)}
          >
            <span class="key-char">{key.char}</span>
            <span class="key-letters" aria-hidden="true">
              {key.letters}
            </span>
          </button>
        ))}
      </div>
      <button type="submit" class="button button--call" data-testid="dial-call" disabled={!canDial}>
        {tPanel('dial.call')}
      </button>
      {error && (
        <p class="error" data-testid="dial-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
