// The live fleet view: every machine's status from PostgreSQL joined with its latest heartbeat metrics
// from Redis (machine:metrics:<id>). Serves /admin/monitoring/realtime (cached in Redis for 30 s) and
// the WebSocket monitoring_update push (tenant-filtered per client).
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { LIVE_ALLOCATION_STATUSES } from '@remotegpu/core';
import { FLEET_REALTIME_CACHE_KEY, machineMetricsKey, type MachineMetricsSnapshot } from '@remotegpu/core/contracts';
import { rows, table } from './sql';

export const REALTIME_SNAPSHOT_TTL_SECONDS = 30;

export interface LiveGpu {
  index: number;
  name: string;
  util_pct: number | null;
  mem_used_mib: number | null;
  mem_total_mib: number;
  temperature_c: number | null;
  power_w: number | null;
}

export interface LiveMachine {
  machine_id: string;
  name: string;
  status: 'online' | 'offline';
  allocation_status: string;
  health_status: string;
  /** Tenant of the machine's live allocation; null when unallocated. */
  tenant_id: number | null;
  gpu_count: number;
  gpu_model: string | null;
  /** Average GPU utilisation (%) of the latest heartbeat. */
  gpu_util: number | null;
  /** Summed GPU memory in use (MiB). */
  gpu_mem: number | null;
  gpu_mem_total: number | null;
  cpu_util: number | null;
  mem_used_pct: number | null;
  disk_used_pct: number | null;
  /** Unix seconds of the latest heartbeat's metrics; null when none. */
  ts: number | null;
  gpus: LiveGpu[];
}

export interface FleetSnapshot {
  generated_at: string;
  summary: {
    total_machines: number;
    online_machines: number;
    offline_machines: number;
    total_gpus: number;
    avg_gpu_utilization: number | null;
  };
  machines: LiveMachine[];
}

interface MachineRow {
  id: string;
  name: string;
  status: 'online' | 'offline';
  allocation_status: string;
  health_status: string;
  gpu_count: number;
  gpu_model: string | null;
  tenant_id: number | null;
}

const mean = (values: (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
};
const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);

export class FleetSnapshotService {
  constructor(
    private readonly orm: MikroORM,
    private readonly redis: Redis,
    private readonly now: () => Date,
  ) {}

  /** Computed now from PostgreSQL + Redis. `machineIdPrefix` narrows it (tests). */
  async compute(machineIdPrefix?: string): Promise<FleetSnapshot> {
    const em = this.orm.em.fork();
    const machines = await rows<MachineRow>(
      em,
      `select m.id, m.name, m.status, m.allocation_status, m.health_status, m.gpu_count, m.gpu_model, al.tenant_id
       from ${table(em, 'machines')} m
       left join ${table(em, 'allocations')} al on al.machine_id = m.id and al.status in (?)
       where m.deleted_at is null and m.id like ?
       order by m.id`,
      [[...LIVE_ALLOCATION_STATUSES], `${(machineIdPrefix ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
    );
    const snapshots =
      machines.length === 0 ? [] : await this.redis.mget(...machines.map((m) => machineMetricsKey(m.id)));
    const live: LiveMachine[] = machines.map((m, i) => {
      const json = snapshots[i];
      const s = json ? (JSON.parse(json) as MachineMetricsSnapshot) : null;
      const gpus = s?.gpus ?? [];
      return {
        machine_id: m.id,
        name: m.name,
        status: m.status,
        allocation_status: m.allocation_status,
        health_status: m.health_status,
        tenant_id: m.tenant_id === null ? null : Number(m.tenant_id),
        gpu_count: Number(m.gpu_count),
        gpu_model: m.gpu_model,
        gpu_util: s ? round1(mean(gpus.map((g) => g.util_pct))) : null,
        gpu_mem: s ? gpus.reduce((sum, g) => sum + (g.mem_used_mib ?? 0), 0) : null,
        gpu_mem_total: s ? gpus.reduce((sum, g) => sum + g.mem_total_mib, 0) : null,
        cpu_util: s?.cpu_util ?? null,
        mem_used_pct: s?.mem_used_pct ?? null,
        disk_used_pct: s?.disk_used_pct ?? null,
        ts: s ? Math.floor(s.received_at / 1000) : null,
        gpus: gpus.map((g) => ({
          index: g.index,
          name: g.name,
          util_pct: g.util_pct,
          mem_used_mib: g.mem_used_mib,
          mem_total_mib: g.mem_total_mib,
          temperature_c: g.temperature_c,
          power_w: g.power_w,
        })),
      };
    });
    const online = live.filter((m) => m.status === 'online');
    return {
      generated_at: this.now().toISOString(),
      summary: {
        total_machines: live.length,
        online_machines: online.length,
        offline_machines: live.length - online.length,
        total_gpus: live.reduce((sum, m) => sum + m.gpu_count, 0),
        avg_gpu_utilization: round1(mean(online.map((m) => m.gpu_util))),
      },
      machines: live,
    };
  }

  /** The admin realtime view: served from the Redis cache when younger than 30 s. */
  async realtime(): Promise<FleetSnapshot & { cached: boolean }> {
    const cached = await this.redis.get(FLEET_REALTIME_CACHE_KEY);
    if (cached) return { ...(JSON.parse(cached) as FleetSnapshot), cached: true };
    const fresh = await this.compute();
    await this.redis.set(FLEET_REALTIME_CACHE_KEY, JSON.stringify(fresh), 'EX', REALTIME_SNAPSHOT_TTL_SECONDS);
    return { ...fresh, cached: false };
  }
}
