// Prometheus fleet gauges on the API's /metrics, computed at scrape time from PostgreSQL:
// machines by online status and allocation status, GPUs by utilisation bucket (latest heartbeat).
import type { MikroORM } from '@mikro-orm/postgresql';
import { Gauge, type Registry } from 'prom-client';
import { gpuUtilBucket, MACHINE_ALLOCATION_STATUSES, MACHINE_ONLINE_STATUSES } from '@remotegpu/core';
import { num, rows, table } from '../monitoring/sql';

const UTIL_BUCKETS = ['unknown', 'idle', 'low', 'medium', 'high'] as const;

export function registerFleetCollectors(registry: Registry, orm: MikroORM): void {
  new Gauge({
    name: 'remotegpu_machines',
    help: 'Machines by online status and allocation status',
    labelNames: ['status', 'allocation_status'] as const,
    registers: [registry],
    async collect() {
      const em = orm.em.fork();
      const counts = await rows<{ status: string; allocation_status: string; n: string }>(
        em,
        `select status, allocation_status, count(*) as n from ${table(em, 'machines')}
         where deleted_at is null group by 1, 2`,
      );
      this.reset();
      // Zero series for every combination, so dashboards do not lose a line when a count drops to 0.
      for (const status of MACHINE_ONLINE_STATUSES) {
        for (const allocation of MACHINE_ALLOCATION_STATUSES) this.set({ status, allocation_status: allocation }, 0);
      }
      for (const c of counts) this.set({ status: c.status, allocation_status: c.allocation_status }, Number(c.n));
    },
  });
  new Gauge({
    name: 'remotegpu_gpus',
    help: 'GPUs of online machines by utilisation bucket (idle <5%, low <40%, medium <80%, high)',
    labelNames: ['bucket'] as const,
    registers: [registry],
    async collect() {
      const em = orm.em.fork();
      const gpus = await rows<{ last_util: string | null }>(
        em,
        `select g.last_util from ${table(em, 'gpu_devices')} g join ${table(em, 'machines')} m on m.id = g.machine_id
         where m.deleted_at is null and m.status = 'online'`,
      );
      const counts = Object.fromEntries(UTIL_BUCKETS.map((b) => [b, 0])) as Record<
        (typeof UTIL_BUCKETS)[number],
        number
      >;
      for (const g of gpus) counts[gpuUtilBucket(num(g.last_util))] += 1;
      this.reset();
      for (const bucket of UTIL_BUCKETS) this.set({ bucket }, counts[bucket]);
    },
  });
  new Gauge({
    name: 'remotegpu_alerts_open',
    help: 'Alerts not resolved, by severity',
    labelNames: ['severity'] as const,
    registers: [registry],
    async collect() {
      const em = orm.em.fork();
      const counts = await rows<{ severity: string; n: string }>(
        em,
        `select severity, count(*) as n from ${table(em, 'alerts')} where status <> 'resolved' group by 1`,
      );
      this.reset();
      for (const severity of ['info', 'warning', 'critical']) this.set({ severity }, 0);
      for (const c of counts) this.set({ severity: c.severity }, Number(c.n));
    },
  });
}
