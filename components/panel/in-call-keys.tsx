import { useEffect, useRef } from 'preact/hooks';
import { isEditable } from '@/components/panel/dialpad';

/** Keys typed on the keyboard that a call's keypad sends (A-D are left to the on-screen keypad). */
const TYPED_DTMF = /^[0-9*#]$/;

export interface InCallKeysProps {
  /** The call typed digits go to; none while no call is up. */
  callId: string | undefined;
  onDtmf: (callId: string, digit: string) => void;
}

/**
 * While a call is up, digits typed anywhere in the panel (but not into a text field) are sent on
 * it as DTMF instead of going to the dialpad. Renders nothing.
 */
export function InCallKeys({ callId, onDtmf }: InCallKeysProps) {
  const latest = useRef({ callId, onDtmf });
  latest.current = { callId, onDtmf };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const target = latest.current.callId;
      if (target === undefined || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (isEditable(event.target) || !TYPED_DTMF.test(event.key)) return;
      event.preventDefault();
      latest.current.onDtmf(target, event.key);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
  return null;
}
