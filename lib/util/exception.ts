/**
 * Base class of the errors this extension throws or rejects with.
 *
 * Specific subclasses name the condition, so callers can branch on `instanceof` instead of parsing
 * messages (the same approach SIP.js takes with its `Exception` hierarchy).
 */
export class Exception extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A state machine was asked to make a move its diagram does not allow. */
export class IllegalTransitionError extends Exception {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: illegal transition ${from} -> ${to}`);
  }
}

/** A message crossing a context boundary did not match its declared schema. */
export class InvalidMessageError extends Exception {}

/** A message came from a sender that is not allowed to send it. */
export class ForbiddenSenderError extends Exception {}

/** An operation named a call or account the engine does not know. */
export class NotFoundError extends Exception {}
