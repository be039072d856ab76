// GET /api/v1/customer/machines/:id/metrics?range=1h|24h|7d|30d: a customer's own machine's GPU and host
// history from the roll-ups, plus the latest heartbeat. A machine not held by the caller's tenant (live
// allocation) is not found, exactly like one that does not exist.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { Router } from 'express';
import { LIVE_ALLOCATION_STATUSES } from '@remotegpu/core';
import { machineMetricsKey, type MachineMetricsSnapshot } from '@remotegpu/core/contracts';
import { z } from 'zod';
import { callerTenantId } from '../../auth/guards';
import { sendOk } from '../../http/envelope';
import { AppError } from '../../http/errors';
import { trendWindow, type TrendRange } from '../dashboard/dashboard-service';
import { iso, num, rows, table } from '../monitoring/sql';

const query = z.object({
  range: z.enum(['1h', '24h', '7d', '30d']).default('1h'),
  step: z.string().max(16).optional(),
});

interface SeriesRow {
  bucket: Date;
  gpu_index: number | null;
  gpu_util: string | null;
  gpu_mem_used_mb: string | null;
  gpu_temp: string | null;
  gpu_power_w: string | null;
  cpu_util: string | null;
  mem_used_pct: string | null;
  disk_used_pct: string | null;
}

const r2 = (v: unknown) => {
  const n = num(v);
  return n === null ? null : Math.round(n * 100) / 100;
};

export async function tenantMachineMetrics(
  em: EntityManager,
  redis: Redis,
  tenantId: number,
  machineId: string,
  range: TrendRange,
  step: string | undefined,
  now: Date,
) {
  const [owned] = await rows<{ id: string }>(
    em,
    `select m.id from ${table(em, 'machines')} m
     join ${table(em, 'allocations')} a on a.machine_id = m.id and a.status in (?) and a.tenant_id = ?
     where m.id = ? and m.deleted_at is null`,
    [[...LIVE_ALLOCATION_STATUSES], tenantId, machineId],
  );
  if (!owned) throw AppError.notFound('machine');
  const window = trendWindow(range, step, now);
  const series = await rows<SeriesRow>(
    em,
    `select to_timestamp(floor(extract(epoch from ts) / ?) * ?) as bucket, gpu_index,
       avg(gpu_util) as gpu_util, avg(gpu_mem_used_mb) as gpu_mem_used_mb, avg(gpu_temp) as gpu_temp,
       avg(gpu_power_w) as gpu_power_w, avg(cpu_util) as cpu_util, avg(mem_used_pct) as mem_used_pct,
       avg(disk_used_pct) as disk_used_pct
     from ${table(em, 'metric_samples')}
     where machine_id = ? and resolution = ? and ts >= ? and ts < ?
     group by 1, 2 order by 2 nulls first, 1`,
    [window.stepSeconds, window.stepSeconds, machineId, window.resolution, window.from, window.to],
  );
  const latestJson = await redis.get(machineMetricsKey(machineId));
  const latest = latestJson ? (JSON.parse(latestJson) as MachineMetricsSnapshot) : null;
  const gpus = new Map<number, { gpu_index: number; points: object[] }>();
  const host: object[] = [];
  for (const row of series) {
    const ts = iso(row.bucket);
    if (row.gpu_index === null) {
      host.push({
        ts,
        cpu_util: r2(row.cpu_util),
        mem_used_pct: r2(row.mem_used_pct),
        disk_used_pct: r2(row.disk_used_pct),
        gpu_util: r2(row.gpu_util),
      });
      continue;
    }
    const index = Number(row.gpu_index);
    if (!gpus.has(index)) gpus.set(index, { gpu_index: index, points: [] });
    gpus.get(index)!.points.push({
      ts,
      gpu_util: r2(row.gpu_util),
      gpu_mem_used_mb: r2(row.gpu_mem_used_mb),
      gpu_temp: r2(row.gpu_temp),
      gpu_power_w: r2(row.gpu_power_w),
    });
  }
  return {
    machine_id: machineId,
    range,
    step: window.stepSeconds,
    resolution: window.resolution,
    latest: latest && {
      ts: Math.floor(latest.received_at / 1000),
      cpu_util: latest.cpu_util,
      mem_used_pct: latest.mem_used_pct,
      disk_used_pct: latest.disk_used_pct,
      gpus: latest.gpus.map((g) => ({
        index: g.index,
        name: g.name,
        util_pct: g.util_pct,
        mem_used_mib: g.mem_used_mib,
        mem_total_mib: g.mem_total_mib,
        temperature_c: g.temperature_c,
        power_w: g.power_w,
      })),
    },
    host,
    gpus: [...gpus.values()],
  };
}

export function customerMetricsRoutes(redis: Redis, now: () => Date): Router {
  const router = Router();
  router.get('/:id/metrics', async (req, res) => {
    const q = query.parse(req.query);
    const machineId = String(req.params.id);
    sendOk(res, await tenantMachineMetrics(req.em, redis, callerTenantId(req), machineId, q.range, q.step, now()));
  });
  return router;
}
