import { ApplicationFailure, ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import {
  ALLOCATION_DEFAULT_HOST_SCHEDULE_TO_START_MS,
  FAILURE_TYPES,
  LIFECYCLE_FAILURE_TYPES,
  RECLAIM_DEFAULT_HOST_WAIT_MS,
  leaseWorkflowId,
  type AllocationWorkflowInput,
  type AllocationWorkflowResult,
} from '@remotegpu/core/contracts';
import { leaseWorkflow } from './lease-workflow';
import { control, describeFailure, hostActivities, isScheduleToStartTimeout, markStep, step } from './lifecycle-steps';
import { tagOperation } from './search-attributes';

interface Compensation {
  step: string;
  run: () => Promise<unknown>;
}

/**
 * Provisions a reserved machine for a tenant (the API already moved it idle → allocating and inserted the
 * pending allocation): tenant user, keys, generated password, GPU check on the host, then the allocation
 * goes active and its lease starts. Any failure compensates in reverse and leaves the machine idle (or in
 * maintenance when the GPU check failed or a compensation could not finish), never half-allocated.
 */
export async function allocationWorkflow(input: AllocationWorkflowInput): Promise<AllocationWorkflowResult> {
  const { allocationId, machineId, tenantId, unixUser, operationId } = input;
  if (!allocationId || !machineId || !unixUser || !operationId || !Number.isInteger(input.durationMonths)) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.invalidInput,
      nonRetryable: true,
      message: 'allocationId, machineId, unixUser, operationId and an integer durationMonths are required',
    });
  }
  tagOperation({ operationKind: 'allocate', machineId, tenantId: String(tenantId), allocationId });
  const info = workflowInfo();
  await control.ensureOperation({
    operationId,
    kind: 'allocate',
    workflowId: info.workflowId,
    runId: info.runId,
    machineId,
    allocationId,
    tenantId,
    requestedBy: input.requestedBy ?? null,
  });

  // Allocation fails fast when the host does not answer: the machine goes back to idle.
  const host = hostActivities(machineId, {
    scheduleToStartMs: input.hostScheduleToStartTimeoutMs ?? ALLOCATION_DEFAULT_HOST_SCHEDULE_TO_START_MS,
    maximumAttempts: 3,
  });
  const compensations: Compensation[] = [];
  let gpuCheckFailed = false;
  /** Registers the undo of a host step that ran (even partly); a host that never picked it up changed nothing. */
  async function compensated<T>(work: () => Promise<T>, undo: Compensation): Promise<T> {
    try {
      const result = await work();
      compensations.push(undo);
      return result;
    } catch (err) {
      if (!isScheduleToStartTimeout(err)) compensations.push(undo);
      throw err;
    }
  }

  try {
    const { publicKeys } = await step(operationId, 'load_ssh_keys', () => control.loadTenantSshKeys({ tenantId }));

    await compensated(() => step(operationId, 'ensure_user', () => host.ensureTenantUser({ username: unixUser })), {
      step: 'disable_user',
      run: () => host.disableTenantUser({ username: unixUser }),
    });
    await compensated(
      () => step(operationId, 'inject_ssh_keys', () => host.injectSshKeys({ username: unixUser, publicKeys })),
      { step: 'revoke_ssh_keys', run: () => host.revokeSshKeys({ username: unixUser }) },
    );

    // Generated on the host and never returned: no secret lands in workflow history.
    await step(operationId, 'set_password', () => host.setUserPassword({ username: unixUser }));

    await step(operationId, 'nvidia_check', async () => {
      const report = await host.nvidiaCheck();
      if (!report.healthy) {
        gpuCheckFailed = true;
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.gpuCheckFailed,
          nonRetryable: true,
          message: `GPU check failed: ${report.problems.join('; ') || 'unhealthy'}`,
          details: [{ problems: report.problems }],
        });
      }
      return report.gpus.length;
    });

    const { startsAt, expiresAt } = await step(operationId, 'activate', () =>
      control.activateAllocation({
        allocationId,
        machineId,
        startsAt: input.startsAt,
        durationMonths: input.durationMonths,
      }),
    );

    const leaseId = leaseWorkflowId(allocationId);
    await step(operationId, 'start_lease', async () => {
      // ABANDON: the lease outlives this workflow, which completes once the machine is handed over.
      await startChild(leaseWorkflow, {
        workflowId: leaseId,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            allocationId,
            machineId,
            tenantId,
            unixUser,
            expiresAt,
            hostWaitTimeoutMs: input.hostWaitTimeoutMs ?? RECLAIM_DEFAULT_HOST_WAIT_MS,
          },
        ],
      });
    });

    const result: AllocationWorkflowResult = { allocationId, machineId, startsAt, expiresAt, leaseWorkflowId: leaseId };
    await control.finishOperation({ operationId, status: 'succeeded', result: { ...result } });
    return result;
  } catch (err) {
    const reason = describeFailure(err);
    let compensationFailed = false;
    for (const compensation of compensations.reverse()) {
      try {
        await compensation.run();
        await markStep(operationId, compensation.step, 'compensated');
      } catch (compErr) {
        compensationFailed = true;
        await markStep(operationId, compensation.step, 'failed', describeFailure(compErr));
      }
    }
    const toMaintenance = gpuCheckFailed || compensationFailed;
    await control.failAllocation({
      allocationId,
      machineId,
      machineStatus: toMaintenance ? 'maintenance' : 'idle',
      error: reason,
    });
    await control.raiseAlert({
      machineId,
      kind: gpuCheckFailed ? 'gpu_check_failed' : 'allocation_failed',
      severity: toMaintenance ? 'critical' : 'warning',
      message: `allocation ${allocationId} failed: ${reason}`,
      details: {
        allocation_id: allocationId,
        tenant_id: tenantId,
        compensation_failed: compensationFailed,
        machine_status: toMaintenance ? 'maintenance' : 'idle',
      },
    });
    await control.finishOperation({ operationId, status: 'failed', error: reason });
    throw ApplicationFailure.create({
      type: LIFECYCLE_FAILURE_TYPES.allocationFailed,
      nonRetryable: true,
      message: `allocation ${allocationId} failed and was rolled back: ${reason}`,
      details: [{ allocationId, machineId, gpuCheckFailed, compensationFailed }],
    });
  }
}
