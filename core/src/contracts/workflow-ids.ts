// Readable, deterministic workflow ids (DESIGN §2): the Temporal Web UI is the ops console and a
// repeated request maps to the same id, which makes it idempotent.

function part(name: string, value: string): string {
  if (!value) throw new Error(`workflow id: ${name} is empty`);
  return value;
}

export const allocationWorkflowId = (allocationId: string): string => `allocate-${part('allocationId', allocationId)}`;
export const leaseWorkflowId = (allocationId: string): string => `lease-${part('allocationId', allocationId)}`;
export const reclaimWorkflowId = (allocationId: string): string => `reclaim-${part('allocationId', allocationId)}`;
export const datasetMountWorkflowId = (mountId: string): string => `dataset-mount-${part('mountId', mountId)}`;
export const datasetUnmountWorkflowId = (mountId: string): string => `dataset-unmount-${part('mountId', mountId)}`;
export const environmentWorkflowId = (environmentId: string): string => `env-${part('environmentId', environmentId)}`;
export const trainingTaskWorkflowId = (taskId: string): string => `task-${part('taskId', taskId)}`;
export const sshResetWorkflowId = (machineId: string, requestId: string): string =>
  `ssh-reset-${part('machineId', machineId)}-${part('requestId', requestId)}`;
export const hostPingWorkflowId = (machineId: string, requestId: string): string =>
  `host-ping-${part('machineId', machineId)}-${part('requestId', requestId)}`;

/** Temporal Schedule ids (not workflow ids): one of each per namespace. */
export const FLEET_HEALTH_SCHEDULE_ID = 'fleet-health';
export const METRICS_ROLLUP_SCHEDULE_ID = 'metrics-rollup';
