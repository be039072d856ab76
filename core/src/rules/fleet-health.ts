// Pure fleet-health rules shared by the API (heartbeats) and the control activities (sweeps):
// liveness hysteresis, so a host that drops a heartbeat now and then neither flaps nor storms alerts,
// and the GPU health gate over the latest metrics.

export interface LivenessPolicy {
  /** A machine whose last heartbeat is older than this is stale. */
  offlineAfterMs: number;
  /** host_offline is raised only once the machine was stale at this many consecutive sweeps. */
  alertAfterSweeps: number;
  /** An offline machine turns online only after this many consecutive fresh heartbeats. */
  onlineAfterBeats: number;
}

export const DEFAULT_LIVENESS_POLICY: LivenessPolicy = {
  offlineAfterMs: 20_000,
  alertAfterSweeps: 2,
  onlineAfterBeats: 2,
};

export interface LivenessCounters {
  staleSweeps: number;
  freshBeats: number;
}

export interface SweepInput {
  status: 'online' | 'offline';
  counters: LivenessCounters;
  /** Last heartbeat (unix ms), null when none was ever received. */
  lastHeartbeatMs: number | null;
  nowMs: number;
}

export interface SweepDecision {
  stale: boolean;
  counters: LivenessCounters;
  markOffline: boolean;
  /** Raise (or bump) host_offline. Never for a machine that has not sent a single heartbeat. */
  raiseAlert: boolean;
}

export function decideSweep(input: SweepInput, policy: LivenessPolicy = DEFAULT_LIVENESS_POLICY): SweepDecision {
  const stale = input.lastHeartbeatMs === null || input.nowMs - input.lastHeartbeatMs > policy.offlineAfterMs;
  if (!stale) {
    return { stale, counters: { ...input.counters, staleSweeps: 0 }, markOffline: false, raiseAlert: false };
  }
  const staleSweeps = input.counters.staleSweeps + 1;
  return {
    stale,
    // A stale sweep breaks the streak of fresh heartbeats.
    counters: { staleSweeps, freshBeats: 0 },
    markOffline: input.status === 'online',
    raiseAlert: input.lastHeartbeatMs !== null && staleSweeps >= policy.alertAfterSweeps,
  };
}

export interface HeartbeatInput {
  status: 'online' | 'offline';
  counters: LivenessCounters;
  /** The heartbeat before this one (unix ms), null when none. */
  previousHeartbeatMs: number | null;
  nowMs: number;
}

export interface HeartbeatDecision {
  counters: LivenessCounters;
  /** Mark online and resolve host_offline. */
  markOnline: boolean;
}

export function decideHeartbeat(
  input: HeartbeatInput,
  policy: LivenessPolicy = DEFAULT_LIVENESS_POLICY,
): HeartbeatDecision {
  const continuous =
    input.previousHeartbeatMs !== null && input.nowMs - input.previousHeartbeatMs <= policy.offlineAfterMs;
  const freshBeats = continuous ? input.counters.freshBeats + 1 : 1;
  return {
    counters: { staleSweeps: input.counters.staleSweeps, freshBeats },
    markOnline: input.status === 'offline' && freshBeats >= policy.onlineAfterBeats,
  };
}

// ---- GPU health gate ----

export interface GpuGatePolicy {
  /** Uncorrected ECC errors above this fail the check. */
  maxEccUncorrected: number;
  /** A GPU hotter than this (°C) fails the check. */
  maxTemperatureC: number;
}

export const DEFAULT_GPU_GATE_POLICY: GpuGatePolicy = { maxEccUncorrected: 0, maxTemperatureC: 90 };

export interface GpuGateGpu {
  index: number;
  temperature_c: number | null;
  ecc_uncorrected?: number | null;
}

export interface GpuGateInput {
  /** GPU count the machine was imported with. */
  inventoryCount: number;
  /** GPU indexes known in gpu_devices. */
  inventoryIndexes: number[];
  gpus: GpuGateGpu[];
}

export type GpuGateFailureKind = 'gpu_count_low' | 'gpu_lost' | 'gpu_ecc_errors' | 'gpu_overheat';

export interface GpuGateFailure {
  kind: GpuGateFailureKind;
  severity: 'warning' | 'critical';
  message: string;
  details: Record<string, unknown>;
}

export interface GpuGateResult {
  passed: boolean;
  failures: GpuGateFailure[];
}

export function evaluateGpuGate(input: GpuGateInput, policy: GpuGatePolicy = DEFAULT_GPU_GATE_POLICY): GpuGateResult {
  const failures: GpuGateFailure[] = [];
  const seen = new Set(input.gpus.map((g) => g.index));
  if (input.gpus.length < input.inventoryCount) {
    failures.push({
      kind: 'gpu_count_low',
      severity: 'critical',
      message: `${input.gpus.length} of ${input.inventoryCount} GPUs visible`,
      details: { visible: input.gpus.length, inventory: input.inventoryCount },
    });
  }
  const lost = [...new Set(input.inventoryIndexes)].filter((i) => !seen.has(i)).sort((a, b) => a - b);
  if (lost.length > 0) {
    failures.push({
      kind: 'gpu_lost',
      severity: 'critical',
      message: `GPU ${lost.join(', ')} lost`,
      details: { lost_indexes: lost },
    });
  }
  const ecc = input.gpus.filter((g) => (g.ecc_uncorrected ?? 0) > policy.maxEccUncorrected);
  if (ecc.length > 0) {
    failures.push({
      kind: 'gpu_ecc_errors',
      severity: 'critical',
      message: `uncorrected ECC errors on GPU ${ecc.map((g) => g.index).join(', ')}`,
      details: { gpus: ecc.map((g) => ({ index: g.index, ecc_uncorrected: g.ecc_uncorrected })) },
    });
  }
  const hot = input.gpus.filter((g) => g.temperature_c !== null && g.temperature_c > policy.maxTemperatureC);
  if (hot.length > 0) {
    failures.push({
      kind: 'gpu_overheat',
      severity: 'warning',
      message: `GPU ${hot.map((g) => g.index).join(', ')} above ${policy.maxTemperatureC} °C`,
      details: { gpus: hot.map((g) => ({ index: g.index, temperature_c: g.temperature_c })) },
    });
  }
  return { passed: failures.length === 0, failures };
}

export const GPU_GATE_FAILURE_KINDS: readonly GpuGateFailureKind[] = [
  'gpu_count_low',
  'gpu_lost',
  'gpu_ecc_errors',
  'gpu_overheat',
];

/** Marker written into machines.health_notes when the gate moved the machine to maintenance. */
export const GPU_GATE_NOTE_PREFIX = 'gpu-gate:';

/** GPU utilisation bucket for the Prometheus gauge (and dashboards). */
export function gpuUtilBucket(util: number | null): 'unknown' | 'idle' | 'low' | 'medium' | 'high' {
  if (util === null || !Number.isFinite(util)) return 'unknown';
  if (util < 5) return 'idle';
  if (util < 40) return 'low';
  if (util < 80) return 'medium';
  return 'high';
}
