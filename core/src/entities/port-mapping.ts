import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { PORT_MAPPING_STATUSES, PORT_PROTOCOLS, PORT_SERVICE_TYPES } from '../enums';
import { Allocation } from './allocation';
import { createdAtColumn, updatedAtColumn } from './columns';
import { Environment } from './environment';
import { Machine } from './machine';

/**
 * A port taken from a host's pool (rules/port-pool). Property `host` (column host_id) is the machine.
 * Active external ports are unique per host: partial unique index `port_mappings_host_external_port_active`.
 */
export const PortMapping = defineEntity({
  name: 'PortMapping',
  tableName: 'port_mappings',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    host: p.manyToOne(Machine).ref().deleteRule('cascade'),
    environment: p.manyToOne(Environment).ref().nullable().deleteRule('set null'),
    allocation: p.manyToOne(Allocation).ref().nullable().deleteRule('set null'),
    serviceType: p.enum([...PORT_SERVICE_TYPES]),
    internalPort: p.integer(),
    externalPort: p.integer(),
    protocol: p.enum([...PORT_PROTOCOLS]).default('tcp'),
    description: p.string().nullable(),
    status: p.enum([...PORT_MAPPING_STATUSES]).default('active'),
    releasedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
  uniques: [
    {
      name: 'port_mappings_host_external_port_active',
      expression: `create unique index "port_mappings_host_external_port_active" on "port_mappings" ("host_id", "external_port") where "status" = 'active'`,
    },
  ],
  checks: [
    { name: 'port_mappings_internal_port_check', expression: '"internal_port" >= 1 and "internal_port" <= 65535' },
    { name: 'port_mappings_external_port_check', expression: '"external_port" >= 1 and "external_port" <= 65535' },
  ],
  indexes: [
    { name: 'port_mappings_host_id_status_index', properties: ['host', 'status'] },
    { name: 'port_mappings_environment_id_status_index', properties: ['environment', 'status'] },
  ],
});
export type IPortMapping = InferEntity<typeof PortMapping>;
