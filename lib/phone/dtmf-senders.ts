import type { Session } from 'sip.js';
import { DtmfSendError } from '@/lib/phone/dtmf-queue';
import type { DtmfMethod } from '@/lib/settings/settings-schema';

/** How long each RFC 4733 tone lasts, and the silence after it, in ms. */
export const DTMF_TONE_MS = 100;
export const DTMF_GAP_MS = 70;
/** The duration an INFO announces, in ms (what Asterisk and FreeSWITCH use by default). */
export const DTMF_INFO_DURATION_MS = 160;

/** Extra wait for the end-of-tones event before giving up on it (a sender that never reports). */
const TONE_END_GRACE_MS = 1000;

/**
 * Sends one digit on a call's session by `method`; resolves once the digit is finished, so the
 * next one can follow (see `DtmfQueue`), rejects with a {@link DtmfSendError}.
 */
export function createDtmfSender(
  session: Session,
  method: () => DtmfMethod,
): (digit: string) => Promise<void> {
  return (digit) => (method() === 'info' ? sendInfo(session, digit) : sendTelephoneEvent(session, digit));
}

/**
 * RFC 4733: one telephone-event through the call's `RTCDTMFSender`. SIP.js's `sendDtmf` would do
 * the same `insertDTMF` but cannot say when the tone is over, and a second `insertDTMF` while the
 * first tone or its gap is still playing replaces what is left of it (the digit is lost); so this
 * waits for the sender's `tonechange` with an empty tone, which comes after the gap.
 */
function sendTelephoneEvent(session: Session, digit: string): Promise<void> {
  const handler = session.sessionDescriptionHandler as { peerConnection?: RTCPeerConnection } | undefined;
  const senders = handler?.peerConnection?.getSenders() ?? [];
  const dtmf = (senders.find((sender) => sender.track?.kind === 'audio') ?? senders[0])?.dtmf;
  // No telephone-event payload type was negotiated (RFC 4733 §2.5.1.2): the far end cannot
  // receive DTMF in RTP.
  if (!dtmf?.canInsertDTMF) return Promise.reject(new DtmfSendError('unsupported'));
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      dtmf.removeEventListener('tonechange', onTone);
      resolve();
    };
    const onTone = (event: RTCDTMFToneChangeEvent): void => {
      if (event.tone === '') done();
    };
    const timer = setTimeout(done, DTMF_TONE_MS + DTMF_GAP_MS + TONE_END_GRACE_MS);
    dtmf.addEventListener('tonechange', onTone);
    try {
      dtmf.insertDTMF(digit, DTMF_TONE_MS, DTMF_GAP_MS);
    } catch {
      clearTimeout(timer);
      dtmf.removeEventListener('tonechange', onTone);
      reject(new DtmfSendError('unsupported'));
    }
  });
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
