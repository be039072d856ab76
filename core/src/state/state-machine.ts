/** A finite state machine given as its legal transitions (from → allowed targets). */
export interface StateMachine<S extends string> {
  readonly name: string;
  readonly states: readonly S[];
  readonly transitions: Readonly<Record<S, readonly S[]>>;
}

/** Thrown for a transition the state machine does not allow; `code` is stable for API error mapping. */
export class IllegalTransitionError extends Error {
  readonly code = 'ILLEGAL_STATE_TRANSITION';

  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: cannot go from '${from}' to '${to}'`);
    this.name = 'IllegalTransitionError';
  }
}

export function defineStateMachine<S extends string>(
  name: string,
  transitions: Record<S, readonly S[]>,
): StateMachine<S> {
  return { name, states: Object.keys(transitions) as S[], transitions };
}

/** Staying in the same state is not a transition: callers wanting idempotence compare first. */
export function canTransition<S extends string>(machine: StateMachine<S>, from: S, to: S): boolean {
  return machine.transitions[from]?.includes(to) ?? false;
}

export function assertTransition<S extends string>(machine: StateMachine<S>, from: S, to: S): void {
  if (!canTransition(machine, from, to)) throw new IllegalTransitionError(machine.name, from, to);
}

/** Every legal (from, to) pair, e.g. for docs and tests. */
export function legalTransitions<S extends string>(machine: StateMachine<S>): Array<[S, S]> {
  return machine.states.flatMap((from) => machine.transitions[from].map((to): [S, S] => [from, to]));
}
