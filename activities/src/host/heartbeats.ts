// Liveness heartbeats of the host activities: while an activity runs, the agent tells Temporal it is
// alive every few seconds, so a workflow notices a killed agent after the proxy's heartbeatTimeout
// instead of after the whole start-to-close timeout.

/** Interval between heartbeats; well under the workflows' 10 s heartbeatTimeout. */
export const HEARTBEAT_INTERVAL_MS = 2_000;

/** Runs `work`, calling `heartbeat` at once and then every `intervalMs` until it settles. */
export async function withHeartbeats<T>(
  heartbeat: () => void,
  work: () => Promise<T>,
  intervalMs: number = HEARTBEAT_INTERVAL_MS,
): Promise<T> {
  heartbeat();
  const timer = setInterval(heartbeat, intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

type AsyncFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/** The same activities, each heartbeating while it runs (signatures unchanged). */
export function heartbeating<A extends AsyncFunctions>(
  activities: A,
  heartbeat: () => void,
  intervalMs: number = HEARTBEAT_INTERVAL_MS,
): A {
  const wrapped: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = (...args: never[]) => withHeartbeats(heartbeat, () => activity(...args), intervalMs);
  }
  return wrapped as A;
}
