import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { MACHINE_ALLOCATION_STATUSES, MACHINE_HEALTH_STATUSES, MACHINE_ONLINE_STATUSES } from '../enums';
import { createdAtColumn, updatedAtColumn } from './columns';

/**
 * A whole GPU host. The id (see rules/validators `isValidMachineId`) names its Temporal task queue `host-<id>`.
 * `status` is liveness (heartbeats); `allocationStatus` is the rental state machine (state/machine-allocation).
 * Soft-deleted rows keep `deletedAt`; (ip, sshPort) is unique among the others.
 */
export const Machine = defineEntity({
  name: 'Machine',
  tableName: 'machines',
  properties: (p) => ({
    id: p.string().primary(),
    name: p.string(),
    region: p.string().default('default'),
    /** Address the control plane / web terminal reaches sshd at. */
    ip: p.string(),
    sshPort: p.integer().default(22),
    /** Address the agent reports from (may differ from ip behind NAT). */
    agentHostAddress: p.string().nullable(),
    agentVersion: p.string().nullable(),
    gpuModel: p.string().nullable(),
    gpuCount: p.integer().default(0),
    gpuMemoryGb: p.integer().nullable(),
    cpuInfo: p.string().nullable(),
    memoryTotalGb: p.integer().nullable(),
    diskTotalGb: p.integer().nullable(),
    status: p.enum([...MACHINE_ONLINE_STATUSES]).default('offline'),
    allocationStatus: p.enum([...MACHINE_ALLOCATION_STATUSES]).default('idle'),
    healthStatus: p.enum([...MACHINE_HEALTH_STATUSES]).default('unknown'),
    healthNotes: p.text().nullable(),
    lastHeartbeatAt: p.datetime().nullable(),
    /** Public entry (nginx stream) for SSH: `ssh -p publicPort user@publicDomain`. */
    publicDomain: p.string().nullable(),
    publicPort: p.integer().nullable(),
    tags: p.json<string[]>().default('[]'),
    remark: p.text().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
    deletedAt: p.datetime().nullable(),
  }),
  indexes: [{ name: 'machines_allocation_status_index', properties: ['allocationStatus'] }],
  checks: [
    { name: 'machines_id_format', expression: `"id" ~ '^[a-z0-9][a-z0-9-]{1,62}$'` },
    { name: 'machines_ssh_port_check', expression: '"ssh_port" >= 1 and "ssh_port" <= 65535' },
    { name: 'machines_public_port_check', expression: '"public_port" >= 1 and "public_port" <= 65535' },
    { name: 'machines_gpu_count_check', expression: '"gpu_count" >= 0' },
  ],
  uniques: [
    { name: 'machines_public_domain_public_port_unique', properties: ['publicDomain', 'publicPort'] },
    {
      name: 'machines_ip_ssh_port_live',
      expression:
        'create unique index "machines_ip_ssh_port_live" on "machines" ("ip", "ssh_port") where "deleted_at" is null',
    },
  ],
});
export type IMachine = InferEntity<typeof Machine>;
