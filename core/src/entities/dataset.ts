import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { DATASET_STATUSES } from '../enums';
import { createdAtColumn, updatedAtColumn } from './columns';
import { Tenant } from './tenant';
import { User } from './user';

/** A tenant's dataset in object storage (multipart upload → verify → ready). */
export const Dataset = defineEntity({
  name: 'Dataset',
  tableName: 'datasets',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    tenant: p.manyToOne(Tenant).ref().deleteRule('restrict'),
    name: p.string(),
    description: p.text().nullable(),
    filename: p.string(),
    bucket: p.string(),
    objectKey: p.text(),
    sizeBytes: p.bigint('number').default(0),
    md5: p.string().nullable(),
    /** S3 multipart upload id while uploading (API `upload_id`). */
    uploadId: p.string().nullable(),
    chunkSize: p.integer().nullable(),
    status: p.enum([...DATASET_STATUSES]).default('uploading'),
    error: p.text().nullable(),
    createdBy: p.manyToOne(User).ref().nullable().fieldName('created_by').deleteRule('set null'),
    readyAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
    deletedAt: p.datetime().nullable(),
  }),
  checks: [{ name: 'datasets_size_bytes_check', expression: '"size_bytes" >= 0' }],
  indexes: [{ name: 'datasets_tenant_id_status_index', properties: ['tenant', 'status'] }],
  uniques: [{ name: 'datasets_object_key_unique', properties: ['objectKey'] }],
});
export type IDataset = InferEntity<typeof Dataset>;
