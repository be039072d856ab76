// Every status / kind column of the data model, as readonly tuples (for entity enums and zod schemas)
// plus their union types. The migration's CHECK constraints list the same values.

export const TENANT_STATUSES = ['active', 'disabled'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export const USER_ROLES = ['admin', 'customer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const TENANT_ROLES = ['owner', 'member'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const MACHINE_ONLINE_STATUSES = ['online', 'offline'] as const;
export type MachineOnlineStatus = (typeof MACHINE_ONLINE_STATUSES)[number];

export const MACHINE_ALLOCATION_STATUSES = ['idle', 'allocating', 'allocated', 'reclaiming', 'maintenance'] as const;
export type MachineAllocationStatus = (typeof MACHINE_ALLOCATION_STATUSES)[number];

export const MACHINE_HEALTH_STATUSES = ['unknown', 'healthy', 'degraded', 'unhealthy'] as const;
export type MachineHealthStatus = (typeof MACHINE_HEALTH_STATUSES)[number];

export const ALLOCATION_STATUSES = ['pending', 'active', 'reclaiming', 'reclaimed', 'failed', 'expired'] as const;
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number];
/** Statuses that hold the machine: at most one allocation per machine may be in one of them (partial unique index). */
export const LIVE_ALLOCATION_STATUSES = [
  'pending',
  'active',
  'reclaiming',
] as const satisfies readonly AllocationStatus[];

/** Not a CHECK-constrained column: new workflow kinds must not need a migration. */
export const OPERATION_KINDS = [
  'allocate',
  'reclaim',
  'extend',
  'ssh_reset',
  'host_ping',
  'nvidia_check',
  'dataset_mount',
  'dataset_unmount',
  'environment_create',
  'environment_start',
  'environment_stop',
  'environment_restart',
  'environment_delete',
  'task_run',
  'task_stop',
  'machine_maintenance',
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const OPERATION_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const OPERATION_STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'compensated'] as const;
export type OperationStepStatus = (typeof OPERATION_STEP_STATUSES)[number];

export interface OperationStep {
  name: string;
  status: OperationStepStatus;
  startedAt?: string | null;
  endedAt?: string | null;
  error?: string | null;
}

export const DATASET_STATUSES = ['uploading', 'processing', 'ready', 'error'] as const;
export type DatasetStatus = (typeof DATASET_STATUSES)[number];

export const DATASET_MOUNT_STATUSES = ['pending', 'mounting', 'mounted', 'unmounting', 'unmounted', 'error'] as const;
export type DatasetMountStatus = (typeof DATASET_MOUNT_STATUSES)[number];
/** A mount point on a machine is taken while its mount is in one of these statuses (partial unique index). */
export const LIVE_DATASET_MOUNT_STATUSES = ['pending', 'mounting', 'mounted', 'unmounting'] as const;

export const CONTAINER_STATUSES = ['creating', 'running', 'stopped', 'deleted', 'error'] as const;
export type ContainerStatus = (typeof CONTAINER_STATUSES)[number];

export const PORT_SERVICE_TYPES = ['ssh', 'rdp', 'jupyter', 'vnc', 'novnc', 'custom'] as const;
export type PortServiceType = (typeof PORT_SERVICE_TYPES)[number];

export const PORT_PROTOCOLS = ['tcp', 'udp'] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

export const PORT_MAPPING_STATUSES = ['active', 'released'] as const;
export type PortMappingStatus = (typeof PORT_MAPPING_STATUSES)[number];

export const REMOTE_PROTOCOLS = ['ssh', 'vnc', 'rdp'] as const;
export type RemoteProtocol = (typeof REMOTE_PROTOCOLS)[number];

export const REMOTE_SESSION_STATUSES = ['active', 'closed'] as const;
export type RemoteSessionStatus = (typeof REMOTE_SESSION_STATUSES)[number];

export const TASK_KINDS = ['training', 'command'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const TASK_STATUSES = ['pending', 'running', 'stopping', 'succeeded', 'failed', 'stopped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const IMAGE_STATUSES = ['active', 'disabled'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['active', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const METRIC_RESOLUTIONS = ['raw', '1m', '1h'] as const;
export type MetricResolution = (typeof METRIC_RESOLUTIONS)[number];

export const AGENT_CREDENTIAL_STATUSES = ['active', 'revoked'] as const;
export type AgentCredentialStatus = (typeof AGENT_CREDENTIAL_STATUSES)[number];
