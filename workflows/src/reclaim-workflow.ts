import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import {
  FAILURE_TYPES,
  LIFECYCLE_FAILURE_TYPES,
  RECLAIM_DECISIONS,
  RECLAIM_DEFAULT_HOST_WAIT_MS,
  RECLAIM_HANDLERS,
  type ReclaimDecision,
  type ReclaimDecisionInput,
  type ReclaimStatus,
  type ReclaimStep,
  type ReclaimWorkflowInput,
  type ReclaimWorkflowResult,
} from '@remotegpu/core/contracts';
import { control, describeFailure, hostActivities, markStep, step } from './lifecycle-steps';
import { tagOperation } from './search-attributes';

/** An admin's answer to a quarantined reclaim (POST /admin/operations/:id/decision). */
export const reclaimDecisionSignal = defineSignal<[ReclaimDecisionInput]>(RECLAIM_HANDLERS.decisionSignal);
export const reclaimStatusQuery = defineQuery<ReclaimStatus>(RECLAIM_HANDLERS.statusQuery);

const VERIFY_ATTEMPTS = 3;

/**
 * Takes a machine back from its tenant: refuses while the tenant's tasks run (unless force), then kills
 * processes, stops VNC, revokes keys, locks the user with a random password, wipes its data and verifies
 * the host is clean before the machine is idle again. Each step is idempotent and retried; an offline
 * host is waited for (hostWaitTimeoutMs). A step that keeps failing quarantines the machine (maintenance +
 * alert `reclaim_failed`) and the workflow waits for an admin decision: retry, skip-step or mark-broken.
 */
export async function reclaimWorkflow(input: ReclaimWorkflowInput): Promise<ReclaimWorkflowResult> {
  const { allocationId, machineId, tenantId, unixUser, operationId } = input;
  if (!allocationId || !machineId || !unixUser || !operationId) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.invalidInput,
      nonRetryable: true,
      message: 'allocationId, machineId, unixUser and operationId are required',
    });
  }
  tagOperation({ operationKind: 'reclaim', machineId, tenantId: String(tenantId), allocationId });
  const info = workflowInfo();
  await control.ensureOperation({
    operationId,
    kind: 'reclaim',
    workflowId: info.workflowId,
    runId: info.runId,
    machineId,
    allocationId,
    tenantId,
    requestedBy: input.requestedBy ?? null,
    input: { reason: input.reason, force: input.force },
  });

  const status: ReclaimStatus = { allocationId, currentStep: null, quarantinedAt: null, lastError: null };
  let pendingDecision: ReclaimDecision | undefined;
  setHandler(reclaimStatusQuery, () => ({ ...status }));
  setHandler(reclaimDecisionSignal, ({ decision }) => {
    // Only meaningful while quarantined; anything else is ignored (signals cannot be rejected).
    if (status.quarantinedAt && RECLAIM_DECISIONS.includes(decision)) pendingDecision = decision;
  });

  if (input.force) {
    await markStep(operationId, 'check_tasks', 'skipped');
  } else {
    const running = await step(operationId, 'check_tasks', () => control.countRunningTasks({ machineId, tenantId }));
    if (running > 0) {
      const message = `${running} task(s) of the tenant are still running on ${machineId}; reclaim with force to stop them`;
      await control.finishOperation({ operationId, status: 'failed', error: `TASKS_RUNNING: ${message}` });
      throw ApplicationFailure.create({
        type: LIFECYCLE_FAILURE_TYPES.tasksRunning,
        nonRetryable: true,
        message,
        details: [{ allocationId, machineId, running }],
      });
    }
  }

  const host = hostActivities(machineId, {
    scheduleToStartMs: input.hostWaitTimeoutMs ?? RECLAIM_DEFAULT_HOST_WAIT_MS,
    maximumAttempts: 5,
  });
  const user = { username: unixUser };

  async function verifyClean(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const [{ processes }, nvidia] = await Promise.all([host.listUserProcesses(user), host.nvidiaCheck()]);
      // The tenant rented the whole machine: after its processes are gone no compute app may remain.
      if (processes.length === 0 && nvidia.processes.length === 0) return;
      if (attempt >= VERIFY_ATTEMPTS) {
        throw ApplicationFailure.create({
          type: 'HOST_NOT_CLEAN',
          message:
            `host still has ${processes.length} process(es) of ${unixUser} and ` +
            `${nvidia.processes.length} GPU compute process(es) (pids ${nvidia.processes.map((p) => p.pid).join(', ')})`,
        });
      }
      await host.killUserProcesses(user);
      await sleep('2 seconds');
    }
  }

  const steps: [ReclaimStep, () => Promise<unknown>][] = [
    ['mark_reclaiming', () => control.markReclaiming({ allocationId, machineId, reason: input.reason })],
    ['kill_processes', () => host.killUserProcesses(user)],
    ['stop_vnc', () => host.stopVnc(user)],
    ['revoke_ssh_keys', () => host.revokeSshKeys(user)],
    ['disable_user', () => host.disableTenantUser(user)],
    // A random password nobody knows (generated on the host, never returned); the account stays locked.
    ['reset_password', () => host.setUserPassword(user)],
    ['wipe_data', () => host.wipeUserData(user)],
    ['verify_clean', verifyClean],
  ];

  const skippedSteps: string[] = [];
  for (const [name, run] of steps) {
    status.currentStep = name;
    for (;;) {
      try {
        await step(operationId, name, run);
        break;
      } catch (err) {
        const reason = describeFailure(err);
        status.quarantinedAt = name;
        status.lastError = reason;
        pendingDecision = undefined;
        await control.quarantineMachine({ allocationId, machineId, step: name, error: reason });
        await condition(() => pendingDecision !== undefined);
        const decision: ReclaimDecision = pendingDecision ?? 'retry';
        status.quarantinedAt = null;
        if (decision === 'retry') continue;
        if (decision === 'skip-step') {
          skippedSteps.push(name);
          await markStep(operationId, name, 'skipped', `skipped by an admin after: ${reason}`);
          break;
        }
        // mark-broken: the tenant's lease is over, the machine stays out of the pool.
        await control.completeReclaim({ allocationId, machineId, machineStatus: 'maintenance' });
        await control.finishOperation({
          operationId,
          status: 'failed',
          error: `MARKED_BROKEN at step ${name}: ${reason}`,
        });
        return { allocationId, machineId, outcome: 'marked_broken', skippedSteps };
      }
    }
  }

  status.currentStep = 'release';
  await step(operationId, 'release', () => control.completeReclaim({ allocationId, machineId, machineStatus: 'idle' }));
  status.currentStep = null;
  const result: ReclaimWorkflowResult = { allocationId, machineId, outcome: 'reclaimed', skippedSteps };
  await control.finishOperation({ operationId, status: 'succeeded', result: { ...result } });
  return result;
}
