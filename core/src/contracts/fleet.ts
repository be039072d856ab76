// Fleet health and live monitoring (DESIGN §2 fleet health, §4 heartbeat/WebSocket): the Redis key and
// channel names the API and the control activities share, and the fleet workflows' inputs and outputs.

/** Unix milliseconds (server clock) of the machine's last accepted heartbeat. */
export const machineHeartbeatKey = (machineId: string): string => `machine:heartbeat:${machineId}`;
/** JSON MachineMetricsSnapshot of the latest accepted heartbeat. */
export const machineMetricsKey = (machineId: string): string => `machine:metrics:${machineId}`;
/** Hash of the liveness hysteresis counters (`fresh_beats`, `stale_sweeps`). */
export const machineLivenessKey = (machineId: string): string => `machine:liveness:${machineId}`;
/** Set NX with a TTL for every accepted agent signature, so a captured request cannot be replayed. */
export const agentSignatureSeenKey = (signature: string): string => `agent:signature:${signature}`;
/** The admin fleet snapshot served by /admin/monitoring/realtime, cached for REALTIME_SNAPSHOT_TTL_SECONDS. */
export const FLEET_REALTIME_CACHE_KEY = 'fleet:realtime';

/** Redis pub/sub channels; every API process relays them to its WebSocket clients. */
export const ALERT_EVENTS_CHANNEL = 'events:alerts';
export const OPERATION_EVENTS_CHANNEL = 'events:operations';
/** A machine's online/allocation status changed (heartbeat, sweep, GPU gate). */
export const MACHINE_EVENTS_CHANNEL = 'events:machines';

export type AlertEventAction = 'raised' | 'acknowledged' | 'resolved';

/** Payload published on ALERT_EVENTS_CHANNEL (JSON). `tenant_id` = the machine's live allocation's tenant. */
export interface AlertEvent {
  action: AlertEventAction;
  alert: {
    id: number;
    machine_id: string | null;
    kind: string;
    severity: string;
    status: string;
    message: string;
    count: number;
    first_seen_at: string;
    last_seen_at: string;
  };
  at: string;
}

/** Payload published on OPERATION_EVENTS_CHANNEL by whoever updates an operation (JSON). */
export interface OperationEvent {
  operation_id: string | number;
  machine_id?: string | null;
  tenant_id?: number | null;
  kind?: string;
  status: string;
  [key: string]: unknown;
}

/** Payload published on MACHINE_EVENTS_CHANNEL (JSON). */
export interface MachineStatusEvent {
  machine_id: string;
  status?: 'online' | 'offline';
  allocation_status?: string;
  reason: string;
  at: string;
}

export interface MachineMetricsSnapshotGpu {
  index: number;
  uuid: string;
  name: string;
  util_pct: number | null;
  mem_used_mib: number | null;
  mem_total_mib: number;
  temperature_c: number | null;
  power_w: number | null;
  ecc_uncorrected: number | null;
}

/** What the API keeps in machineMetricsKey: the latest heartbeat's metrics plus when it arrived. */
export interface MachineMetricsSnapshot {
  machine_id: string;
  received_at: number;
  agent_ts: number;
  cpu_util: number;
  mem_used_pct: number;
  disk_used_pct: number;
  gpus: MachineMetricsSnapshotGpu[];
}

export interface FleetHealthInput {
  /** Only machines whose id starts with this (tests isolate themselves; production sweeps all). */
  machineIdPrefix?: string;
}

export interface FleetHealthResult {
  checked: number;
  markedOffline: string[];
  alertsRaised: number;
  toMaintenance: string[];
  backToIdle: string[];
}

export interface MetricsRollupInput {
  machineIdPrefix?: string;
}

export interface MetricsRollupResult {
  minuteRows: number;
  hourRows: number;
  deleted: { raw: number; '1m': number; '1h': number };
}

/** Stable alert kinds raised by the fleet health activities. */
export const FLEET_ALERT_KINDS = {
  hostOffline: 'host_offline',
  gpuCountLow: 'gpu_count_low',
  gpuLost: 'gpu_lost',
  gpuEccErrors: 'gpu_ecc_errors',
  gpuOverheat: 'gpu_overheat',
} as const;
export type FleetAlertKind = (typeof FLEET_ALERT_KINDS)[keyof typeof FLEET_ALERT_KINDS];

/** The fleet control activities (createFleetActivities in @remotegpu/activities), as workflows see them. */
export interface FleetActivities {
  sweepFleetHealth(input: FleetHealthInput): Promise<FleetHealthResult>;
  rollupMetrics(input: MetricsRollupInput): Promise<MetricsRollupResult>;
}
