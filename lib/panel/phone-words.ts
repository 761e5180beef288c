import { tPanel } from '@/lib/i18n/panel-messages';
import { tPhone } from '@/lib/i18n/phone-messages';
import type { DialTargetError, DialTarget } from '@/lib/numbers/normalize-dial-target';
import type { CallEndReason } from '@/lib/phone/call-state';
import type { DtmfFailure } from '@/lib/phone/dtmf-queue';
import type { TransferFailure } from '@/lib/phone/transfer-failure';
import { RegistrationState } from '@/lib/phone/registration-state';

/** SIP codes with their own words in `phone-messages.ts`; others read "SIP error {code}". */
const WORDED_SIP_CODES = ['403', '404', '405', '408', '415', '480', '481', '486', '487', '488', '501', '603'] as const;
type WordedSipCode = (typeof WORDED_SIP_CODES)[number];

function isWordedSipCode(code: string): code is WordedSipCode {
  return (WORDED_SIP_CODES as readonly string[]).includes(code);
}

/**
 * What a registration state reads as. `Waiting` counts down when the retry time is known.
 */
export function registrationWords(state: RegistrationState, retryInSeconds?: number): string {
  if (state === RegistrationState.Waiting) {
    return retryInSeconds === undefined
      ? tPanel('status.reconnecting')
      : tPhone('registration.waiting', { seconds: retryInSeconds });
  }
  return tPhone(`registration.${state}`);
}

/** A SIP final response code in words (RFC 3261 §21), e.g. 486 → "Busy". */
export function sipCodeWords(code: number): string {
  const key = String(code);
  return isWordedSipCode(key) ? tPhone(`sip.${key}`) : tPhone('sip.other', { code });
}

/** How a call ended, with the SIP reason when there is one: "Call not connected — Busy". */
export function endWords(reason: CallEndReason | undefined, sipCode: number | undefined): string {
  const parts = [reason === undefined ? tPhone('call.ended') : tPhone(`end.${reason}`)];
  if (sipCode !== undefined) parts.push(sipCodeWords(sipCode));
  return parts.join(' — ');
}

/** The preview line under the number field. */
export function dialPreviewWords(
  result: { ok: true; target: DialTarget } | { ok: false; error: DialTargetError },
): string {
  if (!result.ok) {
    switch (result.error) {
      case 'empty':
        return tPanel('preview.empty');
      case 'invalid':
        return tPanel('preview.invalid');
      case 'too-long':
        return tPanel('preview.tooLong');
    }
  }
  const { target } = result;
  switch (target.kind) {
    case 'phone': {
      const number = tPanel('preview.phone', { number: target.display });
      // Only worth saying when the dial format changes what the PBX receives.
      return target.dial === target.e164 ? number : `${number} (${tPanel('preview.sentAs', { dial: target.dial })})`;
    }
    case 'extension':
      return tPanel('preview.extension', { number: target.display });
    case 'sip':
      return tPanel('preview.sip', { address: target.display });
  }
}

/** Why keypad digits were not sent, with the far end's answer when there is one. */
export function dtmfFailureWords(failure: DtmfFailure, sipCode: number | undefined): string {
  const sentence = tPanel(`dtmf.error.${failure}`);
  return sipCode === undefined ? sentence : `${sentence} — ${sipCodeWords(sipCode)}`;
}

/** Why a transfer did not happen, with the SIP reason when there is one; the call goes on. */
export function transferFailureWords(failure: TransferFailure, target: string, sipCode: number | undefined): string {
  const sentence = tPanel(`transfer.failure.${failure}`, { target });
  return sipCode === undefined ? sentence : `${sentence} — ${sipCodeWords(sipCode)}`;
}
