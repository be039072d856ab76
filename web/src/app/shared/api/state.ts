/**
 * The part of an Angular `WritableSignal` the shared list/form helpers use. The helpers take the `signal`
 * factory as an argument so they stay free of Angular imports and can be unit-tested under jest without TestBed.
 */
export interface State<T> {
  (): T;
  set(value: T): void;
}

export type StateFactory = <T>(initial: T) => State<T>;
