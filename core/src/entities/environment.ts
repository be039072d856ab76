import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { CONTAINER_STATUSES } from '../enums';
import { createdAtColumn, updatedAtColumn } from './columns';
import { Machine } from './machine';
import { Tenant } from './tenant';
import { User } from './user';

export interface EnvironmentMount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** A container environment on a host (state/container: creating → running ⇄ stopped → deleted | error). */
export const Environment = defineEntity({
  name: 'Environment',
  tableName: 'environments',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    tenant: p.manyToOne(Tenant).ref().deleteRule('restrict'),
    machine: p.manyToOne(Machine).ref().deleteRule('restrict'),
    name: p.string(),
    /** `name:tag`, checked against the images allow-list. */
    image: p.string(),
    status: p.enum([...CONTAINER_STATUSES]).default('creating'),
    containerId: p.string().nullable(),
    containerName: p.string().nullable(),
    gpuIndices: p.json<number[]>().default('[]'),
    cpuCores: p.integer().nullable(),
    memoryLimitMb: p.integer().nullable(),
    desktopEnabled: p.boolean().default(false),
    envVars: p.json<Record<string, string>>().default('{}'),
    mounts: p.json<EnvironmentMount[]>().default('[]'),
    workflowId: p.string().nullable(),
    error: p.text().nullable(),
    createdBy: p.manyToOne(User).ref().nullable().fieldName('created_by').deleteRule('set null'),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
  indexes: [
    { name: 'environments_tenant_id_index', properties: ['tenant'] },
    { name: 'environments_machine_id_index', properties: ['machine'] },
  ],
});
export type IEnvironment = InferEntity<typeof Environment>;
