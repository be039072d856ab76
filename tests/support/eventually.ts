// Polls instead of sleeping: retries `fn` until it returns without throwing, or fails with its last
// error once the time is up.
export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

export async function eventually<T>(
  fn: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 100 }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + intervalMs > deadline) {
        const reason = err instanceof Error ? err.message : String(err);
        const wrapped = new Error(`eventually: gave up after ${timeoutMs} ms (${attempts} attempts): ${reason}`);
        (wrapped as Error & { cause?: unknown }).cause = err;
        throw wrapped;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
