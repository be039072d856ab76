// Machines as plain objects: the admin inventory list (filters, paging, sort), one machine with its
// GPUs and current allocation, inserts (single and bulk), updates and soft delete.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import {
  LIVE_ALLOCATION_STATUSES,
  type MachineAllocationStatus,
  type MachineHealthStatus,
  type MachineOnlineStatus,
} from '@remotegpu/core';
import { hostTaskQueue } from '@remotegpu/core/contracts';
import type { Page } from '../../http/envelope';
import type { CreateMachineInput, ListMachinesQuery, MachineSortField, UpdateMachineInput } from './machine-schemas';
import { containsPattern, iso, pageOffset, run, sqlOf } from './sql';

/** One row of `GET /admin/machines` (requirements §3.2.2) plus the fields the portal shows. */
export interface AdminMachineView {
  id: string;
  name: string;
  region: string;
  status: MachineOnlineStatus;
  allocation_status: MachineAllocationStatus;
  health_status: MachineHealthStatus;
  ip: string;
  ssh_port: number;
  gpu_info: { model: string | null; count: number; memory: string | null };
  cpu_info: string | null;
  memory_total: number | null;
  disk_total: number | null;
  public_domain: string | null;
  public_port: number | null;
  agent_version: string | null;
  last_heartbeat_at: string | null;
  tags: string[];
  remark: string | null;
  task_queue: string;
  tenant_id: number | null;
  tenant_name: string | null;
  allocation_id: string | null;
  expires_at: string | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface GpuDeviceView {
  index: number;
  uuid: string | null;
  model: string;
  memory_mb: number | null;
  utilization: number | null;
  memory_used_mb: number | null;
  temperature: number | null;
  power_w: number | null;
  ecc_uncorrected: number | null;
  updated_at: string | null;
}

export interface CurrentAllocationView {
  id: string;
  tenant_id: number;
  tenant_name: string;
  status: string;
  starts_at: string | null;
  expires_at: string | null;
  unix_user: string;
  remark: string | null;
}

interface MachineRow {
  id: string;
  name: string;
  region: string;
  status: MachineOnlineStatus;
  allocation_status: MachineAllocationStatus;
  health_status: MachineHealthStatus;
  ip: string;
  ssh_port: number;
  gpu_model: string | null;
  gpu_count: number;
  gpu_memory_gb: number | null;
  cpu_info: string | null;
  memory_total_gb: number | null;
  disk_total_gb: number | null;
  public_domain: string | null;
  public_port: number | null;
  agent_version: string | null;
  last_heartbeat_at: Date | null;
  tags: string[] | string | null;
  remark: string | null;
  created_at: Date | null;
  updated_at: Date | null;
  tenant_id: number | null;
  tenant_name: string | null;
  allocation_id: string | null;
  allocation_status_live: string | null;
  allocation_starts_at: Date | null;
  expires_at: Date | null;
  unix_user: string | null;
  allocation_remark: string | null;
}

const SORT_COLUMNS: Record<MachineSortField, string> = {
  id: 'm.id',
  name: 'm.name',
  region: 'm.region',
  ip: 'm.ip',
  status: 'm.status',
  allocation_status: 'm.allocation_status',
  gpu_model: 'm.gpu_model',
  gpu_count: 'm.gpu_count',
  created_at: 'm.created_at',
  updated_at: 'm.updated_at',
  last_heartbeat_at: 'm.last_heartbeat_at',
};

/** Machines (not deleted) joined with their live allocation and its tenant. */
function baseQuery(em: EntityManager): Knex.QueryBuilder {
  const { knex, table } = sqlOf(em);
  return knex
    .from(table('machines', 'm'))
    .leftJoin(table('allocations', 'a'), function joinLive() {
      this.on('a.machine_id', '=', 'm.id').onIn('a.status', [...LIVE_ALLOCATION_STATUSES]);
    })
    .leftJoin(table('tenants', 't'), 't.id', 'a.tenant_id')
    .whereNull('m.deleted_at');
}

const SELECT_COLUMNS = [
  'm.id',
  'm.name',
  'm.region',
  'm.status',
  'm.allocation_status',
  'm.health_status',
  'm.ip',
  'm.ssh_port',
  'm.gpu_model',
  'm.gpu_count',
  'm.gpu_memory_gb',
  'm.cpu_info',
  'm.memory_total_gb',
  'm.disk_total_gb',
  'm.public_domain',
  'm.public_port',
  'm.agent_version',
  'm.last_heartbeat_at',
  'm.tags',
  'm.remark',
  'm.created_at',
  'm.updated_at',
  'a.tenant_id',
  't.name as tenant_name',
  'a.id as allocation_id',
  'a.status as allocation_status_live',
  'a.starts_at as allocation_starts_at',
  'a.expires_at',
  'a.unix_user',
  'a.remark as allocation_remark',
];

function toView(row: MachineRow): AdminMachineView {
  const tags = typeof row.tags === 'string' ? (JSON.parse(row.tags) as string[]) : (row.tags ?? []);
  return {
    id: row.id,
    name: row.name,
    region: row.region,
    status: row.status,
    allocation_status: row.allocation_status,
    health_status: row.health_status,
    ip: row.ip,
    ssh_port: row.ssh_port,
    gpu_info: {
      model: row.gpu_model,
      count: row.gpu_count,
      memory: row.gpu_memory_gb === null ? null : `${row.gpu_memory_gb}GB`,
    },
    cpu_info: row.cpu_info,
    memory_total: row.memory_total_gb,
    disk_total: row.disk_total_gb,
    public_domain: row.public_domain,
    public_port: row.public_port,
    agent_version: row.agent_version,
    last_heartbeat_at: iso(row.last_heartbeat_at),
    tags,
    remark: row.remark,
    task_queue: hostTaskQueue(row.id),
    tenant_id: row.tenant_id,
    tenant_name: row.tenant_name,
    allocation_id: row.allocation_id,
    expires_at: iso(row.expires_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export async function listMachines(em: EntityManager, q: ListMachinesQuery): Promise<Page<AdminMachineView>> {
  const filtered = baseQuery(em);
  if (q.gpu_model) filtered.whereILike('m.gpu_model', containsPattern(q.gpu_model));
  if (q.status) filtered.where('m.status', q.status);
  if (q.region) filtered.where('m.region', q.region);
  if (q.allocation_status) filtered.where('m.allocation_status', q.allocation_status);
  if (q.tenant_id) filtered.where('a.tenant_id', q.tenant_id);
  if (q.keyword) {
    const pattern = containsPattern(q.keyword);
    filtered.where((w) =>
      w
        .whereILike('m.id', pattern)
        .orWhereILike('m.name', pattern)
        .orWhereILike('m.ip', pattern)
        .orWhereILike('m.remark', pattern)
        .orWhereILike('t.name', pattern),
    );
  }
  const [countRows, rows] = await Promise.all([
    run<{ total: string | number }>(em, filtered.clone().count({ total: '*' })),
    run<MachineRow>(
      em,
      filtered
        .clone()
        .select(SELECT_COLUMNS)
        .orderBy([{ column: SORT_COLUMNS[q.sort.field], order: q.sort.direction, nulls: 'last' }, { column: 'm.id' }])
        .limit(q.page_size)
        .offset(pageOffset(q)),
    ),
  ]);
  return { list: rows.map(toView), total: Number(countRows[0]?.total ?? 0), page: q.page, page_size: q.page_size };
}

export interface MachineWithAllocation {
  machine: AdminMachineView;
  currentAllocation: CurrentAllocationView | null;
}

export async function findMachine(em: EntityManager, id: string): Promise<MachineWithAllocation | null> {
  const [row] = await run<MachineRow>(em, baseQuery(em).select(SELECT_COLUMNS).where('m.id', id));
  if (!row) return null;
  return {
    machine: toView(row),
    currentAllocation: row.allocation_id
      ? {
          id: row.allocation_id,
          tenant_id: row.tenant_id!,
          tenant_name: row.tenant_name ?? '',
          status: row.allocation_status_live ?? 'pending',
          starts_at: iso(row.allocation_starts_at),
          expires_at: iso(row.expires_at),
          unix_user: row.unix_user ?? '',
          remark: row.allocation_remark,
        }
      : null,
  };
}

export async function listGpuDevices(em: EntityManager, machineId: string): Promise<GpuDeviceView[]> {
  const { knex, table } = sqlOf(em);
  const rows = await run<{
    gpu_index: number;
    uuid: string | null;
    model: string;
    memory_mb: number | null;
    last_util: number | null;
    last_mem_used_mb: number | null;
    last_temp: number | null;
    last_power_w: number | null;
    last_ecc_uncorrected: number | null;
    updated_at: Date | null;
  }>(em, knex.from(table('gpu_devices')).where('machine_id', machineId).orderBy('gpu_index'));
  return rows.map((r) => ({
    index: r.gpu_index,
    uuid: r.uuid,
    model: r.model,
    memory_mb: r.memory_mb,
    utilization: r.last_util,
    memory_used_mb: r.last_mem_used_mb,
    temperature: r.last_temp,
    power_w: r.last_power_w,
    ecc_uncorrected: r.last_ecc_uncorrected,
    updated_at: iso(r.updated_at),
  }));
}

/** Any machine row with this id, deleted or not (ids are primary keys and never reused). */
export async function machineIdTaken(em: EntityManager, id: string): Promise<boolean> {
  const { knex, table } = sqlOf(em);
  const rows = await run(em, knex.from(table('machines')).select('id').where('id', id));
  return rows.length > 0;
}

/** The live (not deleted) machine holding this ip + ssh port, other than `exceptId`. */
export async function machineAtAddress(
  em: EntityManager,
  ip: string,
  sshPort: number,
  exceptId?: string,
): Promise<string | null> {
  const { knex, table } = sqlOf(em);
  const query = knex.from(table('machines')).select('id').where({ ip, ssh_port: sshPort }).whereNull('deleted_at');
  if (exceptId) query.whereNot('id', exceptId);
  const [row] = await run<{ id: string }>(em, query);
  return row?.id ?? null;
}

/** Ids among `ids` that exist (deleted included), and taken `ip:port` addresses among live machines. */
export async function existingIdentities(
  em: EntityManager,
  ids: string[],
  addresses: { ip: string; ssh_port: number }[],
): Promise<{ ids: Set<string>; addresses: Map<string, string> }> {
  const { knex, table } = sqlOf(em);
  const idRows = ids.length
    ? await run<{ id: string }>(em, knex.from(table('machines')).select('id').whereIn('id', ids))
    : [];
  const ips = [...new Set(addresses.map((a) => a.ip))];
  const addressRows = ips.length
    ? await run<{ id: string; ip: string; ssh_port: number }>(
        em,
        knex.from(table('machines')).select('id', 'ip', 'ssh_port').whereIn('ip', ips).whereNull('deleted_at'),
      )
    : [];
  return {
    ids: new Set(idRows.map((r) => r.id)),
    addresses: new Map(addressRows.map((r) => [addressKey(r.ip, r.ssh_port), r.id])),
  };
}

export const addressKey = (ip: string, sshPort: number): string => `${ip.toLowerCase()}:${sshPort}`;

function insertRow(input: CreateMachineInput, now: Date): Record<string, unknown> {
  return {
    id: input.id,
    name: input.name,
    region: input.region,
    ip: input.ip,
    ssh_port: input.ssh_port,
    gpu_model: input.gpu_model ?? null,
    gpu_count: input.gpu_count,
    gpu_memory_gb: input.gpu_memory_gb ?? null,
    cpu_info: input.cpu_info ?? null,
    memory_total_gb: input.memory_total ?? null,
    disk_total_gb: input.disk_total ?? null,
    public_domain: input.public_domain ?? null,
    public_port: input.public_port ?? null,
    tags: JSON.stringify(input.tags),
    remark: input.remark ?? null,
    status: 'offline',
    allocation_status: 'idle',
    health_status: 'unknown',
    created_at: now,
    updated_at: now,
  };
}

/** Inserts machines in chunks (one statement per chunk); unique violations propagate to the caller. */
export async function insertMachines(em: EntityManager, inputs: CreateMachineInput[], now: Date): Promise<void> {
  const { knex, table } = sqlOf(em);
  for (let i = 0; i < inputs.length; i += 500) {
    const chunk = inputs.slice(i, i + 500).map((input) => insertRow(input, now));
    await run(em, knex(table('machines')).insert(chunk));
  }
}

const UPDATE_COLUMNS: Record<keyof UpdateMachineInput, string> = {
  name: 'name',
  region: 'region',
  ip: 'ip',
  ssh_port: 'ssh_port',
  gpu_model: 'gpu_model',
  gpu_count: 'gpu_count',
  gpu_memory_gb: 'gpu_memory_gb',
  cpu_info: 'cpu_info',
  memory_total: 'memory_total_gb',
  disk_total: 'disk_total_gb',
  public_domain: 'public_domain',
  public_port: 'public_port',
  tags: 'tags',
  remark: 'remark',
};

export async function updateMachine(
  em: EntityManager,
  id: string,
  patch: UpdateMachineInput,
  now: Date,
): Promise<void> {
  const { knex, table } = sqlOf(em);
  const values: Record<string, unknown> = { updated_at: now };
  for (const [key, column] of Object.entries(UPDATE_COLUMNS) as [keyof UpdateMachineInput, string][]) {
    const value = patch[key];
    if (value === undefined) continue;
    values[column] = key === 'tags' ? JSON.stringify(value) : value;
  }
  await run(em, knex(table('machines')).where('id', id).whereNull('deleted_at').update(values));
}

/**
 * Soft-deletes a machine that holds no live allocation and revokes its agent keys; false when it has a
 * live allocation or is mid-lifecycle (or is gone).
 */
export async function softDeleteMachine(em: EntityManager, id: string, now: Date): Promise<boolean> {
  const { knex, table } = sqlOf(em);
  const liveAllocation = knex
    .from(table('allocations'))
    .select(knex.raw('1'))
    .where('machine_id', id)
    .whereIn('status', [...LIVE_ALLOCATION_STATUSES]);
  return em.transactional(async (tx) => {
    const rows = await run<{ id: string }>(
      tx,
      knex(table('machines'))
        .where('id', id)
        .whereNull('deleted_at')
        .whereIn('allocation_status', ['idle', 'maintenance'])
        .whereNotExists(liveAllocation)
        .update({ deleted_at: now, updated_at: now, status: 'offline' })
        .returning(['id']),
    );
    if (rows.length !== 1) return false;
    await run(
      tx,
      knex(table('agent_credentials'))
        .where({ machine_id: id, status: 'active' })
        .update({ status: 'revoked', revoked_at: now }),
    );
    return true;
  });
}
