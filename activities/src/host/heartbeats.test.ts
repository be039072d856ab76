import { heartbeating, withHeartbeats } from './heartbeats';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** A promise the test settles by hand, standing in for a long external command. */
function pending<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('withHeartbeats', () => {
  it('heartbeats at once and then every interval while the work runs, and stops when it settles', async () => {
    const heartbeat = jest.fn();
    const work = pending<string>();
    const result = withHeartbeats(heartbeat, () => work.promise, 2_000);
    expect(heartbeat).toHaveBeenCalledTimes(1);

    jest.advanceTimersByTime(1_999);
    expect(heartbeat).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1);
    expect(heartbeat).toHaveBeenCalledTimes(2);
    jest.advanceTimersByTime(6_000);
    expect(heartbeat).toHaveBeenCalledTimes(5);

    work.resolve('done');
    await expect(result).resolves.toBe('done');
    jest.advanceTimersByTime(10_000);
    expect(heartbeat).toHaveBeenCalledTimes(5);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops heartbeating when the work fails, and passes the error on', async () => {
    const heartbeat = jest.fn();
    const work = pending<void>();
    const result = withHeartbeats(heartbeat, () => work.promise, 2_000);
    jest.advanceTimersByTime(4_000);
    work.reject(new Error('exit 1'));
    await expect(result).rejects.toThrow('exit 1');
    expect(heartbeat).toHaveBeenCalledTimes(3);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('clears its timer when the work throws synchronously', async () => {
    const heartbeat = jest.fn();
    const result = withHeartbeats(heartbeat, () => {
      throw new Error('bad input');
    });
    await expect(result).rejects.toThrow('bad input');
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('heartbeating', () => {
  it('wraps every function with the same arguments and results, heartbeating while each runs', async () => {
    const heartbeat = jest.fn();
    const work = pending<number>();
    const activities = heartbeating(
      {
        add: async (input: { a: number; b: number }) => input.a + input.b,
        slow: (input: { x: number }) => work.promise.then((v) => v * input.x),
      },
      heartbeat,
      2_000,
    );
    await expect(activities.add({ a: 1, b: 2 })).resolves.toBe(3);
    expect(heartbeat).toHaveBeenCalledTimes(1);

    const slow = activities.slow({ x: 3 });
    jest.advanceTimersByTime(4_000);
    expect(heartbeat).toHaveBeenCalledTimes(4);
    work.resolve(5);
    await expect(slow).resolves.toBe(15);
    expect(jest.getTimerCount()).toBe(0);
    expect(Object.keys(activities)).toEqual(['add', 'slow']);
  });
});
