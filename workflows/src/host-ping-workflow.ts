import { ActivityFailure, ApplicationFailure, TimeoutFailure, proxyActivities } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import {
  FAILURE_TYPES,
  HOST_PING_DEFAULT_SCHEDULE_TO_START_MS,
  hostTaskQueue,
  type HostActivities,
  type HostPingResult,
  type HostPingWorkflowInput,
} from '@remotegpu/core/contracts';
import { tagOperation } from './search-attributes';

const PING_START_TO_CLOSE: Duration = '10 seconds';

/** Asks the agent on a host to answer; fails with HOST_UNREACHABLE when no agent picks the ping up. */
export async function hostPingWorkflow(input: HostPingWorkflowInput): Promise<HostPingResult> {
  const { machineId } = input;
  if (!machineId) {
    throw ApplicationFailure.create({ type: FAILURE_TYPES.invalidInput, message: 'machineId is required' });
  }
  const timeoutMs = input.scheduleToStartTimeoutMs ?? HOST_PING_DEFAULT_SCHEDULE_TO_START_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.invalidInput,
      message: `scheduleToStartTimeoutMs must be a positive number, got ${timeoutMs}`,
    });
  }
  tagOperation({ operationKind: 'host_ping', machineId });

  const taskQueue = hostTaskQueue(machineId);
  // A ping measures reachability now: one attempt. (Schedule-to-start timeouts are never retried.)
  const { ping } = proxyActivities<HostActivities>({
    taskQueue,
    scheduleToStartTimeout: timeoutMs,
    startToCloseTimeout: PING_START_TO_CLOSE,
    retry: { maximumAttempts: 1 },
  });

  let result: HostPingResult;
  try {
    result = await ping({ machineId });
  } catch (err) {
    const timeout = err instanceof ActivityFailure && err.cause instanceof TimeoutFailure ? err.cause : undefined;
    if (timeout?.timeoutType === 'SCHEDULE_TO_START') {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.hostUnreachable,
        message: `no agent worker picked up the ping on ${taskQueue} within ${timeoutMs} ms`,
        details: [{ machineId, taskQueue, timeoutMs }],
        cause: err as Error,
      });
    }
    if (timeout) {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.hostUnreachable,
        message: `the agent on ${taskQueue} took the ping but did not answer within ${PING_START_TO_CLOSE}`,
        details: [{ machineId, taskQueue, timeoutType: timeout.timeoutType }],
        cause: err as Error,
      });
    }
    throw err;
  }
  if (result.machineId !== machineId) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.hostIdentityMismatch,
      message: `the agent polling ${taskQueue} says it is machine ${result.machineId}, expected ${machineId}`,
      details: [{ expected: machineId, actual: result.machineId, hostname: result.hostname }],
    });
  }
  return result;
}
