// Fleet health control activities (DESIGN §2 fleet health): registered on the control-plane queue,
// driven by the `fleet-health` and `metrics-rollup` Schedules.
import { DEFAULT_GPU_GATE_POLICY, DEFAULT_LIVENESS_POLICY } from '@remotegpu/core';
import type { FleetActivities } from '@remotegpu/core/contracts';
import { DEFAULT_METRICS_RETENTION, type FleetActivityDeps } from './deps';
import { sweepFleetHealth } from './fleet-health';
import { rollupMetrics } from './metrics-rollup';

export { DEFAULT_METRICS_RETENTION, type FleetActivityDeps, type MetricsRetention } from './deps';
export { upsertFleetAlert, resolveFleetAlerts, alertEvent, publishAlertEvents, type AlertRow } from './alert-store';

export function createFleetActivities(deps: FleetActivityDeps): FleetActivities {
  const liveness = { ...DEFAULT_LIVENESS_POLICY, ...deps.liveness };
  const gate = { ...DEFAULT_GPU_GATE_POLICY, ...deps.gpuGate };
  const retention = { ...DEFAULT_METRICS_RETENTION, ...deps.retention };
  return {
    sweepFleetHealth: (input) => sweepFleetHealth(deps, liveness, gate, input ?? {}),
    rollupMetrics: (input) => rollupMetrics(deps.orm.em.fork(), retention, deps.clock.now(), input ?? {}),
  };
}
