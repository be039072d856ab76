// Request validation of the inventory endpoints (zod). Field names follow the requirements' JSON.
import { MACHINE_ALLOCATION_STATUSES, MACHINE_ID_PATTERN, MACHINE_ONLINE_STATUSES } from '@remotegpu/core';
import { z } from 'zod';
import { pagingQuery } from '../../http/paging';

/** The id becomes the host's Temporal task queue `host-<id>` (core MACHINE_ID_PATTERN). */
export const machineIdSchema = z.string().trim().regex(MACHINE_ID_PATTERN, {
  error: 'must be 2-63 lowercase letters, digits or dashes, starting with a letter or digit',
});

const ipSchema = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });
const port = z.coerce.number().int().min(1).max(65535);
const count = z.coerce.number().int().min(0).max(1_000_000);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

/** Editable machine fields (PUT takes any subset; POST requires id, name, ip). */
const machineFields = {
  name: z.string().trim().min(1).max(128),
  region: z.string().trim().min(1).max(64),
  ip: ipSchema,
  ssh_port: port,
  gpu_model: optionalText(128),
  gpu_count: count,
  gpu_memory_gb: count.nullable().optional(),
  cpu_info: optionalText(256),
  memory_total: count.nullable().optional(),
  disk_total: count.nullable().optional(),
  public_domain: optionalText(253),
  public_port: port.nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(64)).max(32),
  remark: optionalText(2000),
};

export const createMachineSchema = z.strictObject({
  id: machineIdSchema,
  ...machineFields,
  region: machineFields.region.default('default'),
  ssh_port: machineFields.ssh_port.default(22),
  gpu_count: machineFields.gpu_count.default(0),
  tags: machineFields.tags.default([]),
});
export type CreateMachineInput = z.infer<typeof createMachineSchema>;

export const updateMachineSchema = z
  .strictObject({
    name: machineFields.name.optional(),
    region: machineFields.region.optional(),
    ip: machineFields.ip.optional(),
    ssh_port: machineFields.ssh_port.optional(),
    gpu_model: machineFields.gpu_model,
    gpu_count: machineFields.gpu_count.optional(),
    gpu_memory_gb: machineFields.gpu_memory_gb,
    cpu_info: machineFields.cpu_info,
    memory_total: machineFields.memory_total,
    disk_total: machineFields.disk_total,
    public_domain: machineFields.public_domain,
    public_port: machineFields.public_port,
    tags: machineFields.tags.optional(),
    remark: machineFields.remark,
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'nothing to update' });
export type UpdateMachineInput = z.infer<typeof updateMachineSchema>;

export const MACHINE_SORT_FIELDS = [
  'id',
  'name',
  'region',
  'ip',
  'status',
  'allocation_status',
  'gpu_model',
  'gpu_count',
  'created_at',
  'updated_at',
  'last_heartbeat_at',
] as const;
export type MachineSortField = (typeof MACHINE_SORT_FIELDS)[number];

const optionalFilter = z.string().trim().min(1).max(128).optional();

/** `sort=name` or `sort=-created_at` (descending); `order=asc|desc` applies when there is no sign. */
export const listMachinesQuerySchema = z
  .object({
    ...pagingQuery.shape,
    gpu_model: optionalFilter,
    status: z.enum(MACHINE_ONLINE_STATUSES).optional(),
    region: optionalFilter,
    allocation_status: z.enum(MACHINE_ALLOCATION_STATUSES).optional(),
    keyword: optionalFilter,
    tenant_id: z.coerce.number().int().positive().optional(),
    sort: z
      .string()
      .trim()
      .regex(new RegExp(`^-?(${MACHINE_SORT_FIELDS.join('|')})$`), {
        error: `must be one of ${MACHINE_SORT_FIELDS.join(', ')} (prefix - for descending)`,
      })
      .optional(),
    order: z.enum(['asc', 'desc']).optional(),
  })
  .transform(({ sort, order, ...rest }) => {
    const descending = sort?.startsWith('-') ?? false;
    const field = (sort?.replace(/^-/, '') ?? 'created_at') as MachineSortField;
    const direction: 'asc' | 'desc' = descending ? 'desc' : (order ?? (sort ? 'asc' : 'desc'));
    return { ...rest, sort: { field, direction } };
  });
export type ListMachinesQuery = z.infer<typeof listMachinesQuerySchema>;
