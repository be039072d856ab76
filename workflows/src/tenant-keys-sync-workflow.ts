import { ApplicationFailure, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import {
  FAILURE_TYPES,
  KEY_SYNC_DEFAULT_HOST_WAIT_MS,
  KEY_SYNC_OPERATION_KIND,
  publicKeyIdentity,
  type KeySyncControlActivities,
  type KeySyncHostOutcome,
  type KeySyncTarget,
  type TenantKeysSyncWorkflowInput,
  type TenantKeysSyncWorkflowResult,
} from '@remotegpu/core/contracts';
import { control, describeFailure, hostActivities, step } from './lifecycle-steps';
import { tagOperation } from './search-attributes';

const keySync = proxyLocalActivities<KeySyncControlActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/**
 * Brings a tenant's SSH keys on every host it holds (active allocations) in line with the platform after
 * a key was added or deleted: the current keys are injected and deleted ones revoked. Hosts are synced
 * independently, each as a step `sync_keys:<machineId>` of the operation; an offline host is waited for
 * a bounded time, then reported failed without holding back the others.
 */
export async function tenantKeysSyncWorkflow(
  input: TenantKeysSyncWorkflowInput,
): Promise<TenantKeysSyncWorkflowResult> {
  const { tenantId, operationId } = input;
  if (!Number.isInteger(tenantId) || !operationId || !input.requestId) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.invalidInput,
      nonRetryable: true,
      message: 'tenantId, requestId and operationId are required',
    });
  }
  tagOperation({ operationKind: KEY_SYNC_OPERATION_KIND, tenantId: String(tenantId) });
  const info = workflowInfo();
  await control.ensureOperation({
    operationId,
    kind: KEY_SYNC_OPERATION_KIND,
    workflowId: info.workflowId,
    runId: info.runId,
    tenantId,
    requestedBy: input.requestedBy ?? null,
    input: { request_id: input.requestId, revoked_keys: (input.revokedPublicKeys ?? []).length },
  });

  let publicKeys: string[];
  let targets: KeySyncTarget[];
  try {
    ({ publicKeys } = await step(operationId, 'load_ssh_keys', () => control.loadTenantSshKeys({ tenantId })));
    ({ targets } = await step(operationId, 'list_hosts', () => keySync.listTenantKeySyncTargets({ tenantId })));
  } catch (err) {
    await control.finishOperation({ operationId, status: 'failed', error: describeFailure(err) });
    throw err;
  }

  const revoked = input.revokedPublicKeys ?? [];
  const scheduleToStartMs = input.hostWaitTimeoutMs ?? KEY_SYNC_DEFAULT_HOST_WAIT_MS;

  async function syncHost(target: KeySyncTarget): Promise<KeySyncHostOutcome> {
    const host = hostActivities(target.machineId, { scheduleToStartMs, maximumAttempts: 3 });
    const user = { username: target.unixUser };
    try {
      return await step(operationId, `sync_keys:${target.machineId}`, async () => {
        const added = publicKeys.length ? (await host.injectSshKeys({ ...user, publicKeys })).added : 0;
        // Re-read after injecting: a key deleted meanwhile may have had its own revoke run before our
        // inject, so it is revoked here too. A deleted key another user still registers stays.
        const { publicKeys: current } = await control.loadTenantSshKeys({ tenantId });
        const kept = new Set(current.map(publicKeyIdentity));
        const toRevoke = new Map<string, string>();
        for (const key of [...revoked, ...publicKeys]) {
          const identity = publicKeyIdentity(key);
          if (!kept.has(identity)) toRevoke.set(identity, key.trim());
        }
        const removed = toRevoke.size
          ? (await host.revokeSshKeys({ ...user, publicKeys: [...toRevoke.values()] })).removed
          : 0;
        return { machineId: target.machineId, unixUser: target.unixUser, status: 'succeeded' as const, added, removed };
      });
    } catch (err) {
      return { machineId: target.machineId, unixUser: target.unixUser, status: 'failed', error: describeFailure(err) };
    }
  }

  const hosts = await Promise.all(targets.map(syncHost));
  const failed = hosts.filter((h) => h.status === 'failed');
  const result = {
    keys: publicKeys.length,
    hosts: hosts.map((h) => ({
      machine_id: h.machineId,
      status: h.status,
      added: h.added ?? null,
      removed: h.removed ?? null,
      error: h.error ?? null,
    })),
  };
  if (failed.length) {
    const error = `key sync failed on ${failed.map((h) => `${h.machineId} (${h.error})`).join('; ')}`.slice(0, 2000);
    await control.finishOperation({ operationId, status: 'failed', result, error });
    throw ApplicationFailure.create({ type: 'KEY_SYNC_FAILED', nonRetryable: true, message: error });
  }
  await control.finishOperation({ operationId, status: 'succeeded', result });
  return { tenantId, keys: publicKeys.length, hosts };
}
