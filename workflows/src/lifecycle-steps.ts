// Shared plumbing of the lifecycle workflows (allocation, lease, reclaim, ssh reset): activity proxies
// and step recording on the operation row.
import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import {
  hostTaskQueue,
  type ControlActivities,
  type LifecycleHostActivities,
  type StepStatus,
} from '@remotegpu/core/contracts';

/** Control activities are short DB updates: local activities on the control worker (no extra round trip). */
export const control = proxyLocalActivities<ControlActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/** Host activities heartbeat every 2 s while they run: a call silent this long lost its agent. */
export const HOST_HEARTBEAT_TIMEOUT_MS = 10_000;

export interface HostProxyOptions {
  /** How long each call may wait for the host's agent to pick it up (offline host = wait). */
  scheduleToStartMs: number;
  maximumAttempts: number;
  /** Default HOST_HEARTBEAT_TIMEOUT_MS. */
  heartbeatTimeoutMs?: number;
}

/**
 * Host activities on host-<machineId>. They heartbeat while running, so the heartbeat timeout detects an
 * agent that died mid-call (the attempt is then retried); start-to-close bounds a call that hangs while its
 * agent lives; the schedule-to-start timeout (never retried by Temporal) bounds the wait for an agent that
 * is offline.
 */
export function hostActivities(machineId: string, options: HostProxyOptions): LifecycleHostActivities {
  return proxyActivities<LifecycleHostActivities>({
    taskQueue: hostTaskQueue(machineId),
    scheduleToStartTimeout: options.scheduleToStartMs,
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: options.heartbeatTimeoutMs ?? HOST_HEARTBEAT_TIMEOUT_MS,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts: options.maximumAttempts,
      nonRetryableErrorTypes: ['INVALID_INPUT'],
    },
  });
}

/** A readable one-line reason from a failure chain (ActivityFailure → ApplicationFailure / TimeoutFailure). */
export function describeFailure(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (current instanceof TimeoutFailure) {
      parts.push(`timeout ${current.timeoutType}`);
    } else if (current instanceof ActivityFailure) {
      parts.push(`activity ${current.activityType} failed`);
    } else if (current instanceof ApplicationFailure) {
      parts.push(current.type ? `${current.type}: ${current.message}` : current.message);
    } else if (current instanceof Error) {
      parts.push(current.message);
    } else {
      parts.push(String(current));
    }
    current = current instanceof Error ? (current as Error & { cause?: unknown }).cause : undefined;
  }
  return parts.filter(Boolean).join(' — ').slice(0, 2000);
}

export function isScheduleToStartTimeout(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof TimeoutFailure &&
    err.cause.timeoutType === 'SCHEDULE_TO_START'
  );
}

/** Runs `work` as a named step of the operation: running → succeeded | failed (with the reason). */
export async function step<T>(operationId: string, name: string, work: () => Promise<T>): Promise<T> {
  await control.recordOperationStep({ operationId, step: name, status: 'running' });
  try {
    const result = await work();
    await control.recordOperationStep({ operationId, step: name, status: 'succeeded' });
    return result;
  } catch (err) {
    await control.recordOperationStep({ operationId, step: name, status: 'failed', error: describeFailure(err) });
    throw err;
  }
}

export async function markStep(operationId: string, name: string, status: StepStatus, error?: string): Promise<void> {
  await control.recordOperationStep({ operationId, step: name, status, error: error ?? null });
}
