import type { Session } from 'sip.js';
import { DtmfSendError } from '@/lib/phone/dtmf-queue';
import type { DtmfMethod } from '@/lib/settings/settings-schema';

/** How long each RFC 4733 tone lasts, and the silence after it, in ms. */
export const DTMF_TONE_MS = 100;
export const DTMF_GAP_MS = 70;
/** The duration an INFO announces, in ms (what Asterisk and FreeSWITCH use by default). */
export const DTMF_INFO_DURATION_MS = 160;

interface DtmfCapableHandler {
  sendDtmf?(tones: string, options?: { duration: number; interToneGap: number }): boolean;
}

/**
 * Sends one digit on a call's session by `method`; resolves once the digit is finished, so the
 * next one can follow (see `DtmfQueue`), rejects with a {@link DtmfSendError}.
 */
export function createDtmfSender(
  session: Session,
  method: () => DtmfMethod,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): (digit: string) => Promise<void> {
  return async (digit) => {
    if (method() === 'info') {
      await sendInfo(session, digit);
      return;
    }
    const handler = session.sessionDescriptionHandler as DtmfCapableHandler | undefined;
    // SIP.js → RTCDTMFSender.insertDTMF; false when the negotiated audio has no telephone-event
    // payload type (RFC 4733 §2.5.1.2), i.e. the far end cannot receive DTMF in RTP.
    if (!handler?.sendDtmf?.(digit, { duration: DTMF_TONE_MS, interToneGap: DTMF_GAP_MS })) {
      throw new DtmfSendError('unsupported');
    }
    // insertDTMF replaces tones still in its buffer: the next digit waits until this one is played.
    await sleep(DTMF_TONE_MS + DTMF_GAP_MS);
  };
}

/** The body of a SIP INFO carrying one digit (`application/dtmf-relay`, as Cisco introduced it). */
export function dtmfRelayBody(digit: string): string {
  return `Signal=${digit}\r\nDuration=${DTMF_INFO_DURATION_MS}\r\n`;
}

function sendInfo(session: Session, digit: string): Promise<void> {
  return new Promise((resolve, reject) => {
    session
      .info({
        requestDelegate: {
          onAccept: () => resolve(),
          // SIP.js also answers its own transaction timeout here, as 408.
          onReject: (response) => reject(new DtmfSendError('refused', response.message.statusCode)),
        },
        requestOptions: {
          body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: dtmfRelayBody(digit) },
        },
      })
      .catch(() => reject(new DtmfSendError('failed')));
  });
}
