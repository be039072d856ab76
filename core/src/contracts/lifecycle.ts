import type { HostActivities, TenantUserInput } from './activity-types';

// The machine lifecycle (DESIGN §2, issue #4): inputs and outputs of allocationWorkflow, leaseWorkflow,
// reclaimWorkflow and sshResetWorkflow, the names of their Signals/Updates/Queries, and the control
// activities they call. The API reserves the machine synchronously (one DB transaction, requirements §6.1)
// and then starts allocationWorkflow; the workflows own everything after that.

/** Failure types (ApplicationFailure.type) specific to the lifecycle workflows. */
export const LIFECYCLE_FAILURE_TYPES = {
  /** Reclaim refused: tasks of the tenant are still running on the machine and `force` was not set. */
  tasksRunning: 'TASKS_RUNNING',
  /** The allocation workflow failed and compensated; the machine is idle (or maintenance). */
  allocationFailed: 'ALLOCATION_FAILED',
  /** A reclaim step kept failing; the machine is quarantined (maintenance) until an admin decides. */
  reclaimFailed: 'RECLAIM_FAILED',
  /** The machine was marked broken by an admin during a reclaim. */
  markedBroken: 'MARKED_BROKEN',
  /** The row the workflow works on is not in the state it expects (e.g. allocation not pending). */
  stateConflict: 'STATE_CONFLICT',
} as const;

// ---------------------------------------------------------------------------------------------------
// allocationWorkflow (id allocationWorkflowId(allocationId) = allocate-<allocationId>)

/** Input the API passes after its reservation transaction (workflowIdConflictPolicy USE_EXISTING). */
export interface AllocationWorkflowInput {
  allocationId: string;
  machineId: string;
  /** tenants.id (the search attribute stores it as a string). */
  tenantId: number;
  /** The tenant's unix user on the host (allocations.unix_user). */
  unixUser: string;
  durationMonths: number;
  /** ISO-8601; expires_at = startsAt + durationMonths calendar months (addCalendarMonths). */
  startsAt: string;
  /** The `allocate` operation row the API inserted with the reservation. */
  operationId: string;
  /** users.id of the admin who asked, when known. */
  requestedBy?: number | null;
  /** How long a host step may wait for the host's agent to pick it up; allocation fails fast. */
  hostScheduleToStartTimeoutMs?: number;
  /** Passed on to the lease (and from there to its reclaim). */
  hostWaitTimeoutMs?: number;
}

export const ALLOCATION_DEFAULT_HOST_SCHEDULE_TO_START_MS = 30_000;

export interface AllocationWorkflowResult {
  allocationId: string;
  machineId: string;
  startsAt: string;
  expiresAt: string;
  leaseWorkflowId: string;
}

/** Step names recorded on the `allocate` operation, in order. */
export const ALLOCATION_STEPS = [
  'load_ssh_keys',
  'ensure_user',
  'inject_ssh_keys',
  'set_password',
  'nvidia_check',
  'activate',
  'start_lease',
] as const;
export type AllocationStep = (typeof ALLOCATION_STEPS)[number];

// ---------------------------------------------------------------------------------------------------
// leaseWorkflow (id leaseWorkflowId(allocationId) = lease-<allocationId>)

export interface LeaseReminderRecord {
  daysBefore: number;
  /** The expiry the reminder was about (an extension makes earlier reminders stale). */
  expiresAt: string;
  sentAt: string;
}

export interface LeaseWorkflowInput {
  allocationId: string;
  machineId: string;
  tenantId: number;
  unixUser: string;
  /** ISO-8601. */
  expiresAt: string;
  /** Passed on to the reclaim: how long a host step waits for an offline host. */
  hostWaitTimeoutMs?: number;
  /** Carried over continue-as-new. */
  remindersSent?: LeaseReminderRecord[];
}

/** Days before expiry at which the lease raises a `lease_expiring` reminder (largest first). */
export const LEASE_REMINDER_DAYS = [7, 1] as const;

export type LeaseState = 'active' | 'reclaiming' | 'ended';

export interface LeaseStatus {
  allocationId: string;
  expiresAt: string;
  state: LeaseState;
  remindersSent: LeaseReminderRecord[];
}

export interface LeaseWorkflowResult {
  allocationId: string;
  /** How the lease ended: at expiry or through reclaimNow. */
  endedBy: 'expiry' | 'reclaim_now';
  reclaimOperationId: string;
  /** The final expiry and the reminders raised (a query of a closed workflow needs a replay). */
  expiresAt: string;
  remindersSent: LeaseReminderRecord[];
}

/** Update `extend`: moves expires_at by whole calendar months. */
export interface ExtendLeaseInput {
  months: number;
  /** The `extend` operation (created by the API; created by the activity when absent). */
  operationId: string;
  requestedBy?: number | null;
}

export interface ExtendLeaseResult {
  allocationId: string;
  previousExpiresAt: string;
  expiresAt: string;
}

export const LEASE_EXTEND_MIN_MONTHS = 1;
export const LEASE_EXTEND_MAX_MONTHS = 36;

/** Signal `reclaimNow`: an admin ends the lease early. */
export interface ReclaimNowInput {
  reason: string;
  force: boolean;
  /** The `reclaim` operation the API created and returned as task_id. */
  operationId: string;
  requestedBy?: number | null;
}

/** Names of the lease's handlers, for callers without the workflow package (handle.executeUpdate(name)). */
export const LEASE_HANDLERS = {
  extendUpdate: 'extend',
  reclaimNowSignal: 'reclaimNow',
  statusQuery: 'status',
} as const;

// ---------------------------------------------------------------------------------------------------
// reclaimWorkflow (id reclaimWorkflowId(allocationId) = reclaim-<allocationId>)

export interface ReclaimWorkflowInput {
  allocationId: string;
  machineId: string;
  tenantId: number;
  unixUser: string;
  reason: string;
  /** Reclaim even when the tenant's tasks are running (they are killed with its processes). */
  force: boolean;
  operationId: string;
  requestedBy?: number | null;
  /** How long each host step waits durably for an offline host's agent (default 6 h). */
  hostWaitTimeoutMs?: number;
}

export const RECLAIM_DEFAULT_HOST_WAIT_MS = 6 * 60 * 60 * 1000;

export interface ReclaimWorkflowResult {
  allocationId: string;
  machineId: string;
  outcome: 'reclaimed' | 'refused' | 'marked_broken';
  /** Steps an admin chose to skip. */
  skippedSteps: string[];
}

/** Step names recorded on the `reclaim` operation, in order. */
export const RECLAIM_STEPS = [
  'check_tasks',
  'mark_reclaiming',
  'kill_processes',
  'stop_vnc',
  'revoke_ssh_keys',
  'disable_user',
  'reset_password',
  'wipe_data',
  'verify_clean',
  'release',
] as const;
export type ReclaimStep = (typeof RECLAIM_STEPS)[number];

/** What an admin decides for a quarantined reclaim (POST /admin/operations/:id/decision). */
export type ReclaimDecision = 'retry' | 'skip-step' | 'mark-broken';
export const RECLAIM_DECISIONS: readonly ReclaimDecision[] = ['retry', 'skip-step', 'mark-broken'];

export interface ReclaimDecisionInput {
  decision: ReclaimDecision;
  requestedBy?: number | null;
}

export const RECLAIM_HANDLERS = {
  decisionSignal: 'decision',
  statusQuery: 'status',
} as const;

export interface ReclaimStatus {
  allocationId: string;
  currentStep: ReclaimStep | null;
  /** Set while the workflow waits for an admin decision. */
  quarantinedAt: ReclaimStep | null;
  lastError: string | null;
}

// ---------------------------------------------------------------------------------------------------
// sshResetWorkflow (id sshResetWorkflowId(machineId, requestId))

export interface SshResetWorkflowInput {
  machineId: string;
  tenantId: number;
  unixUser: string;
  requestId: string;
  operationId: string;
  requestedBy?: number | null;
  hostScheduleToStartTimeoutMs?: number;
  /** Also reset the password (default true); false re-syncs keys only. */
  resetPassword?: boolean;
}

/**
 * The new password is returned once, as the workflow result, for the API to show. It is stored in the
 * Temporal history of this run unless a PayloadCodec encrypts payloads.
 */
export interface SshResetWorkflowResult {
  machineId: string;
  unixUser: string;
  password: string | null;
  keysSynced: number;
}

// ---------------------------------------------------------------------------------------------------
// Host activities as the lifecycle workflows call them: passwords are generated ON the host.
// (The host implementation in @remotegpu/activities has these signatures; activity-types.ts still types
// setUserPassword with a required password.)

export interface SetGeneratedPasswordInput extends TenantUserInput {
  /** Omitted = the host generates a password and never returns it. */
  password?: string;
}

export interface SetUserPasswordResult {
  username: string;
  generated: boolean;
  length: number;
}

export interface ResetUserPasswordResult {
  username: string;
  /** Generated on the host; returned only to sshResetWorkflow. */
  password: string;
}

export type LifecycleHostActivities = Omit<HostActivities, 'setUserPassword'> & {
  setUserPassword(input: SetGeneratedPasswordInput): Promise<SetUserPasswordResult>;
  resetUserPassword(input: TenantUserInput): Promise<ResetUserPasswordResult>;
};

// ---------------------------------------------------------------------------------------------------
// Control activities (run on the control-plane worker, mostly as local activities)

export type LifecycleOperationKind = 'allocate' | 'reclaim' | 'extend' | 'ssh_reset';

export interface EnsureOperationInput {
  operationId: string;
  kind: LifecycleOperationKind;
  workflowId: string;
  runId: string;
  machineId?: string | null;
  allocationId?: string | null;
  tenantId?: number | null;
  requestedBy?: number | null;
  input?: Record<string, unknown>;
}

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'compensated';

export interface RecordOperationStepInput {
  operationId: string;
  step: string;
  status: StepStatus;
  error?: string | null;
}

export interface FinishOperationInput {
  operationId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  result?: Record<string, unknown> | null;
  error?: string | null;
}

export interface TenantSshKeysResult {
  /** Normalised authorized_keys lines of every key the tenant's users registered. */
  publicKeys: string[];
}

export interface ActivateAllocationInput {
  allocationId: string;
  machineId: string;
  startsAt: string;
  durationMonths: number;
}

export interface ActivateAllocationResult {
  startsAt: string;
  expiresAt: string;
}

export interface FailAllocationInput {
  allocationId: string;
  machineId: string;
  /** idle normally; maintenance when the GPU check failed or a compensation could not finish. */
  machineStatus: 'idle' | 'maintenance';
  error: string;
}

export interface RaiseAlertInput {
  machineId: string | null;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  details?: Record<string, unknown>;
}

export interface LeaseReminderInput {
  allocationId: string;
  machineId: string;
  tenantId: number;
  expiresAt: string;
  daysBefore: number;
}

export interface RecordExtensionInput {
  allocationId: string;
  machineId: string;
  tenantId: number;
  operationId: string;
  workflowId: string;
  runId: string;
  months: number;
  previousExpiresAt: string;
  expiresAt: string;
  requestedBy?: number | null;
}

export interface RunningTasksInput {
  machineId: string;
  tenantId: number;
}

export interface MarkReclaimingInput {
  allocationId: string;
  machineId: string;
  reason: string;
}

export interface QuarantineMachineInput {
  allocationId: string;
  machineId: string;
  step: string;
  error: string;
}

export interface CompleteReclaimInput {
  allocationId: string;
  machineId: string;
  /** idle after a clean reclaim; maintenance when an admin marked the machine broken. */
  machineStatus: 'idle' | 'maintenance';
}

export interface ControlActivities {
  ensureOperation(input: EnsureOperationInput): Promise<void>;
  recordOperationStep(input: RecordOperationStepInput): Promise<void>;
  finishOperation(input: FinishOperationInput): Promise<void>;
  loadTenantSshKeys(input: { tenantId: number }): Promise<TenantSshKeysResult>;
  activateAllocation(input: ActivateAllocationInput): Promise<ActivateAllocationResult>;
  failAllocation(input: FailAllocationInput): Promise<void>;
  raiseAlert(input: RaiseAlertInput): Promise<void>;
  raiseLeaseReminder(input: LeaseReminderInput): Promise<void>;
  recordExtension(input: RecordExtensionInput): Promise<void>;
  countRunningTasks(input: RunningTasksInput): Promise<number>;
  markReclaiming(input: MarkReclaimingInput): Promise<void>;
  quarantineMachine(input: QuarantineMachineInput): Promise<void>;
  completeReclaim(input: CompleteReclaimInput): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Pure helpers (safe in workflows)

/**
 * `iso` plus whole calendar months in UTC; the day is clamped to the target month's length
 * (Jan 31 + 1 month = Feb 28/29), as contracts are written.
 */
export function addCalendarMonths(iso: string, months: number): string {
  const start = new Date(iso);
  if (Number.isNaN(start.getTime())) throw new Error(`addCalendarMonths: invalid date ${iso}`);
  if (!Number.isInteger(months)) throw new Error(`addCalendarMonths: months must be an integer, got ${months}`);
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(start.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(y, m, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()),
  ).toISOString();
}

/** Why an `extend` is invalid, or null when it is acceptable. */
export function extendMonthsProblem(months: unknown): string | null {
  if (typeof months !== 'number' || !Number.isInteger(months)) return 'months must be an integer';
  if (months < LEASE_EXTEND_MIN_MONTHS || months > LEASE_EXTEND_MAX_MONTHS) {
    return `months must be from ${LEASE_EXTEND_MIN_MONTHS} to ${LEASE_EXTEND_MAX_MONTHS}`;
  }
  return null;
}
