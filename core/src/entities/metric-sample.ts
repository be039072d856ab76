import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { METRIC_RESOLUTIONS } from '../enums';
import { Machine } from './machine';

/**
 * A metrics point. `gpuIndex` null = whole-machine sample (cpu/mem/disk and GPU averages);
 * `resolution` raw samples are rolled up into 1m and 1h rows for trends.
 */
export const MetricSample = defineEntity({
  name: 'MetricSample',
  tableName: 'metric_samples',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement().generated('by default as identity'),
    machine: p.manyToOne(Machine).ref().deleteRule('cascade'),
    gpuIndex: p.integer().nullable(),
    ts: p.datetime(),
    resolution: p.enum([...METRIC_RESOLUTIONS]).default('raw'),
    gpuUtil: p.float().nullable(),
    gpuMemUsedMb: p.float().nullable(),
    gpuTemp: p.float().nullable(),
    gpuPowerW: p.float().nullable(),
    eccUncorrected: p.integer().nullable(),
    cpuUtil: p.float().nullable(),
    memUsedPct: p.float().nullable(),
    diskUsedPct: p.float().nullable(),
  }),
  indexes: [
    { name: 'metric_samples_machine_id_resolution_ts_index', properties: ['machine', 'resolution', 'ts'] },
    { name: 'metric_samples_resolution_ts_index', properties: ['resolution', 'ts'] },
  ],
});
export type IMetricSample = InferEntity<typeof MetricSample>;
