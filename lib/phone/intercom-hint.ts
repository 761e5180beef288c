/**
 * The headers of an INVITE that can ask a phone to answer by itself (intercom, paging).
 *
 * - `Answer-Mode: Auto` / `Priv-Answer-Mode: Auto` — RFC 5373 §3, §4 (both go in `answerMode`);
 * - `Call-Info: <uri>;answer-after=N` — the de facto form of Asterisk, FreeSWITCH, Polycom and
 *   Yealink (`answer-after=0` is "answer now");
 * - `Alert-Info: <uri>;info=alert-autoanswer`, `…;info=intercom`, `…auto-answer…` — Cisco,
 *   Grandstream and common PBX practice.
 */
export interface IntercomHeaders {
  answerMode: readonly string[];
  callInfo: readonly string[];
  alertInfo: readonly string[];
}

/** What "answer after" a hint asks for when it names no delay. */
const IMMEDIATE = 0;
/** A PBX asking for a longer wait is not asking for intercom; we cap it like the setting. */
const MAX_HINT_SECONDS = 10;

/**
 * The delay in seconds the INVITE's intercom hint asks for, or `undefined` when it has none.
 * A bare `Answer-Mode: Manual` (RFC 5373) is no hint; `Require: answermode` is not needed to
 * honour it here, since the agent's own setting decides whether hints count at all.
 */
export function intercomDelaySeconds(headers: IntercomHeaders): number | undefined {
  const delays: number[] = [];
  for (const value of headers.callInfo) {
    const match = /;\s*answer-after\s*=\s*"?(\d+)"?/i.exec(value);
    if (match) delays.push(Number(match[1]));
  }
  for (const value of headers.answerMode) {
    if (/^\s*auto\b/i.test(value)) delays.push(IMMEDIATE);
  }
  for (const value of headers.alertInfo) {
    if (/auto-?answer|\bintercom\b/i.test(value)) {
      const after = /;\s*(?:delay|answer-after)\s*=\s*"?(\d+)"?/i.exec(value);
      delays.push(after ? Number(after[1]) : IMMEDIATE);
    }
  }
  if (delays.length === 0) return undefined;
  return Math.min(MAX_HINT_SECONDS, ...delays);
}
