import type { MikroORM } from '@mikro-orm/core';
import type { GpuGatePolicy, LivenessPolicy } from '@remotegpu/core';
import type { Redis } from 'ioredis';

/** Retention of metric_samples per resolution, in milliseconds. */
export interface MetricsRetention {
  raw: number;
  '1m': number;
  '1h': number;
}

export const DEFAULT_METRICS_RETENTION: MetricsRetention = {
  raw: 24 * 3_600_000,
  '1m': 30 * 86_400_000,
  '1h': 365 * 86_400_000,
};

/** What the fleet activities need, injected by the control worker. */
export interface FleetActivityDeps {
  orm: MikroORM;
  redis: Redis;
  clock: { now(): Date };
  liveness?: Partial<LivenessPolicy>;
  gpuGate?: Partial<GpuGatePolicy>;
  retention?: Partial<MetricsRetention>;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}
