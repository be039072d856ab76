import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { TASK_KINDS, TASK_STATUSES } from '../enums';
import { createdAtColumn, updatedAtColumn } from './columns';
import { Environment } from './environment';
import { Machine } from './machine';
import { Tenant } from './tenant';
import { User } from './user';

/** A training task / command run on a host as the tenant's user (or inside its environment). */
export const Task = defineEntity({
  name: 'Task',
  tableName: 'tasks',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    tenant: p.manyToOne(Tenant).ref().deleteRule('restrict'),
    machine: p.manyToOne(Machine).ref().deleteRule('restrict'),
    environment: p.manyToOne(Environment).ref().nullable().deleteRule('set null'),
    kind: p.enum([...TASK_KINDS]).default('training'),
    name: p.string(),
    command: p.text(),
    workingDir: p.text().nullable(),
    envVars: p.json<Record<string, string>>().default('{}'),
    status: p.enum([...TASK_STATUSES]).default('pending'),
    exitCode: p.integer().nullable(),
    /** Object key of the full log in object storage. */
    logObjectKey: p.text().nullable(),
    workflowId: p.string().nullable(),
    error: p.text().nullable(),
    createdBy: p.manyToOne(User).ref().nullable().fieldName('created_by').deleteRule('set null'),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
  indexes: [
    { name: 'tasks_tenant_id_status_index', properties: ['tenant', 'status'] },
    { name: 'tasks_machine_id_status_index', properties: ['machine', 'status'] },
  ],
});
export type ITask = InferEntity<typeof Task>;
