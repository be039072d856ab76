import { BackoffOptions, backoffDelay } from './backoff';

const NO_JITTER: BackoffOptions = { baseMs: 1000, maxMs: 30_000, factor: 2, jitter: 0 };

describe('backoffDelay', () => {
  it('grows exponentially and is capped', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((a) => backoffDelay(a, NO_JITTER))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('applies symmetric jitter within bounds and never exceeds the cap', () => {
    const options: BackoffOptions = { ...NO_JITTER, jitter: 0.2 };
    expect(backoffDelay(2, options, () => 0)).toBe(3200);
    expect(backoffDelay(2, options, () => 0.5)).toBe(4000);
    expect(backoffDelay(2, options, () => 0.999999)).toBe(4800);
    expect(backoffDelay(10, options, () => 0.999999)).toBe(30000);
  });

  it('treats negative or fractional attempts sanely', () => {
    expect(backoffDelay(-3, NO_JITTER)).toBe(1000);
    expect(backoffDelay(1.7, NO_JITTER)).toBe(2000);
  });
});
