import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { OPERATION_STATUSES, type OperationKind, type OperationStep } from '../enums';
import { Allocation } from './allocation';
import { createdAtColumn, updatedAtColumn } from './columns';
import { Machine } from './machine';
import { Tenant } from './tenant';
import { User } from './user';

/** One user/system request carried out by a workflow: what the API returns as task_id / job_id. */
export const Operation = defineEntity({
  name: 'Operation',
  tableName: 'operations',
  properties: (p) => ({
    id: p.string().primary(),
    kind: p.string().$type<OperationKind>(),
    machine: p.manyToOne(Machine).ref().nullable().deleteRule('set null'),
    allocation: p.manyToOne(Allocation).ref().nullable().deleteRule('set null'),
    tenant: p.manyToOne(Tenant).ref().nullable().deleteRule('set null'),
    workflowId: p.string(),
    runId: p.string().nullable(),
    status: p.enum([...OPERATION_STATUSES]).default('pending'),
    steps: p.json<OperationStep[]>().default('[]'),
    input: p.json<Record<string, unknown>>().nullable(),
    result: p.json<Record<string, unknown>>().nullable(),
    error: p.text().nullable(),
    requestedBy: p.manyToOne(User).ref().nullable().fieldName('requested_by').deleteRule('set null'),
    finishedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
  indexes: [
    { name: 'operations_workflow_id_index', properties: ['workflowId'] },
    { name: 'operations_machine_id_created_at_index', properties: ['machine', 'createdAt'] },
    { name: 'operations_tenant_id_created_at_index', properties: ['tenant', 'createdAt'] },
  ],
});
export type IOperation = InferEntity<typeof Operation>;
