import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import {
  ALLOCATION_DEFAULT_HOST_SCHEDULE_TO_START_MS,
  FAILURE_TYPES,
  type SshResetWorkflowInput,
  type SshResetWorkflowResult,
} from '@remotegpu/core/contracts';
import { control, describeFailure, hostActivities, step } from './lifecycle-steps';
import { tagOperation } from './search-attributes';

/**
 * A customer's password reset / key re-sync on an allocated host. The password is generated on the host
 * and returned as this workflow's result for the API to show once: it is kept in this run's history
 * (payloads are not encrypted unless a PayloadCodec is configured).
 */
export async function sshResetWorkflow(input: SshResetWorkflowInput): Promise<SshResetWorkflowResult> {
  const { machineId, tenantId, unixUser, operationId } = input;
  if (!machineId || !unixUser || !operationId || !input.requestId) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.invalidInput,
      nonRetryable: true,
      message: 'machineId, unixUser, requestId and operationId are required',
    });
  }
  tagOperation({ operationKind: 'ssh_reset', machineId, tenantId: String(tenantId) });
  const info = workflowInfo();
  await control.ensureOperation({
    operationId,
    kind: 'ssh_reset',
    workflowId: info.workflowId,
    runId: info.runId,
    machineId,
    tenantId,
    requestedBy: input.requestedBy ?? null,
  });
  const host = hostActivities(machineId, {
    scheduleToStartMs: input.hostScheduleToStartTimeoutMs ?? ALLOCATION_DEFAULT_HOST_SCHEDULE_TO_START_MS,
    maximumAttempts: 3,
  });
  const user = { username: unixUser };

  try {
    const password =
      input.resetPassword === false
        ? null
        : (await step(operationId, 'reset_password', () => host.resetUserPassword(user))).password;
    const { publicKeys } = await step(operationId, 'load_ssh_keys', () => control.loadTenantSshKeys({ tenantId }));
    // A full re-sync: keys removed from the platform disappear from the host too.
    await step(operationId, 'sync_ssh_keys', async () => {
      await host.revokeSshKeys(user);
      if (publicKeys.length) await host.injectSshKeys({ username: unixUser, publicKeys });
    });
    // The operation row never holds the password.
    await control.finishOperation({
      operationId,
      status: 'succeeded',
      result: { password_reset: password !== null, keys_synced: publicKeys.length },
    });
    return { machineId, unixUser, password, keysSynced: publicKeys.length };
  } catch (err) {
    await control.finishOperation({ operationId, status: 'failed', error: describeFailure(err) });
    throw err;
  }
}
