import { useEffect, useRef, useState } from 'preact/hooks';
import { tPanel } from '@/lib/i18n/panel-messages';
import { DIALPAD_KEYS } from '@/lib/panel/dialpad-keys';
import type { CallView, DialPreview } from '@/lib/panel/phone-model';

/** The transfer form of a call, while it is open. */
export interface TransferFormView {
  value: string;
  preview: DialPreview;
  /** The target can be dialled. */
  canSubmit: boolean;
}

export interface CallToolsProps {
  call: CallView;
  /** Given while this call's transfer form is open. */
  transferForm?: TransferFormView;
  onDtmf: (callId: string, digit: string) => void;
  onOpenTransfer: (callId: string) => void;
  onTransferInput: (value: string) => void;
  onBlindTransfer: (callId: string) => void;
  onConsultTransfer: (callId: string) => void;
  onCloseTransfer: () => void;
  onCompleteTransfer: (callId: string) => void;
  onCancelTransfer: (callId: string) => void;
}

/**
 * The in-call tools under a call card: its keypad (DTMF), the digits sent, and transfer — the form
 * (transfer now, or ask first) and the state of a transfer under way.
 */
export function CallTools(props: CallToolsProps) {
  const { call, transferForm } = props;
  // Whether the keypad is unfolded is presentation only.
  const [keypadOpen, setKeypadOpen] = useState(false);
  const transfer = call.transfer;
  return (
    <div class="call-tools">
      {call.consultForText && (
        <p class="call-consult-for" data-testid="call-consult-for">
          {call.consultForText}
        </p>
      )}
      {(call.canKeypad || call.canTransfer) && (
        <div class="call-actions">
          {call.canKeypad && (
            <button
              type="button"
              class="button button--toggle"
              data-testid="call-keypad"
              aria-pressed={keypadOpen}
              aria-expanded={keypadOpen}
              onClick={() => setKeypadOpen(!keypadOpen)}
            >
              {tPanel('call.keypad')}
            </button>
          )}
          {call.canTransfer && (
            <button
              type="button"
              class="button"
              data-testid="call-transfer"
              aria-expanded={transferForm !== undefined}
              disabled={call.busy}
              onClick={() => (transferForm ? props.onCloseTransfer() : props.onOpenTransfer(call.id))}
            >
              {tPanel('call.transfer')}
            </button>
          )}
        </div>
      )}
      {keypadOpen && call.canKeypad && (
        <div class="keypad keypad--in-call" role="group" aria-label={tPanel('call.keypadGroup')}>
          {DIALPAD_KEYS.map((key) => (
            <button
              key={key.char}
              type="button"
              class="key"
              data-testid={`dtmf-key-${key.char}`}
              aria-label={key.char}
              onClick={() => props.onDtmf(call.id, key.char)}
            >
              <span class="key-char">{key.char}</span>
            </button>
          ))}
        </div>
      )}
      {call.dtmfSent && (
        <p class="call-dtmf" data-testid="dtmf-sent">
          {tPanel('call.dtmfSent', { digits: call.dtmfSent })}
        </p>
      )}
      {call.dtmfError && (
        <p class="error" data-testid="dtmf-error" role="alert">
          {call.dtmfError}
        </p>
      )}
      {transferForm && call.canTransfer && <TransferForm {...props} form={transferForm} />}
      {transfer && transfer.text && (
        <p
          class={transfer.failed ? 'error call-transfer-status' : 'call-transfer-status'}
          data-testid="transfer-status"
          data-transfer-state={transfer.state}
          data-failed={transfer.failed ? 'true' : 'false'}
          role={transfer.failed ? 'alert' : 'status'}
        >
          {transfer.text}
        </p>
      )}
      {transfer && (transfer.canComplete || transfer.canCancel) && (
        <div class="call-actions">
          <button
            type="button"
            class="button button--answer"
            data-testid="transfer-complete"
            disabled={!transfer.canComplete || call.busy}
            onClick={() => props.onCompleteTransfer(call.id)}
          >
            {tPanel('transfer.complete')}
          </button>
          <button
            type="button"
            class="button"
            data-testid="transfer-cancel"
            disabled={!transfer.canCancel || call.busy}
            onClick={() => props.onCancelTransfer(call.id)}
          >
            {tPanel('transfer.backToCaller')}
          </button>
        </div>
      )}
    </div>
  );
}

/** Where to transfer to, and how: now (blind) or after asking the target first. */
function TransferForm(props: CallToolsProps & { form: TransferFormView }) {
  const { call, form } = props;
  const input = useRef<HTMLInputElement>(null);
  // The form opens for typing the target.
  useEffect(() => input.current?.focus(), []);
  return (
    <form
      class="transfer-form"
      aria-label={tPanel('transfer.form')}
      onSubmit={(event) => {
        event.preventDefault();
        if (form.canSubmit) props.onBlindTransfer(call.id);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onCloseTransfer();
      }}
    >
      <label class="transfer-form__field">
        <span>{tPanel('transfer.targetLabel')}</span>
        <input
          ref={input}
          class="dial-input"
          data-testid="transfer-input"
          type="text"
          autocomplete="off"
          spellcheck={false}
          placeholder={tPanel('transfer.placeholder')}
          value={form.value}
          onInput={(event) => props.onTransferInput(event.currentTarget.value)}
        />
      </label>
      <p
        class={form.preview.kind === 'error' ? 'dial-preview dial-preview--invalid' : 'dial-preview'}
        data-testid="transfer-preview"
      >
        {form.preview.text}
      </p>
      <div class="call-actions">
        <button type="submit" class="button" data-testid="transfer-now" disabled={!form.canSubmit || call.busy}>
          {tPanel('transfer.now')}
        </button>
        <button
          type="button"
          class="button"
          data-testid="transfer-ask-first"
          disabled={!form.canSubmit || call.busy}
          onClick={() => props.onConsultTransfer(call.id)}
        >
          {tPanel('transfer.askFirst')}
        </button>
        <button type="button" class="button" data-testid="transfer-close" onClick={() => props.onCloseTransfer()}>
          {tPanel('transfer.close')}
        </button>
      </div>
    </form>
  );
}
