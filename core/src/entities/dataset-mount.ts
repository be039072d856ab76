import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { DATASET_MOUNT_STATUSES } from '../enums';
import { createdAtColumn, updatedAtColumn } from './columns';
import { Dataset } from './dataset';
import { Machine } from './machine';
import { Tenant } from './tenant';
import { User } from './user';

/**
 * A dataset mounted on a machine. One live mount per (machine, mount point): partial unique index
 * `dataset_mounts_live_mount_point`.
 */
export const DatasetMount = defineEntity({
  name: 'DatasetMount',
  tableName: 'dataset_mounts',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    dataset: p.manyToOne(Dataset).ref().deleteRule('cascade'),
    machine: p.manyToOne(Machine).ref().deleteRule('cascade'),
    tenant: p.manyToOne(Tenant).ref().deleteRule('cascade'),
    mountPoint: p.text(),
    readOnly: p.boolean().default(true),
    status: p.enum([...DATASET_MOUNT_STATUSES]).default('pending'),
    error: p.text().nullable(),
    workflowId: p.string().nullable(),
    createdBy: p.manyToOne(User).ref().nullable().fieldName('created_by').deleteRule('set null'),
    mountedAt: p.datetime().nullable(),
    unmountedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
  uniques: [
    {
      name: 'dataset_mounts_live_mount_point',
      expression: `create unique index "dataset_mounts_live_mount_point" on "dataset_mounts" ("machine_id", "mount_point") where "status" in ('pending', 'mounting', 'mounted', 'unmounting')`,
    },
  ],
  indexes: [
    { name: 'dataset_mounts_dataset_id_index', properties: ['dataset'] },
    { name: 'dataset_mounts_machine_id_index', properties: ['machine'] },
  ],
});
export type IDatasetMount = InferEntity<typeof DatasetMount>;
