// JSON shapes of the RemoteGPU API (snake_case, as in the requirements). Optional fields are ones the
// requirements do not pin down; pages render them when present.

export type UserRole = 'admin' | 'customer';
export type TenantRole = 'owner' | 'member';
export type MachineOnlineStatus = 'online' | 'offline';
export type MachineAllocationStatus = 'idle' | 'allocating' | 'allocated' | 'reclaiming' | 'maintenance';
export type AllocationStatus = 'pending' | 'active' | 'reclaiming' | 'reclaimed' | 'failed' | 'expired';
export type OperationStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertStatus = 'active' | 'acknowledged' | 'resolved';

export const MACHINE_ONLINE_STATUSES: readonly MachineOnlineStatus[] = ['online', 'offline'];
export const MACHINE_ALLOCATION_STATUSES: readonly MachineAllocationStatus[] = [
  'idle',
  'allocating',
  'allocated',
  'reclaiming',
  'maintenance',
];
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];
export const ALERT_STATUSES: readonly AlertStatus[] = ['active', 'acknowledged', 'resolved'];

export interface LoginResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  must_change_password?: boolean;
}

export interface Profile {
  id: number;
  username: string;
  role: UserRole;
  tenant_id: number | null;
  tenant_role?: TenantRole | null;
  tenant_name?: string | null;
  company_code?: string | null;
  display_name?: string | null;
  email?: string | null;
  phone?: string | null;
  must_change_password?: boolean;
  permissions?: string[];
  last_login_at?: string | null;
}

export interface DashboardStats {
  total_machines: number;
  online_machines: number;
  offline_machines: number;
  total_gpus: number;
  avg_gpu_utilization: number;
  allocation_rate: number;
  active_customers: number;
  active_alerts: number;
}

export interface GpuTrendPoint {
  ts: string | number;
  avg_gpu_utilization: number | null;
  avg_gpu_memory_used_mb?: number | null;
  avg_gpu_temperature?: number | null;
  machines?: number;
}

export interface GpuTrend {
  range: string;
  step: number;
  points: GpuTrendPoint[];
}

export interface GpuInfo {
  model: string | null;
  count: number;
  memory: string | null;
}

export interface MachineSummary {
  id: string;
  name: string;
  region: string;
  status: MachineOnlineStatus;
  allocation_status: MachineAllocationStatus;
  ip: string;
  gpu_info: GpuInfo;
  cpu_info: string | null;
  memory_total: number | null;
  disk_total: number | null;
  tenant_name: string | null;
  tenant_id?: number | null;
  health_status?: string;
  ssh_port?: number;
  agent_version?: string | null;
  public_domain?: string | null;
  public_port?: number | null;
  tags?: string[];
  remark?: string | null;
  task_queue?: string;
  allocation_id?: string | null;
  last_heartbeat_at?: string | null;
  expires_at?: string | null;
  created_at?: string | null;
}

export interface GpuDevice {
  index: number;
  uuid?: string | null;
  model?: string | null;
  memory_mb?: number | null;
  memory_used_mb?: number | null;
  utilization?: number | null;
  temperature?: number | null;
  power_w?: number | null;
  ecc_uncorrected?: number | null;
  updated_at?: string | null;
}

export interface OperationStep {
  name: string;
  status: string;
  started_at?: string | null;
  ended_at?: string | null;
  error?: string | null;
}

export interface Operation {
  id: string;
  kind: string;
  status: OperationStatus;
  workflow_id: string;
  run_id?: string | null;
  current_step?: string | null;
  steps: OperationStep[];
  error?: string | null;
  created_at: string | null;
  finished_at?: string | null;
  /** deep link into the Temporal Web UI, built by the API from its configuration */
  temporal_url?: string;
}

export interface AllocationSummary {
  id: string;
  tenant_id: number;
  tenant_name?: string | null;
  company_code?: string;
  machine_id?: string;
  machine_name?: string | null;
  status: AllocationStatus | string;
  starts_at: string | null;
  expires_at: string | null;
  duration_months?: number;
  unix_user?: string;
  remark?: string | null;
  created_at?: string | null;
}

export interface MachineDetail extends MachineSummary {
  gpus: GpuDevice[];
  current_allocation: AllocationSummary | null;
  recent_operations: Operation[];
}

export interface ImportRowReport {
  row: number;
  status: 'created' | 'skipped' | 'error' | string;
  id?: string;
  reason?: string;
}

export interface ImportReport {
  /** false when bad rows stopped the import (skip_bad_rows=false) */
  imported: boolean;
  total: number;
  created: number;
  skipped: number;
  errors: number;
  rows: ImportRowReport[];
}

export interface CreateAllocationRequest {
  tenant_id: number;
  machine_ids: string[];
  duration_months: number;
  start_time?: string;
  remark?: string;
}

export interface Customer {
  id: number;
  name: string;
  company_code: string;
  status: 'active' | 'disabled';
  contact_name?: string | null;
  contact_email?: string | null;
  contact_phone?: string | null;
  remark?: string | null;
  owner?: { id: number; username: string } | null;
  member_count?: number;
  created_at?: string;
}

export interface CreateCustomerRequest {
  name: string;
  company_code: string;
  contact_name?: string;
  contact_email?: string;
  contact_phone?: string;
  owner_username: string;
  owner_password?: string;
}

export interface CreateCustomerResponse {
  customer: Customer;
  /** only when no owner_password was given: generated, shown once */
  initial_password?: string;
}

export interface Alert {
  id: number;
  severity: AlertSeverity;
  status: AlertStatus;
  kind: string;
  message: string;
  count?: number;
  machine_id: string | null;
  machine_name?: string | null;
  first_seen_at?: string;
  last_seen_at?: string;
  created_at: string;
  acknowledged_at?: string | null;
  resolved_at?: string | null;
}

export interface AuditLog {
  id: number;
  user_id: number | null;
  username: string | null;
  tenant_id?: number | null;
  ip: string | null;
  method: string;
  path: string;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  status_code: number;
  trace_id: string | null;
  created_at: string;
}

export interface CustomerMachine {
  id: string;
  name: string;
  region?: string;
  status: MachineOnlineStatus;
  /** pending while provisioning, active once usable */
  allocation_status?: AllocationStatus;
  allocation_id?: string;
  gpu_util: number | null;
  gpu_info?: GpuInfo;
  ssh_host: string;
  ssh_port: number;
  ssh_user: string;
  jupyter_url?: string | null;
  starts_at?: string | null;
  expires_at: string | null;
}

export interface MetricPoint {
  ts: string | number;
  gpu_util?: number | null;
  gpu_mem_used_mb?: number | null;
  cpu_util?: number | null;
}

export interface MachineMetrics {
  machine_id: string;
  range: string;
  step: number;
  /** machine-level series (GPU average, CPU, memory, disk) */
  host: MetricPoint[];
  gpus: { gpu_index: number; points: MetricPoint[] }[];
}

export interface SshKey {
  id: number;
  name: string;
  fingerprint: string;
  key_type?: string;
  public_key?: string;
  username?: string;
  created_at: string;
}

export interface Member {
  id: number;
  username: string;
  tenant_role: TenantRole | null;
  must_change_password?: boolean;
  last_login_at?: string | null;
  display_name?: string | null;
  email?: string | null;
  status: 'active' | 'disabled';
  created_at?: string;
}

export interface SshResetResponse {
  machine_id?: string;
  ssh_user?: string;
  /** shown once; null when only the keys were re-synced */
  password?: string | null;
  new_password?: string | null;
  keys_synced?: number;
  operation_id?: string;
}
