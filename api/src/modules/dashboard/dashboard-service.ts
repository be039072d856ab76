// Admin dashboard (requirements §3.2.1): fleet counters from PostgreSQL, and the GPU utilisation trend
// from the metric roll-ups (1m rows for ranges up to a day, 1h rows beyond).
import type { EntityManager } from '@mikro-orm/postgresql';
import { LIVE_ALLOCATION_STATUSES } from '@remotegpu/core';
import { z } from 'zod';
import { AppError } from '../../http/errors';
import { iso, num, rows, table } from '../monitoring/sql';

export interface DashboardStats {
  total_machines: number;
  online_machines: number;
  offline_machines: number;
  total_gpus: number;
  /** Mean of the latest utilisation of the GPUs of online machines (%), 0 when none report. */
  avg_gpu_utilization: number;
  /** Machines allocated (allocating, allocated or reclaiming) per machine (%). */
  allocation_rate: number;
  /** Active tenants holding at least one live allocation. */
  active_customers: number;
  /** Alerts not yet acknowledged or resolved. */
  active_alerts: number;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

export async function dashboardStats(em: EntityManager): Promise<DashboardStats> {
  const [machines] = await rows<Record<string, string | null>>(
    em,
    `select count(*) as total,
       count(*) filter (where status = 'online') as online,
       count(*) filter (where allocation_status in ('allocating', 'allocated', 'reclaiming')) as allocated,
       coalesce(sum(gpu_count), 0) as gpus
     from ${table(em, 'machines')} where deleted_at is null`,
  );
  const [[gpu], [customers], [alerts]] = await Promise.all([
    rows<{ avg: string | null }>(
      em,
      `select avg(g.last_util) as avg from ${table(em, 'gpu_devices')} g
       join ${table(em, 'machines')} m on m.id = g.machine_id
       where m.deleted_at is null and m.status = 'online' and g.last_util is not null`,
    ),
    rows<{ n: string }>(
      em,
      `select count(distinct a.tenant_id) as n from ${table(em, 'allocations')} a
       join ${table(em, 'tenants')} t on t.id = a.tenant_id
       where a.status in (?) and t.status = 'active'`,
      [[...LIVE_ALLOCATION_STATUSES]],
    ),
    rows<{ n: string }>(em, `select count(*) as n from ${table(em, 'alerts')} where status = 'active'`),
  ]);
  const total = Number(machines.total);
  const online = Number(machines.online);
  return {
    total_machines: total,
    online_machines: online,
    offline_machines: total - online,
    total_gpus: Number(machines.gpus),
    avg_gpu_utilization: gpu.avg === null ? 0 : round1(Number(gpu.avg)),
    allocation_rate: total === 0 ? 0 : round1((Number(machines.allocated) / total) * 100),
    active_customers: Number(customers.n),
    active_alerts: Number(alerts.n),
  };
}

const RANGES = {
  '1h': { ms: 3_600_000, resolution: '1m', defaultStep: 60 },
  '24h': { ms: 86_400_000, resolution: '1m', defaultStep: 300 },
  '7d': { ms: 7 * 86_400_000, resolution: '1h', defaultStep: 3600 },
  '30d': { ms: 30 * 86_400_000, resolution: '1h', defaultStep: 6 * 3600 },
} as const;
export type TrendRange = keyof typeof RANGES;

const STEP_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `60`, `60s`, `5m`, `1h`, `1d` → seconds. */
export function parseStep(step: string): number | null {
  const match = /^(\d{1,6})([smhd]?)$/.exec(step.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * STEP_UNITS[match[2] || 's'];
  return seconds > 0 ? seconds : null;
}

export const trendQuery = z.object({
  range: z.enum(Object.keys(RANGES) as [TrendRange, ...TrendRange[]]).default('24h'),
  step: z.string().max(16).optional(),
});

export interface TrendWindow {
  range: TrendRange;
  resolution: '1m' | '1h';
  stepSeconds: number;
  from: Date;
  to: Date;
}

/** The window and step of a trend query; the step is at least the roll-up's own resolution and yields ≤ 2,000 points. */
export function trendWindow(range: TrendRange, step: string | undefined, now: Date): TrendWindow {
  const spec = RANGES[range];
  let stepSeconds: number = spec.defaultStep;
  if (step !== undefined) {
    const parsed = parseStep(step);
    if (parsed === null) throw new AppError('VALIDATION_ERROR', 'step must look like 60, 5m, 1h or 1d');
    stepSeconds = parsed;
  }
  const minStep = spec.resolution === '1m' ? 60 : 3600;
  if (stepSeconds < minStep || stepSeconds % minStep !== 0) {
    throw new AppError('VALIDATION_ERROR', `step for range ${range} must be a multiple of ${minStep} s`);
  }
  if (spec.ms / 1000 / stepSeconds > 2000) throw new AppError('VALIDATION_ERROR', 'step is too small for the range');
  return { range, resolution: spec.resolution, stepSeconds, from: new Date(now.getTime() - spec.ms), to: now };
}

export interface TrendPoint {
  ts: string;
  avg_gpu_utilization: number | null;
  avg_gpu_memory_used_mb: number | null;
  avg_gpu_temperature: number | null;
  machines: number;
}

export async function gpuTrend(
  em: EntityManager,
  window: TrendWindow,
): Promise<{ range: TrendRange; step: number; resolution: string; points: TrendPoint[] }> {
  const points = await rows<{
    bucket: Date;
    util: string | null;
    mem: string | null;
    temp: string | null;
    machines: string;
  }>(
    em,
    `select to_timestamp(floor(extract(epoch from s.ts) / ?) * ?) as bucket,
       avg(s.gpu_util) as util, avg(s.gpu_mem_used_mb) as mem, avg(s.gpu_temp) as temp,
       count(distinct s.machine_id) as machines
     from ${table(em, 'metric_samples')} s
     where s.resolution = ? and s.gpu_index is null and s.ts >= ? and s.ts < ?
     group by 1 order by 1`,
    [window.stepSeconds, window.stepSeconds, window.resolution, window.from, window.to],
  );
  const r2 = (v: string | null) => (v === null ? null : Math.round(Number(v) * 100) / 100);
  return {
    range: window.range,
    step: window.stepSeconds,
    resolution: window.resolution,
    points: points.map((p) => ({
      ts: iso(p.bucket)!,
      avg_gpu_utilization: r2(p.util),
      avg_gpu_memory_used_mb: r2(p.mem),
      avg_gpu_temperature: r2(p.temp),
      machines: num(p.machines) ?? 0,
    })),
  };
}
