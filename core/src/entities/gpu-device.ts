import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { updatedAtColumn } from './columns';
import { Machine } from './machine';

/** One GPU of a machine, refreshed from nvidia-smi by the agent (last_* = latest sample). */
export const GpuDevice = defineEntity({
  name: 'GpuDevice',
  tableName: 'gpu_devices',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    machine: p.manyToOne(Machine).ref().deleteRule('cascade'),
    /** nvidia-smi index; column `gpu_index` (INDEX is an SQL keyword). */
    index: p.integer().fieldName('gpu_index'),
    uuid: p.string().nullable(),
    model: p.string(),
    memoryMb: p.integer().nullable(),
    lastUtil: p.float().nullable(),
    lastMemUsedMb: p.integer().nullable(),
    lastTemp: p.float().nullable(),
    lastPowerW: p.float().nullable(),
    lastEccUncorrected: p.integer().nullable(),
    updatedAt: updatedAtColumn(),
  }),
  checks: [{ name: 'gpu_devices_gpu_index_check', expression: '"gpu_index" >= 0' }],
  uniques: [{ name: 'gpu_devices_machine_id_gpu_index_unique', properties: ['machine', 'index'] }],
});
export type IGpuDevice = InferEntity<typeof GpuDevice>;
