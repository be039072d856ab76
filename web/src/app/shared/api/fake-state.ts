import { State, StateFactory } from './state';

/** A plain stand-in for Angular's `signal`, for unit tests of the shared helpers. */
export const fakeSignal: StateFactory = <T>(initial: T): State<T> => {
  let value = initial;
  const read = (() => value) as State<T>;
  read.set = (next: T) => {
    value = next;
  };
  return read;
};
