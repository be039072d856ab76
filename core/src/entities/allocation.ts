import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { ALLOCATION_STATUSES } from '../enums';
import { createdAtColumn, updatedAtColumn } from './columns';
import { Machine } from './machine';
import { Tenant } from './tenant';
import { User } from './user';

/**
 * A lease of one machine to one tenant (id `alloc-…`). At most one allocation per machine is live
 * (pending | active | reclaiming): partial unique index `allocations_one_live_per_machine`.
 */
export const Allocation = defineEntity({
  name: 'Allocation',
  tableName: 'allocations',
  properties: (p) => ({
    id: p.string().primary(),
    tenant: p.manyToOne(Tenant).ref().deleteRule('restrict'),
    machine: p.manyToOne(Machine).ref().deleteRule('restrict'),
    status: p.enum([...ALLOCATION_STATUSES]).default('pending'),
    startsAt: p.datetime(),
    expiresAt: p.datetime(),
    durationMonths: p.integer(),
    remark: p.text().nullable(),
    /** The tenant's unix user on the host (rules/unix-user `tenantUnixUser`). */
    unixUser: p.string(),
    createdBy: p.manyToOne(User).ref().nullable().fieldName('created_by').deleteRule('set null'),
    reclaimReason: p.text().nullable(),
    error: p.text().nullable(),
    activatedAt: p.datetime().nullable(),
    reclaimedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
  uniques: [
    {
      name: 'allocations_one_live_per_machine',
      expression: `create unique index "allocations_one_live_per_machine" on "allocations" ("machine_id") where "status" in ('pending', 'active', 'reclaiming')`,
    },
  ],
  checks: [
    { name: 'allocations_duration_months_check', expression: '"duration_months" > 0' },
    { name: 'allocations_expires_after_start', expression: '"expires_at" > "starts_at"' },
  ],
  indexes: [
    { name: 'allocations_tenant_id_status_index', properties: ['tenant', 'status'] },
    { name: 'allocations_machine_id_index', properties: ['machine'] },
  ],
});
export type IAllocation = InferEntity<typeof Allocation>;
