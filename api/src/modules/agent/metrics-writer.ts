// Heartbeats arrive ~200/s for 1,000 hosts: instead of a transaction per heartbeat, the raw samples,
// the GPUs' last values and machines.last_heartbeat_at are buffered and written in three set-based
// statements per flush (every second, or sooner when the buffer is large). Losing at most one second
// of samples on a crash is acceptable for metrics; liveness itself lives in Redis.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { HeartbeatBody } from './heartbeat-schema';
import { table } from '../monitoring/sql';

interface SampleRow {
  machineId: string;
  gpuIndex: number | null;
  ts: Date;
  gpuUtil: number | null;
  gpuMemUsedMb: number | null;
  gpuTemp: number | null;
  gpuPowerW: number | null;
  ecc: number | null;
  cpuUtil: number | null;
  memUsedPct: number | null;
  diskUsedPct: number | null;
}

interface GpuLast {
  machineId: string;
  index: number;
  uuid: string;
  model: string;
  memoryMb: number;
  util: number | null;
  memUsedMb: number | null;
  temp: number | null;
  powerW: number | null;
  ecc: number | null;
}

export interface MetricsWriterOptions {
  flushIntervalMs?: number;
  maxBufferedRows?: number;
}

const avg = (values: (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
};
const round = (v: number | null): number | null => (v === null ? null : Math.round(v));

export class MetricsWriter {
  private samples: SampleRow[] = [];
  private gpus = new Map<string, GpuLast>();
  private machines = new Map<string, { ts: Date; version: string }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly maxRows: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly logger: Logger,
    opts: MetricsWriterOptions = {},
  ) {
    this.maxRows = opts.maxBufferedRows ?? 5000;
    this.timer = setInterval(() => void this.flush(), opts.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Queues one accepted heartbeat; `receivedAt` (server clock) timestamps the samples. */
  add(body: HeartbeatBody, receivedAt: Date): void {
    if (this.closed) return;
    const { metrics } = body;
    const machineId = body.machine_id;
    // The host row carries cpu/mem/disk plus the GPU averages, so fleet trends read one row per host.
    this.samples.push({
      machineId,
      gpuIndex: null,
      ts: receivedAt,
      gpuUtil: avg(metrics.gpus.map((g) => g.util_pct)),
      gpuMemUsedMb: avg(metrics.gpus.map((g) => g.mem_used_mib)),
      gpuTemp: avg(metrics.gpus.map((g) => g.temperature_c)),
      gpuPowerW: avg(metrics.gpus.map((g) => g.power_w)),
      ecc: metrics.gpus.reduce<number | null>(
        (sum, g) => (g.ecc_uncorrected == null ? sum : (sum ?? 0) + g.ecc_uncorrected),
        null,
      ),
      cpuUtil: metrics.cpu_util,
      memUsedPct: metrics.mem_used_pct,
      diskUsedPct: metrics.disk_used_pct,
    });
    for (const g of metrics.gpus) {
      this.samples.push({
        machineId,
        gpuIndex: g.index,
        ts: receivedAt,
        gpuUtil: g.util_pct,
        gpuMemUsedMb: g.mem_used_mib,
        gpuTemp: g.temperature_c,
        gpuPowerW: g.power_w,
        ecc: g.ecc_uncorrected ?? null,
        cpuUtil: null,
        memUsedPct: null,
        diskUsedPct: null,
      });
      this.gpus.set(`${machineId}\u0000${g.index}`, {
        machineId,
        index: g.index,
        uuid: g.uuid,
        model: g.name || 'unknown',
        memoryMb: Math.round(g.mem_total_mib),
        util: g.util_pct,
        memUsedMb: round(g.mem_used_mib),
        temp: g.temperature_c,
        powerW: g.power_w,
        ecc: g.ecc_uncorrected ?? null,
      });
    }
    this.machines.set(machineId, { ts: receivedAt, version: body.agent_version });
    if (this.samples.length >= this.maxRows) void this.flush();
  }

  /** Writes what is buffered; concurrent calls are serialised. Never rejects (errors are logged). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }

  private async writeBuffered(): Promise<void> {
    if (this.samples.length === 0 && this.machines.size === 0) return;
    const samples = this.samples;
    const gpus = [...this.gpus.values()];
    const machines = [...this.machines.entries()];
    this.samples = [];
    this.gpus = new Map();
    this.machines = new Map();
    const em = this.orm.em.fork();
    const conn = em.getConnection();
    try {
      // One JSON parameter per statement: the row set is expanded by jsonb_to_recordset in PostgreSQL.
      if (samples.length > 0) {
        await conn.execute(
          `insert into ${table(em, 'metric_samples')}
             (machine_id, gpu_index, ts, resolution, gpu_util, gpu_mem_used_mb, gpu_temp, gpu_power_w,
              ecc_uncorrected, cpu_util, mem_used_pct, disk_used_pct)
           select v.m, v.g, v.t, 'raw', v.u, v.mu, v.te, v.p, v.e, v.c, v.me, v.d
           from jsonb_to_recordset(?::jsonb) as v(m text, g int, t timestamptz, u real, mu real, te real, p real,
             e int, c real, me real, d real)
           where exists (select 1 from ${table(em, 'machines')} x where x.id = v.m)`,
          [
            JSON.stringify(
              samples.map((s) => ({
                m: s.machineId,
                g: s.gpuIndex,
                t: s.ts.toISOString(),
                u: s.gpuUtil,
                mu: s.gpuMemUsedMb,
                te: s.gpuTemp,
                p: s.gpuPowerW,
                e: s.ecc,
                c: s.cpuUtil,
                me: s.memUsedPct,
                d: s.diskUsedPct,
              })),
            ),
          ],
        );
      }
      if (gpus.length > 0) {
        // GPUs the agent reports join the inventory; ones it stops reporting stay (the gate calls them lost).
        await conn.execute(
          `insert into ${table(em, 'gpu_devices')} as d
             (machine_id, gpu_index, uuid, model, memory_mb, last_util, last_mem_used_mb, last_temp, last_power_w,
              last_ecc_uncorrected, updated_at)
           select v.m, v.i, v.uuid, v.model, v.mem, v.u, v.mu, v.te, v.p, v.e, now()
           from jsonb_to_recordset(?::jsonb) as v(m text, i int, uuid text, model text, mem int, u real, mu int,
             te real, p real, e int)
           where exists (select 1 from ${table(em, 'machines')} x where x.id = v.m)
           on conflict (machine_id, gpu_index) do update set
             uuid = excluded.uuid, last_util = excluded.last_util, last_mem_used_mb = excluded.last_mem_used_mb,
             last_temp = excluded.last_temp, last_power_w = excluded.last_power_w,
             last_ecc_uncorrected = excluded.last_ecc_uncorrected, updated_at = excluded.updated_at`,
          [
            JSON.stringify(
              gpus.map((g) => ({
                m: g.machineId,
                i: g.index,
                uuid: g.uuid,
                model: g.model,
                mem: g.memoryMb,
                u: g.util,
                mu: g.memUsedMb,
                te: g.temp,
                p: g.powerW,
                e: g.ecc,
              })),
            ),
          ],
        );
      }
      if (machines.length > 0) {
        await conn.execute(
          `update ${table(em, 'machines')} m set last_heartbeat_at = v.t, agent_version = v.ver
           from jsonb_to_recordset(?::jsonb) as v(id text, t timestamptz, ver text)
           where m.id = v.id and (m.last_heartbeat_at is null or m.last_heartbeat_at < v.t)`,
          [JSON.stringify(machines.map(([id, v]) => ({ id, t: v.ts.toISOString(), ver: v.version })))],
        );
      }
    } catch (err) {
      this.logger.error({ err, samples: samples.length }, 'metrics flush failed; samples dropped');
    }
  }
}
