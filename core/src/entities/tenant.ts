import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { TENANT_STATUSES } from '../enums';
import { createdAtColumn, updatedAtColumn } from './columns';

/** A customer company (租户). `companyCode` is its stable short name; the tenant's unix user derives from it. */
export const Tenant = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    name: p.string(),
    companyCode: p.string().unique(),
    status: p.enum([...TENANT_STATUSES]).default('active'),
    contactName: p.string().nullable(),
    contactEmail: p.string().nullable(),
    contactPhone: p.string().nullable(),
    remark: p.text().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
});
export type ITenant = InferEntity<typeof Tenant>;
