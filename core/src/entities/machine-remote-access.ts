import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { PORT_PROTOCOLS } from '../enums';
import { createdAtColumn, updatedAtColumn } from './columns';
import { Machine } from './machine';

/** Public entry of a machine through nginx stream (public_domain:public_port → host:target_port). */
export const MachineRemoteAccess = defineEntity({
  name: 'MachineRemoteAccess',
  tableName: 'machine_remote_access',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    machine: p.manyToOne(Machine).ref().deleteRule('cascade'),
    enabled: p.boolean().default(false),
    protocol: p.enum([...PORT_PROTOCOLS]).default('tcp'),
    publicDomain: p.string(),
    publicPort: p.integer(),
    targetPort: p.integer().nullable(),
    extraPorts: p.string().nullable(),
    remark: p.text().nullable(),
    nginxSynced: p.boolean().default(false),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
  indexes: [{ name: 'machine_remote_access_machine_id_index', properties: ['machine'] }],
  checks: [
    { name: 'machine_remote_access_public_port_check', expression: '"public_port" >= 1 and "public_port" <= 65535' },
    { name: 'machine_remote_access_target_port_check', expression: '"target_port" >= 1 and "target_port" <= 65535' },
  ],
  uniques: [
    { name: 'machine_remote_access_public_domain_public_port_unique', properties: ['publicDomain', 'publicPort'] },
  ],
});
export type IMachineRemoteAccess = InferEntity<typeof MachineRemoteAccess>;
