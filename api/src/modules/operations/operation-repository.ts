// Operations (one per workflow-backed request) as plain objects, with a link to the run in the
// Temporal Web UI.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OperationKind, OperationStatus, OperationStep, OperationStepStatus } from '@remotegpu/core';
import type { Page } from '../../http/envelope';
import { iso, pageOffset, run, sqlOf } from '../machines/sql';

export interface OperationStepView {
  name: string;
  status: OperationStepStatus;
  started_at: string | null;
  ended_at: string | null;
  error: string | null;
}

export interface OperationView {
  id: string;
  kind: OperationKind;
  status: OperationStatus;
  machine_id: string | null;
  allocation_id: string | null;
  tenant_id: number | null;
  workflow_id: string;
  run_id: string | null;
  current_step: string | null;
  steps: OperationStepView[];
  result: Record<string, unknown> | null;
  error: string | null;
  requested_by: number | null;
  created_at: string | null;
  updated_at: string | null;
  finished_at: string | null;
  temporal_url: string;
}

interface OperationRow {
  id: string;
  kind: OperationKind;
  status: OperationStatus;
  machine_id: string | null;
  allocation_id: string | null;
  tenant_id: number | null;
  workflow_id: string;
  run_id: string | null;
  steps: OperationStep[] | string | null;
  result: Record<string, unknown> | string | null;
  error: string | null;
  requested_by: number | null;
  created_at: Date | null;
  updated_at: Date | null;
  finished_at: Date | null;
}

/** Where the Temporal Web UI shows workflows: `<ui>/namespaces/<ns>/workflows/<id>[/<runId>]`. */
export interface TemporalUiLocation {
  baseUrl: string;
  namespace: string;
}

export function temporalRunUrl(ui: TemporalUiLocation, workflowId: string, runId?: string | null): string {
  const base = `${ui.baseUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}` : base;
}

const parseJson = <T>(value: T | string | null): T | null =>
  typeof value === 'string' ? (JSON.parse(value) as T) : value;

/** The step being worked on: the running one, else the last failed one, else none. */
function currentStep(steps: OperationStepView[], status: OperationStatus): string | null {
  const running = steps.find((s) => s.status === 'running');
  if (running) return running.name;
  if (status === 'failed') return [...steps].reverse().find((s) => s.status === 'failed')?.name ?? null;
  if (status === 'pending' || status === 'running') return steps.at(-1)?.name ?? null;
  return null;
}

export function toOperationView(row: OperationRow, ui: TemporalUiLocation): OperationView {
  const steps = (parseJson(row.steps) ?? []).map((s) => ({
    name: s.name,
    status: s.status,
    started_at: s.startedAt ?? null,
    ended_at: s.endedAt ?? null,
    error: s.error ?? null,
  }));
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    machine_id: row.machine_id,
    allocation_id: row.allocation_id,
    tenant_id: row.tenant_id,
    workflow_id: row.workflow_id,
    run_id: row.run_id,
    current_step: currentStep(steps, row.status),
    steps,
    result: parseJson(row.result),
    error: row.error,
    requested_by: row.requested_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    finished_at: iso(row.finished_at),
    temporal_url: temporalRunUrl(ui, row.workflow_id, row.run_id),
  };
}

const COLUMNS = [
  'id',
  'kind',
  'status',
  'machine_id',
  'allocation_id',
  'tenant_id',
  'workflow_id',
  'run_id',
  'steps',
  'result',
  'error',
  'requested_by',
  'created_at',
  'updated_at',
  'finished_at',
];

export async function findOperation(
  em: EntityManager,
  id: string,
  ui: TemporalUiLocation,
  tenantId?: number,
): Promise<OperationView | null> {
  const { knex, table } = sqlOf(em);
  const query = knex.from(table('operations')).select(COLUMNS).where('id', id);
  if (tenantId !== undefined) query.where('tenant_id', tenantId);
  const [row] = await run<OperationRow>(em, query);
  return row ? toOperationView(row, ui) : null;
}

export interface ListOperationsFilter {
  machine_id?: string;
  allocation_id?: string;
  tenant_id?: number;
  kind?: string;
  status?: OperationStatus;
  page: number;
  page_size: number;
}

export async function listOperations(
  em: EntityManager,
  filter: ListOperationsFilter,
  ui: TemporalUiLocation,
): Promise<Page<OperationView>> {
  const { knex, table } = sqlOf(em);
  const query = knex.from(table('operations'));
  if (filter.machine_id) query.where('machine_id', filter.machine_id);
  if (filter.allocation_id) query.where('allocation_id', filter.allocation_id);
  if (filter.tenant_id !== undefined) query.where('tenant_id', filter.tenant_id);
  if (filter.kind) query.where('kind', filter.kind);
  if (filter.status) query.where('status', filter.status);
  const [countRows, rows] = await Promise.all([
    run<{ total: string }>(em, query.clone().count({ total: '*' })),
    run<OperationRow>(
      em,
      query
        .clone()
        .select(COLUMNS)
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(filter.page_size)
        .offset(pageOffset(filter)),
    ),
  ]);
  return {
    list: rows.map((r) => toOperationView(r, ui)),
    total: Number(countRows[0]?.total ?? 0),
    page: filter.page,
    page_size: filter.page_size,
  };
}

/** The most recent operations of a machine (machine detail page). */
export async function recentMachineOperations(
  em: EntityManager,
  machineId: string,
  ui: TemporalUiLocation,
  limit = 10,
): Promise<OperationView[]> {
  return (await listOperations(em, { machine_id: machineId, page: 1, page_size: limit }, ui)).list;
}
