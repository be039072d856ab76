// tenantKeysSyncWorkflow: after a customer adds or deletes an SSH key, the tenant's current keys are
// installed on every host it holds, and a deleted key is revoked there (the DB change alone does not reach
// hosts already allocated).

/** One workflow per key change (the API's request id), so concurrent changes never join each other. */
export const tenantKeysSyncWorkflowId = (tenantId: number, requestId: string): string => {
  if (!Number.isInteger(tenantId) || tenantId <= 0) throw new Error(`workflow id: tenantId ${tenantId} is invalid`);
  if (!requestId) throw new Error('workflow id: requestId is empty');
  return `tenant-keys-sync-${tenantId}-${requestId}`;
};

/** The operation kind recorded for a key sync (operations.kind is free text). */
export const KEY_SYNC_OPERATION_KIND = 'ssh_reset';

/** How long a host step waits for an offline host's agent before that host is reported failed. */
export const KEY_SYNC_DEFAULT_HOST_WAIT_MS = 15 * 60 * 1000;

export interface TenantKeysSyncWorkflowInput {
  tenantId: number;
  requestId: string;
  /** The operations row the API inserted (created by the workflow when absent). */
  operationId: string;
  /** Public key lines deleted from the platform, revoked on every host unless still registered. */
  revokedPublicKeys?: string[];
  requestedBy?: number | null;
  hostWaitTimeoutMs?: number;
}

export interface KeySyncHostOutcome {
  machineId: string;
  unixUser: string;
  status: 'succeeded' | 'failed';
  added?: number;
  removed?: number;
  error?: string;
}

export interface TenantKeysSyncWorkflowResult {
  tenantId: number;
  keys: number;
  hosts: KeySyncHostOutcome[];
}

/** A machine the tenant holds through an active allocation, with its unix user there. */
export interface KeySyncTarget {
  machineId: string;
  allocationId: string;
  unixUser: string;
}

export interface KeySyncControlActivities {
  listTenantKeySyncTargets(input: { tenantId: number }): Promise<{ targets: KeySyncTarget[] }>;
}

/** "type base64" of an authorized_keys line, ignoring options and comment: how keys are compared. */
export function publicKeyIdentity(line: string): string {
  const fields = line.trim().split(/\s+/);
  const typeAt = fields.findIndex((f) => /^(ssh-|ecdsa-|sk-)/.test(f));
  return typeAt >= 0 && fields[typeAt + 1] ? `${fields[typeAt]} ${fields[typeAt + 1]}` : line.trim();
}
