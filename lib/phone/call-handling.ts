import { z } from 'zod';

/**
 * How the engine treats incoming calls: Do not disturb and auto-answer. The background builds it
 * from the settings and the Do not disturb toggle (`configure`); the engine decides with
 * {@link decideIncoming} when an INVITE arrives, so a stopped service worker changes nothing.
 */
export const CallHandlingSchema = z.object({
  doNotDisturb: z.boolean(),
  /** The final answer to callers while Do not disturb is on. */
  dndResponse: z.union([z.literal(486), z.literal(480), z.literal(302)]),
  /**
   * The Contact of the 302 per account id (a complete SIP URI in the account's domain). An
   * account without one answers 486 instead of a redirect to nowhere.
   */
  dndRedirect: z.record(z.string(), z.string().regex(/^sips?:/)),
  /** Answer after {@link autoAnswerDelaySeconds} when no other call is up. */
  autoAnswer: z.boolean(),
  autoAnswerDelaySeconds: z.number().int().min(0).max(10),
  /** Honour the PBX's intercom hint (see `intercom-hint.ts`). */
  intercom: z.boolean(),
});
export type CallHandling = z.infer<typeof CallHandlingSchema>;

/** Nothing special: every call rings until someone acts. */
export const DEFAULT_CALL_HANDLING: CallHandling = {
  doNotDisturb: false,
  dndResponse: 486,
  dndRedirect: {},
  autoAnswer: false,
  autoAnswerDelaySeconds: 3,
  intercom: false,
};

/** What the engine knows about an INVITE when it arrives. */
export interface IncomingCallFacts {
  accountId: string;
  /** Another call is not over yet (ringing, dialling, talking). */
  otherCallUp: boolean;
  /** Seconds the INVITE's intercom hint asks to answer after, if it has one. */
  intercomDelaySeconds?: number | undefined;
}

/** What to do with an incoming call. */
export type IncomingDecision =
  /** Refuse at once, without ringing, with `code` (and `contact` for a 302). */
  | { action: 'refuse'; code: 486 | 480 | 302; contact?: string }
  /** Ring; answer by itself after `autoAnswerMs` when given (and still ringing alone then). */
  | { action: 'ring'; autoAnswerMs?: number };

/**
 * Decides an incoming call:
 * 1. Do not disturb wins over everything: refuse with the configured answer, a 302 only when the
 *    account has a redirect target (RFC 3261 §21.3.3: a 3xx without a Contact is useless).
 * 2. Auto-answer only when no other call is up: answering would otherwise take the agent out of
 *    a call (call waiting is the agent's decision).
 * 3. An intercom hint counts only when the agent allowed it; then its delay wins when shorter
 *    than the agent's own auto-answer delay.
 */
export function decideIncoming(handling: CallHandling, facts: IncomingCallFacts): IncomingDecision {
  if (handling.doNotDisturb) {
    const contact = handling.dndRedirect[facts.accountId];
    if (handling.dndResponse === 302 && contact) return { action: 'refuse', code: 302, contact };
    return { action: 'refuse', code: handling.dndResponse === 480 ? 480 : 486 };
  }
  if (facts.otherCallUp) return { action: 'ring' };
  const delays: number[] = [];
  if (handling.autoAnswer) delays.push(handling.autoAnswerDelaySeconds);
  if (handling.intercom && facts.intercomDelaySeconds !== undefined) delays.push(facts.intercomDelaySeconds);
  if (delays.length === 0) return { action: 'ring' };
  return { action: 'ring', autoAnswerMs: Math.min(...delays) * 1000 };
}
