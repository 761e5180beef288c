import { Emitter } from '@/lib/util/emitter';
import { IllegalTransitionError } from '@/lib/util/exception';

/** A change published by a {@link StateMachine}. */
export interface StateChange<S extends string> {
  from: S;
  to: S;
}

/**
 * A finite state machine over string states with an explicit table of legal moves.
 *
 * `transition()` is the only way to change state; an illegal move throws {@link IllegalTransitionError}
 * and leaves the state as it was. Every accepted change is published on `changes`.
 */
export class StateMachine<S extends string> {
  readonly changes = new Emitter<StateChange<S>>();
  private current: S;

  constructor(
    private readonly name: string,
    initial: S,
    private readonly legal: Readonly<Record<S, readonly S[]>>,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  /** Whether `to` is a legal next state from the current one. */
  can(to: S): boolean {
    return this.legal[this.current].includes(to);
  }

  transition(to: S): void {
    if (!this.can(to)) throw new IllegalTransitionError(this.name, this.current, to);
    const from = this.current;
    this.current = to;
    this.changes.emit({ from, to });
  }
}
