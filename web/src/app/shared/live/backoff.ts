// Reconnect delays for the live socket: exponential, capped, with +/- jitter so many tabs do not reconnect in step.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  factor: number;
  /** fraction of the delay, e.g. 0.2 = +/-20 % */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** Delay before reconnect attempt `attempt` (0 = first retry). `random` returns [0, 1). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const safeAttempt = Math.max(0, Math.floor(attempt));
  const raw = Math.min(options.maxMs, options.baseMs * Math.pow(options.factor, safeAttempt));
  const spread = raw * options.jitter * (random() * 2 - 1);
  return Math.round(Math.min(options.maxMs, Math.max(0, raw + spread)));
}
