// Wires the fleet-health features (heartbeats, alerts, dashboards, realtime monitoring, customer
// metrics, Prometheus gauges) from the app's dependencies; createApp mounts the routers it returns.
import type { Router } from 'express';
import type { Registry } from 'prom-client';
import { DEFAULT_LIVENESS_POLICY, type LivenessPolicy } from '@remotegpu/core';
import type { AppDeps } from '../../deps';
import { agentRoutes } from '../agent/agent-routes';
import { HeartbeatService } from '../agent/heartbeat-service';
import { MetricsWriter } from '../agent/metrics-writer';
import { alertRoutes } from '../alerts/alert-routes';
import { AlertService } from '../alerts/alert-service';
import { dashboardRoutes } from '../dashboard/dashboard-routes';
import { customerMetricsRoutes } from '../metrics/customer-metrics';
import { registerFleetCollectors } from '../metrics/fleet-collectors';
import { FleetSnapshotService } from './fleet-snapshot';
import { monitoringRoutes } from './monitoring-routes';

export interface FleetModuleOptions {
  liveness?: Partial<LivenessPolicy>;
  /** How often buffered metric rows are written (default 1 s). */
  metricsFlushIntervalMs?: number;
}

export interface FleetModule {
  heartbeats: HeartbeatService;
  alerts: AlertService;
  snapshots: FleetSnapshotService;
  writer: MetricsWriter;
  /** /api/v1/agent — mount BEFORE the JSON body parser. */
  agentRouter: Router;
  /** Under /api/v1/admin (admin guard applied by the caller). */
  adminRouters: { alerts: Router; dashboard: Router; monitoring: Router };
  /** Under /api/v1/customer/machines (customer guard applied by the caller). */
  customerMachineMetricsRouter: Router;
  /** Flushes buffered metric rows; call on shutdown. */
  close(): Promise<void>;
}

export function createFleetModule(deps: AppDeps, registry: Registry, opts: FleetModuleOptions = {}): FleetModule {
  const now = deps.now ?? (() => new Date());
  const alerts = new AlertService(deps.redis, now);
  const writer = new MetricsWriter(deps.orm, deps.logger, { flushIntervalMs: opts.metricsFlushIntervalMs });
  const heartbeats = new HeartbeatService({
    orm: deps.orm,
    redis: deps.redis,
    logger: deps.logger,
    agentCredentialsKey: deps.config.agentCredentialsKey,
    liveness: { ...DEFAULT_LIVENESS_POLICY, ...opts.liveness },
    writer,
    alerts,
    now,
  });
  const snapshots = new FleetSnapshotService(deps.orm, deps.redis, now);
  registerFleetCollectors(registry, deps.orm);
  return {
    heartbeats,
    alerts,
    snapshots,
    writer,
    agentRouter: agentRoutes(heartbeats, now),
    adminRouters: {
      alerts: alertRoutes(alerts),
      dashboard: dashboardRoutes(now),
      monitoring: monitoringRoutes(snapshots),
    },
    customerMachineMetricsRouter: customerMetricsRoutes(deps.redis, now),
    close: () => writer.close(),
  };
}
