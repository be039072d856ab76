// Allocations as plain objects (admin list, recent, one by id) and the few writes the API itself makes
// around the workflows: operation rows it returns as task ids, undoing a reservation whose workflow
// could not be started, and releasing a quarantined machine.
import type { EntityManager } from '@mikro-orm/postgresql';
import { LIVE_ALLOCATION_STATUSES, type AllocationStatus, type OperationKind } from '@remotegpu/core';
import type { Page } from '../../http/envelope';
import { containsPattern, iso, pageOffset, run, sqlOf } from '../machines/sql';

export interface AllocationView {
  id: string;
  tenant_id: number;
  tenant_name: string;
  company_code: string;
  machine_id: string;
  machine_name: string;
  status: AllocationStatus;
  starts_at: string | null;
  expires_at: string | null;
  duration_months: number;
  unix_user: string;
  remark: string | null;
  reclaim_reason: string | null;
  error: string | null;
  created_by: number | null;
  activated_at: string | null;
  reclaimed_at: string | null;
  created_at: string | null;
  updated_at: string | null;
}

interface AllocationRow {
  id: string;
  tenant_id: number;
  tenant_name: string;
  company_code: string;
  machine_id: string;
  machine_name: string;
  status: AllocationStatus;
  starts_at: Date | null;
  expires_at: Date | null;
  duration_months: number;
  unix_user: string;
  remark: string | null;
  reclaim_reason: string | null;
  error: string | null;
  created_by: number | null;
  activated_at: Date | null;
  reclaimed_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
}

const toView = (r: AllocationRow): AllocationView => ({
  id: r.id,
  tenant_id: r.tenant_id,
  tenant_name: r.tenant_name,
  company_code: r.company_code,
  machine_id: r.machine_id,
  machine_name: r.machine_name,
  status: r.status,
  starts_at: iso(r.starts_at),
  expires_at: iso(r.expires_at),
  duration_months: r.duration_months,
  unix_user: r.unix_user,
  remark: r.remark,
  reclaim_reason: r.reclaim_reason,
  error: r.error,
  created_by: r.created_by,
  activated_at: iso(r.activated_at),
  reclaimed_at: iso(r.reclaimed_at),
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
});

function baseQuery(em: EntityManager) {
  const { knex, table } = sqlOf(em);
  return knex
    .from(table('allocations', 'a'))
    .join(table('tenants', 't'), 't.id', 'a.tenant_id')
    .join(table('machines', 'm'), 'm.id', 'a.machine_id');
}

const COLUMNS = [
  'a.id',
  'a.tenant_id',
  't.name as tenant_name',
  't.company_code',
  'a.machine_id',
  'm.name as machine_name',
  'a.status',
  'a.starts_at',
  'a.expires_at',
  'a.duration_months',
  'a.unix_user',
  'a.remark',
  'a.reclaim_reason',
  'a.error',
  'a.created_by',
  'a.activated_at',
  'a.reclaimed_at',
  'a.created_at',
  'a.updated_at',
];

export interface ListAllocationsFilter {
  page: number;
  page_size: number;
  tenant_id?: number;
  machine_id?: string;
  status?: AllocationStatus;
  live?: boolean;
  keyword?: string;
}

export async function listAllocations(em: EntityManager, f: ListAllocationsFilter): Promise<Page<AllocationView>> {
  const query = baseQuery(em);
  if (f.tenant_id !== undefined) query.where('a.tenant_id', f.tenant_id);
  if (f.machine_id) query.where('a.machine_id', f.machine_id);
  if (f.status) query.where('a.status', f.status);
  if (f.live) query.whereIn('a.status', [...LIVE_ALLOCATION_STATUSES]);
  if (f.keyword) {
    const pattern = containsPattern(f.keyword);
    query.where((w) =>
      w
        .whereILike('a.id', pattern)
        .orWhereILike('a.machine_id', pattern)
        .orWhereILike('m.name', pattern)
        .orWhereILike('t.name', pattern)
        .orWhereILike('a.remark', pattern),
    );
  }
  const [countRows, rows] = await Promise.all([
    run<{ total: string }>(em, query.clone().count({ total: '*' })),
    run<AllocationRow>(
      em,
      query
        .clone()
        .select(COLUMNS)
        .orderBy([
          { column: 'a.created_at', order: 'desc' },
          { column: 'a.id', order: 'desc' },
        ])
        .limit(f.page_size)
        .offset(pageOffset(f)),
    ),
  ]);
  return { list: rows.map(toView), total: Number(countRows[0]?.total ?? 0), page: f.page, page_size: f.page_size };
}

export async function findAllocation(em: EntityManager, id: string): Promise<AllocationView | null> {
  const [row] = await run<AllocationRow>(em, baseQuery(em).select(COLUMNS).where('a.id', id));
  return row ? toView(row) : null;
}

/** The machine's live allocation, or else its most recent one. */
export async function latestAllocationOfMachine(em: EntityManager, machineId: string): Promise<AllocationView | null> {
  const [row] = await run<AllocationRow>(
    em,
    baseQuery(em)
      .select(COLUMNS)
      .where('a.machine_id', machineId)
      .orderByRaw(`(case when a.status in (${LIVE_ALLOCATION_STATUSES.map(() => '?').join(', ')}) then 0 else 1 end)`, [
        ...LIVE_ALLOCATION_STATUSES,
      ])
      .orderBy([
        { column: 'a.created_at', order: 'desc' },
        { column: 'a.id', order: 'desc' },
      ])
      .limit(1),
  );
  return row ? toView(row) : null;
}

export interface TenantRecord {
  id: number;
  name: string;
  company_code: string;
  status: string;
}

export async function findTenant(em: EntityManager, id: number): Promise<TenantRecord | null> {
  const { knex, table } = sqlOf(em);
  const [row] = await run<TenantRecord>(
    em,
    knex.from(table('tenants')).select('id', 'name', 'company_code', 'status').where('id', id),
  );
  return row ?? null;
}

export interface NewOperation {
  id: string;
  kind: OperationKind;
  machineId: string | null;
  allocationId: string | null;
  tenantId: number | null;
  workflowId: string;
  input: Record<string, unknown>;
  requestedBy: number | null;
}

/** Inserts the operation row the API returns as task id; the workflow's ensureOperation adopts it. */
export async function insertOperation(em: EntityManager, op: NewOperation, now: Date): Promise<void> {
  const { knex, table } = sqlOf(em);
  await run(
    em,
    knex(table('operations')).insert({
      id: op.id,
      kind: op.kind,
      machine_id: op.machineId,
      allocation_id: op.allocationId,
      tenant_id: op.tenantId,
      workflow_id: op.workflowId,
      status: 'pending',
      steps: JSON.stringify([]),
      input: JSON.stringify(op.input),
      requested_by: op.requestedBy,
      created_at: now,
      updated_at: now,
    }),
  );
}

export async function failOperation(em: EntityManager, id: string, error: string, now: Date): Promise<void> {
  const { knex, table } = sqlOf(em);
  await run(
    em,
    knex(table('operations'))
      .where('id', id)
      .whereIn('status', ['pending', 'running'])
      .update({ status: 'failed', error, finished_at: now, updated_at: now }),
  );
}

/** The newest unfinished operation of a kind for an allocation (a repeated reclaim returns it). */
export async function openOperation(
  em: EntityManager,
  allocationId: string,
  kind: OperationKind,
): Promise<{ id: string; workflow_id: string } | null> {
  const { knex, table } = sqlOf(em);
  const [row] = await run<{ id: string; workflow_id: string }>(
    em,
    knex
      .from(table('operations'))
      .select('id', 'workflow_id')
      .where({ allocation_id: allocationId, kind })
      .whereIn('status', ['pending', 'running'])
      .orderBy('created_at', 'desc')
      .limit(1),
  );
  return row ?? null;
}

/**
 * Undoes a reservation whose allocationWorkflow could not be started: allocation failed, machine idle
 * again (only if still `allocating` for it), operation failed. Nothing ran on the host yet.
 */
export async function abandonReservation(
  em: EntityManager,
  r: { allocationId: string; machineId: string; operationId: string },
  error: string,
  now: Date,
): Promise<void> {
  const { knex, table } = sqlOf(em);
  await em.transactional(async (tx) => {
    const changed = await run<{ id: string }>(
      tx,
      knex(table('allocations'))
        .where({ id: r.allocationId, status: 'pending' })
        .update({ status: 'failed', error, updated_at: now })
        .returning(['id']),
    );
    if (changed.length === 1) {
      await run(
        tx,
        knex(table('machines'))
          .where({ id: r.machineId, allocation_status: 'allocating' })
          .update({ allocation_status: 'idle', updated_at: now }),
      );
    }
    await failOperation(tx, r.operationId, error, now);
  });
}

/** Tasks of the tenant on the machine that a reclaim without force refuses to interrupt. */
export async function countRunningTasks(em: EntityManager, machineId: string, tenantId: number): Promise<number> {
  const { knex, table } = sqlOf(em);
  const [row] = await run<{ total: string }>(
    em,
    knex
      .from(table('tasks'))
      .where({ machine_id: machineId, tenant_id: tenantId })
      .whereIn('status', ['pending', 'running', 'stopping'])
      .count({ total: '*' }),
  );
  return Number(row?.total ?? 0);
}

/**
 * An admin confirms a quarantined machine is clean: a live allocation left `reclaiming` ends as
 * reclaimed, the machine goes maintenance → idle and its reclaim_failed alerts resolve. False when the
 * machine is not in maintenance (anymore).
 */
export async function releaseQuarantinedMachine(em: EntityManager, machineId: string, now: Date): Promise<boolean> {
  const { knex, table } = sqlOf(em);
  return em.transactional(async (tx) => {
    const machine = await run<{ id: string }>(
      tx,
      knex
        .from(table('machines'))
        .select('id')
        .where({ id: machineId, allocation_status: 'maintenance' })
        .whereNull('deleted_at')
        .forUpdate(),
    );
    if (machine.length !== 1) return false;
    await run(
      tx,
      knex(table('allocations'))
        .where({ machine_id: machineId })
        .whereIn('status', [...LIVE_ALLOCATION_STATUSES])
        .update({ status: 'reclaimed', reclaimed_at: now, updated_at: now }),
    );
    await run(
      tx,
      knex(table('machines'))
        .where({ id: machineId })
        .update({ allocation_status: 'idle', health_notes: null, updated_at: now }),
    );
    await run(
      tx,
      knex(table('alerts'))
        .where({ machine_id: machineId })
        .whereIn('kind', ['reclaim_failed', 'allocation_failed', 'gpu_check_failed'])
        .whereNot('status', 'resolved')
        .update({ status: 'resolved', resolved_at: now, updated_at: now }),
    );
    return true;
  });
}
