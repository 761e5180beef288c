/**
 * What a NOTIFY about a REFER says (RFC 3515 §2.4.5): its `message/sipfrag` body (RFC 3420) is the
 * status line of the transferee's own request to the target, e.g. `SIP/2.0 180 Ringing`.
 */
export type ReferProgress =
  /** 1xx: the transferee is trying or the target rings; wait for more. */
  | { kind: 'progress'; code: number }
  /** 2xx: the transferee reached the target: the transfer succeeded. */
  | { kind: 'success'; code: number }
  /** 3xx-6xx: the transferee's call to the target failed; the original call is still there. */
  | { kind: 'failure'; code: number };

/** The status code of a sipfrag body's status line, or `undefined` when it has none. */
export function sipfragStatus(body: string | undefined): number | undefined {
  const match = /^\s*SIP\/2\.0\s+(\d{3})\b/i.exec(body ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Reads a NOTIFY body; `undefined` when it is not a sipfrag status line. */
export function referProgress(body: string | undefined): ReferProgress | undefined {
  const code = sipfragStatus(body);
  if (code === undefined || code < 100 || code > 699) return undefined;
  if (code < 200) return { kind: 'progress', code };
  if (code < 300) return { kind: 'success', code };
  return { kind: 'failure', code };
}
